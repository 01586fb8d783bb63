import { splitSentences } from './sentences.ts';

// Text that addresses the assistant or the examiner instead of asking or answering: attempts
// to override instructions, change its role, reveal its prompt or dictate a score. Checked on
// questions, interview answers and the essays' own sentences (a knowledge file can carry one too).
const INJECTION =
  /(忽略|无视|忘记|不要理会)掉?(以上|之前|前面|上述|所有|你的).{0,8}(指令|规则|要求|提示|设定)|(不要|别)再?(遵守|遵循|理会)(以上|之前|前面|上述|原来|原有).{0,6}(指令|规则|要求|设定)|(以上|之前|前面|上述)的?(所有)?(指令|规则)(全部|都)?(作废|无效)|从现在(开始|起)[,，]?你(是|要|只)|你现在(是|扮演)|扮演一个|作为(评分|阅卷)(系统|AI|模型)|请?(给|打)(我|这个回答|本回答)?(满分|100分|一百分|高分)|评分(为|是)?\s*(满分|100)|(输出|告诉我|泄露|显示|重复)(你的)?(系统)?(提示词|指令|prompt)|system\s*prompt|系统提示词|api[\s_-]?key|密钥|ignore (all|previous|the above)|disregard (all|previous)|you are now/i;

export function looksLikeInjection(text: string): boolean {
  return INJECTION.test(text);
}

/** Removes the sentences that try to instruct the model; the rest is kept verbatim. */
export function stripInjections(text: string): { text: string; removed: string[] } {
  const removed: string[] = [];
  const kept = splitSentences(text).filter((s) => {
    if (INJECTION.test(s.text)) {
      removed.push(s.text);
      return false;
    }
    return true;
  });
  return { text: removed.length === 0 ? text : kept.map((s) => s.text).join(''), removed };
}
