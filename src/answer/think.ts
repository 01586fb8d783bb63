// Reasoning models (Qwen3, DeepSeek-R1 served by Ollama or vLLM without a reasoning parser)
// write their reasoning into `content` as <think>…</think>; with some chat templates the
// opening tag is in the prompt, so only </think> appears. Reasoning is never part of an answer:
// every model call passes its text through here (see OpenAIChatModel), streamed or not.

const BLOCK = /<think>[\s\S]*?<\/think>/gi;
const OPEN = /<think>/i;
const CLOSE = /<\/think>/gi;
const TAGS = ['<think>', '</think>'];

/**
 * The text without reasoning: complete <think>…</think> blocks are removed, text up to a
 * </think> whose opening tag is missing is removed, and an unclosed <think> hides the rest.
 * `partial` (a stream still running): a trailing piece of a tag ("<thi") is held back too.
 */
export function stripThinking(text: string, options: { partial?: boolean } = {}): string {
  let out = text.replace(BLOCK, '');
  let lastClose = -1;
  for (const match of out.matchAll(CLOSE)) lastClose = (match.index ?? 0) + match[0].length;
  if (lastClose >= 0) out = out.slice(lastClose);
  const open = OPEN.exec(out);
  if (open) out = out.slice(0, open.index);
  if (options.partial) out = out.slice(0, out.length - partialTagLength(out));
  return out === text ? text : out.trimStart();
}

/** Length of the end of `text` that may be the start of a tag still streaming in. */
function partialTagLength(text: string): number {
  const tail = text.slice(-8).toLowerCase();
  for (let length = Math.min(tail.length, 8); length > 0; length -= 1) {
    const piece = tail.slice(-length);
    if (TAGS.some((tag) => tag.length > piece.length && tag.startsWith(piece))) return length;
  }
  return 0;
}

/**
 * A streamed reply with the reasoning held back: `push` takes each delta and returns the text
 * that may be shown so far. With `assumeThinking` (a model known to drop the opening tag)
 * nothing is shown before the first </think>; `final()` is the whole reply without reasoning.
 */
export class ThinkFilter {
  private raw = '';
  private closed = false;
  private orphan = false;

  constructor(private readonly options: { assumeThinking?: boolean } = {}) {}

  push(delta: string): string {
    this.raw += delta;
    if (!this.closed) {
      const close = this.raw.search(/<\/think>/i);
      this.closed = close >= 0;
      this.orphan = this.closed && !OPEN.test(this.raw.slice(0, close));
    }
    if (this.options.assumeThinking && !this.closed) return '';
    return stripThinking(this.raw, { partial: true });
  }

  /** True once the reply had a </think> without an opening tag: the model's template drops it. */
  get droppedOpenTag(): boolean {
    return this.orphan;
  }

  final(): string {
    return stripThinking(this.raw);
  }
}
