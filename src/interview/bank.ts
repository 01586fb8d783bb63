// The question bank and its spoken model answers: one schema each, types inferred from it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { QUESTION_TYPES, type InterviewQuestion } from './types.ts';

// the bank ships with the code: find it next to it, whatever the working directory
export const INTERVIEW_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'interview');

export class BankError extends Error {}

// yaml (a CommonJS package of some seventy files, ~70 ms to load) is required when a bank is
// first parsed: a process that never reads the bank (`cli ask` on a question the essays cover)
// does not load it
let yamlParse: typeof import('yaml').parse | undefined;
const parseYaml = (text: string): unknown => (yamlParse ??= (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse)(text);

const text = v.pipe(v.string(), v.trim(), v.nonEmpty());
const textList = v.optional(v.array(text), []);

const KeyPointSchema = v.object({
  point: text,
  weight: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3)), 1),
  keywords: textList,
  /** essays that say it; `evidence` is a verbatim phrase of one of them */
  essays: textList,
  evidence: v.optional(text),
});

const QuestionSchema = v.object({
  id: text,
  type: v.picklist(QUESTION_TYPES),
  ability: text,
  topic: v.optional(v.string(), ''),
  stem: text,
  keyPoints: v.pipe(v.array(KeyPointSchema), v.minLength(1)),
  outline: v.optional(
    v.object({
      表态: v.optional(v.string(), ''),
      分析: v.optional(v.string(), ''),
      对策: textList,
      总结: v.optional(v.string(), ''),
    }),
    { 表态: '', 分析: '', 对策: [], 总结: '' },
  ),
  followUps: textList,
});

const BankSchema = v.object({ questions: v.array(QuestionSchema) });
const ModelAnswersSchema = v.object({ answers: v.array(v.object({ id: text, text })) });

function parseWith<S extends v.GenericSchema>(schema: S, value: unknown, where: string): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue) ?? '';
  throw new BankError(`${where}${path ? ` (${path})` : ''}: ${issue.message}`);
}

export function parseBank(yamlText: string, modelAnswers: Map<string, string> = new Map()): InterviewQuestion[] {
  const doc = parseWith(BankSchema, parseYaml(yamlText), 'question bank');
  const ids = new Set<string>();
  return doc.questions.map((q) => {
    if (ids.has(q.id)) throw new BankError(`question bank: duplicate id ${q.id}`);
    ids.add(q.id);
    return {
      ...q,
      keyPoints: q.keyPoints.map((kp, i) => ({ ...kp, id: `${q.id}-${i + 1}` })),
      modelAnswer: modelAnswers.get(q.id),
    };
  });
}

/** Model answers live in interview/model-answers/*.yaml, keyed by question id. */
export function loadModelAnswers(dir = join(INTERVIEW_DIR, 'model-answers')): Map<string, string> {
  const answers = new Map<string, string>();
  if (!existsSync(dir)) return answers;
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const doc = parseWith(ModelAnswersSchema, parseYaml(readFileSync(join(dir, file), 'utf8')), `model answers ${file}`);
    for (const a of doc.answers) {
      if (answers.has(a.id)) throw new BankError(`model answers ${file}: duplicate id ${a.id}`);
      answers.set(a.id, a.text);
    }
  }
  return answers;
}

export function loadBank(path = join(INTERVIEW_DIR, 'questions.yaml'), modelAnswerDir?: string): InterviewQuestion[] {
  return parseBank(readFileSync(path, 'utf8'), loadModelAnswers(modelAnswerDir));
}

/** The outline as text, for questions without a spoken model answer and for the examiner's prompt. */
export function outlineText(question: InterviewQuestion): string {
  const { outline } = question;
  const steps = outline.对策.map((step, i) => `${i + 1}. ${step}`).join('\n');
  return [`【表态】${outline.表态}`, `【分析】${outline.分析}`, `【对策】\n${steps}`, `【总结】${outline.总结}`]
    .filter((line) => !/】\s*$/.test(line))
    .join('\n');
}

/** The model answer shown after an attempt: the spoken answer when the bank has one, else the outline. [n] = key point n. */
export function modelAnswerText(question: InterviewQuestion): string {
  return question.modelAnswer?.trim() || outlineText(question);
}
