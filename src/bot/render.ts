// The Q&A bot's messages (welcome, help, answers, sources, essays), built from the blocks of
// message.ts: every piece of user or essay text goes through its escaping.
import { InlineKeyboard } from 'grammy';
import type { InlineKeyboardMarkup, InlineQueryResultArticle } from 'grammy/types';
import { EXAMPLE_QUESTIONS, SUGGESTIONS_INTRO } from '../answer/answerer.ts';
import type { SmallTalk } from '../answer/small-talk.ts';
import type { Answer } from '../answer/types.ts';
import { normalizeForMatch } from '../knowledge/clean.ts';
import type { Chunk, Essay } from '../knowledge/types.ts';
import { encodeAction } from './callbacks.ts';

export * from './message.ts';
import { bold, clip, compose, escapeHtml, italic, MAX_QUESTION_CHARS, para, plain, quoteBlock, type Block, type OutMessage, type Span } from './message.ts';

// ---------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------

export interface SourceMeta {
  title: string;
  authors: string[];
  publication?: string;
  issue?: string;
}

/** 《title》 authors · publication issue */
export function sourceLine(source: SourceMeta): string {
  const by = source.authors.join('、');
  const where = [source.publication, source.issue].filter(Boolean).join(' ');
  return `《${source.title}》${[by, where].filter(Boolean).join(' · ')}`;
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

export type AnswerMode = 'extractive' | 'llm';

export interface WelcomeInput {
  essayCount: number;
  sampleTitles: string[];
  mode: AnswerMode;
  examples: string[];
}

/** Example questions as buttons, one per row; each button carries its question's index in EXAMPLE_QUESTIONS. */
function addExampleButtons(keyboard: InlineKeyboard, examples: ReadonlyArray<{ q: string; index: number }>): InlineKeyboard {
  for (const { q, index } of examples) keyboard.text(clip(q, 40), encodeAction({ kind: 'example', index })).row();
  return keyboard;
}

const indexed = (questions: readonly string[]): Array<{ q: string; index: number }> => questions.map((q, index) => ({ q, index }));

export function renderWelcome(input: WelcomeInput): OutMessage[] {
  // a neutral greeting: users are candidates and working officials alike
  const hello = '您好!';
  const titles = input.sampleTitles.map((t) => `《${t}》`).join('');
  const keyboard = addExampleButtons(new InlineKeyboard(), indexed(input.examples));
  return compose(
    [
      para(bold(`${hello}我是「智理」基层治理问答助手。`)),
      para(plain(`我读过 ${input.essayCount} 篇关于基层社会治理的文章${titles ? `,例如${titles}等` : ''}。`)),
      para(
        plain('直接发给我一个问题,我会根据文章作答,并用 [1]、[2] 标出出处;点出处按钮可以查看原文摘录和上下文段落。\n'),
        plain('/essays 浏览文章 · /new 开始新话题 · /help 全部命令'),
      ),
      para(plain('结构化面试练习:/drill 单题练习(也可以 /drill 加上你自己的题目)· /mock 3 题 15 分钟模拟面试 · /stats 进步情况')),
      para(italic(modeLine(input.mode))),
      para(bold('试试这些问题:')),
    ],
    keyboard,
  );
}

export function modeLine(mode: AnswerMode): string {
  return mode === 'llm'
    ? '当前为大模型模式:由大模型根据文章摘录作答,每句标注出处,找不到出处的句子标“(无出处)”。'
    : '当前为摘录模式:回答中的句子都直接摘自文章原文。';
}

export interface HelpInput {
  commands: Array<{ command: string; description: string }>;
  botUsername: string;
}

export function renderHelp(input: HelpInput): OutMessage[] {
  const lines = input.commands.map((c) => `/${c.command} — ${c.description}`).join('\n');
  return compose([
    para(bold('可用命令')),
    para(plain(lines)),
    para(bold('其他用法')),
    para(
      plain('• 直接发送问题即可;追问(如“那具体应该怎么做?”)会结合上一个问题理解。\n'),
      plain(`• 在任意聊天中输入 @${input.botUsername} 加关键词,可以搜索并发送文章摘录。\n`),
      plain('• 在群聊中,@我 或回复我的消息来提问。'),
    ),
  ]);
}

export interface AnswerView {
  /** shown when the question did not come from the user's own text (e.g. an example button) */
  asked?: string;
  /** how a follow-up was understood */
  understood?: { kind: 'rewrite' | 'context'; text: string };
}

export function renderAnswer(answer: Answer, view: AnswerView = {}): OutMessage[] {
  const blocks: Block[] = [];
  if (view.asked) blocks.push(para(bold('问:'), plain(view.asked)));
  if (view.understood?.kind === 'rewrite') blocks.push(para(italic(`按上下文理解为:「${view.understood.text}」`)));
  if (view.understood?.kind === 'context') blocks.push(para(italic(`结合上一个问题「${clip(view.understood.text, 60)}」作答`)));
  if (answer.notice) blocks.push(para(italic(answer.notice)));
  if (answer.gaps) blocks.push(para(italic(answer.gaps)));
  blocks.push(para(plain(answer.answer)));
  const keyboard = new InlineKeyboard();
  if (answer.citations.length > 0) {
    blocks.push(para(bold('出处'), plain(`\n${answer.citations.map((c) => `[${c.n}] ${sourceLine(c)}`).join('\n')}`)));
    blocks.push(
      para(
        italic(
          answer.mode === 'extractive'
            ? '摘录模式:以上句子均为文章原文。点下方按钮查看出处原文。'
            : '点下方按钮核对出处原文。',
        ),
      ),
    );
    for (const c of answer.citations) keyboard.text(sourceButtonLabel(c.n, c.title, c.section), encodeAction({ kind: 'source', chunkId: c.chunkId })).row();
  } else {
    // out of scope: the suggested questions as buttons, introduced once in the text
    const asked = answer.suggestions.map((q) => ({ q, index: EXAMPLE_QUESTIONS.indexOf(q) })).filter(({ index }) => index >= 0);
    if (asked.length > 0) blocks.push(para(plain(SUGGESTIONS_INTRO)));
    addExampleButtons(keyboard, asked);
  }
  return compose(blocks, keyboard);
}

function sourceHeader(essay: Essay, section: string): Block[] {
  const by = sourceLine(essay).slice(`《${essay.title}》`.length);
  const blocks = [para(bold(`《${essay.title}》`), plain(by ? `\n${by}` : ''))];
  if (section) blocks.push(para(italic(`章节:${section}`)));
  return blocks;
}

/** One excerpt, verbatim, with its essay and section, and a button to the surrounding paragraph. */
export function renderExcerpt(essay: Essay, chunk: Chunk): OutMessage[] {
  const keyboard = new InlineKeyboard().text('查看上下文段落', encodeAction({ kind: 'context', chunkId: chunk.id }));
  return compose([...sourceHeader(essay, chunk.section), para(bold(`原文摘录 ${chunk.id}`)), quoteBlock(plain(chunk.text))], keyboard);
}

/** The paragraph(s) around an excerpt; the excerpt itself in bold. */
export function renderParagraph(essay: Essay, chunk: Chunk, paragraph: { start: number; end: number; text: string }): OutMessage[] {
  const from = Math.max(chunk.start, paragraph.start);
  const to = Math.min(chunk.end, paragraph.end);
  const spans: Span[] =
    to > from
      ? [
          plain(paragraph.text.slice(0, from - paragraph.start)),
          bold(paragraph.text.slice(from - paragraph.start, to - paragraph.start)),
          plain(paragraph.text.slice(to - paragraph.start)),
        ]
      : [plain(paragraph.text)];
  const keyboard = new InlineKeyboard().text('只看摘录', encodeAction({ kind: 'excerpt', chunkId: chunk.id }));
  return compose(
    [...sourceHeader(essay, chunk.section), para(bold('上下文段落'), italic('(加粗部分为引用的摘录)')), quoteBlock(...spans)],
    keyboard,
  );
}

/** The essay list, an essay that repeats an earlier one word for word shown once (the compilation has such repeats). */
export function renderEssayList(essays: Essay[]): OutMessage[] {
  const keyboard = new InlineKeyboard();
  const firstWithText = new Map<string, number>();
  const repeats = new Map<number, number[]>();
  essays.forEach((essay, i) => {
    const key = normalizeForMatch(essay.text);
    const first = firstWithText.get(key);
    if (first === undefined) firstWithText.set(key, i);
    else repeats.set(first, [...(repeats.get(first) ?? []), i]);
  });
  const repeated = new Set([...repeats.values()].flat());
  const lines: string[] = [];
  essays.forEach((essay, i) => {
    if (repeated.has(i)) return;
    const same = (repeats.get(i) ?? []).map((j) => `第 ${j + 1} 篇`).join('、');
    lines.push(`${i + 1}. ${sourceLine(essay)}${same ? `(${same}与此篇内容相同,只列一次)` : ''}`);
    keyboard.text(`${i + 1}. ${clip(essay.title, 24)}`, encodeAction({ kind: 'essay', essayId: essay.id })).row();
  });
  const count = essays.length - repeated.size;
  return compose([para(bold(`知识库文章(共 ${count} 篇${repeated.size > 0 ? `,另有 ${repeated.size} 篇重复收录` : ''})`)), para(plain(lines.join('\n'))), para(italic('点按钮查看摘要和章节。'))], keyboard);
}

export interface EssayView {
  essay: Essay;
  abstract: string;
  sections: Array<{ title: string; count: number }>;
}

export function renderEssay(view: EssayView): OutMessage[] {
  const { essay } = view;
  const keyboard = new InlineKeyboard();
  view.sections.forEach((section, index) =>
    keyboard.text(`${index + 1}. ${clip(section.title, 24)}(${section.count} 段)`, encodeAction({ kind: 'section', essayId: essay.id, index })).row(),
  );
  keyboard.text('« 返回文章列表', encodeAction({ kind: 'essays' }));
  const blocks = [...sourceHeader(essay, '')];
  if (essay.keywords.length > 0) blocks.push(para(italic(`关键词:${essay.keywords.join('、')}`)));
  blocks.push(para(bold('摘要')), quoteBlock(plain(view.abstract)));
  blocks.push(para(bold('章节'), plain(`\n${view.sections.map((s, i) => `${i + 1}. ${s.title}`).join('\n')}`)));
  return compose(blocks, keyboard);
}

export function renderSection(essay: Essay, title: string, chunks: Chunk[]): OutMessage[] {
  const keyboard = new InlineKeyboard();
  chunks.forEach((chunk, i) => {
    keyboard.text(`摘录 ${i + 1}`, encodeAction({ kind: 'source', chunkId: chunk.id }));
    if (i % 4 === 3) keyboard.row();
  });
  keyboard.row().text(`« 返回《${clip(essay.title, 16)}》`, encodeAction({ kind: 'essay', essayId: essay.id }));
  const lines = chunks.map((chunk, i) => `${i + 1}. ${clip(chunk.text, 60)}`).join('\n');
  return compose([para(bold(`《${essay.title}》`)), para(italic(`章节:${title}`)), para(plain(lines)), para(italic('点按钮查看完整摘录。'))], keyboard);
}

export function renderModeChoice(current: AnswerMode, llmAvailable: boolean, modelLabel?: string): OutMessage[] {
  if (!llmAvailable) {
    return compose([para(plain('当前没有配置大模型(OPENAI_API_KEY),只能使用摘录模式:回答中的句子都直接摘自文章原文。'))]);
  }
  const keyboard = new InlineKeyboard()
    .text(current === 'llm' ? '✅ 大模型模式' : '大模型模式', encodeAction({ kind: 'mode', mode: 'llm' }))
    .text(current === 'extractive' ? '✅ 摘录模式' : '摘录模式', encodeAction({ kind: 'mode', mode: 'extractive' }));
  return compose(
    [
      para(bold('回答方式')),
      para(plain(`大模型模式${modelLabel ? `(${modelLabel})` : ''}:根据文章摘录组织语言作答,每句标注出处(找不到出处的标“无出处”)。\n摘录模式:直接摘录文章原句,速度快、不经过大模型。`)),
      para(italic(modeLine(current))),
    ],
    keyboard,
  );
}

/**
 * A source button says what it opens: 《title》 · the innermost section, so three excerpts of one
 * essay are three different buttons.
 */
export function sourceButtonLabel(n: number, title: string, section: string): string {
  const inner = section.split('›').pop()?.trim().replace(/^[一二三四五六七八九十\d]+[、.．]\s*|^[(（][一二三四五六七八九十\d]+[)）]\s*/u, '') ?? '';
  return inner ? `[${n}] 《${clip(title, 10)}》· ${clip(inner, 12)}` : `[${n}] 《${clip(title, 18)}》`;
}

export function renderText(text: string, keyboard?: InlineKeyboardMarkup): OutMessage[] {
  return compose([para(plain(text))], keyboard);
}

export function renderTooLong(length: number): OutMessage[] {
  return renderText(
    `您的消息有 ${length} 个字,超过了 ${MAX_QUESTION_CHARS} 字的上限。请把问题精简到一两句话再发给我,例如:“基层治理中怎样发动居民参与?”`,
  );
}

const MEDIA_NAMES: Array<[string, string]> = [
  ['sticker', '贴纸'],
  ['photo', '图片'],
  ['voice', '语音'],
  ['audio', '音频'],
  ['video', '视频'],
  ['video_note', '视频消息'],
  ['animation', '动图'],
  ['document', '文件'],
  ['location', '位置'],
  ['contact', '联系人'],
  ['poll', '投票'],
];

export function mediaName(message: object): string {
  return MEDIA_NAMES.find(([key]) => key in message)?.[1] ?? '这类消息';
}

const SMALL_TALK_REPLY: Record<SmallTalk, string> = {
  greeting: '您好!我是「智理」,可以回答基层社会治理方面的问题(每句都标出处),也可以陪您练结构化面试(/drill)。直接把问题发给我就行,比如:',
  thanks: '不客气!还有问题随时发给我;想练面试可以发 /drill。',
  ack: '好的。还有别的问题,直接发给我就行。',
  farewell: '再见!祝备考顺利、工作顺利,需要时随时回来问我。',
};

/** A reply in kind to a greeting, thanks, an "OK" or goodbye; a greeting gets the example questions as buttons. */
export function renderSmallTalk(kind: SmallTalk): OutMessage[] {
  if (kind !== 'greeting') return renderText(SMALL_TALK_REPLY[kind]);
  return compose([para(plain(SMALL_TALK_REPLY.greeting))], addExampleButtons(new InlineKeyboard(), indexed(EXAMPLE_QUESTIONS)));
}

export function renderUnsupported(kind: string, example: string): OutMessage[] {
  return renderText(`收到您的${kind}啦,不过我只能读懂文字。请直接用文字提问,例如:“${example}” 也可以发送 /essays 浏览文章。`);
}

export function renderInlineResult(essay: Essay, chunk: Chunk): InlineQueryResultArticle {
  const [message] = compose([para(bold(`《${essay.title}》`)), ...(chunk.section ? [para(italic(chunk.section))] : []), quoteBlock(plain(chunk.text)), para(plain(sourceLine(essay)))]);
  return {
    type: 'article',
    id: chunk.id,
    title: `《${clip(essay.title, 40)}》`,
    description: clip(chunk.text, 90),
    input_message_content: { message_text: message.html, parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
  };
}
