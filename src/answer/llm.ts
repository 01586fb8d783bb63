// the SDK takes ~0.4 s to import: it is loaded only when a key is configured (createOpenAIClient);
// its error classes are a small module of their own, the same classes the SDK throws
import type OpenAI from 'openai';
import { APIError } from 'openai/error';
import type { OpenAIConfig } from '../config.ts';
import { stripThinking, ThinkFilter } from './think.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatOptions {
  temperature?: number;
  /** called with the text so far as it streams in */
  onDelta?: (textSoFar: string) => void;
  signal?: AbortSignal;
  /** ask for a JSON object (response_format json_object) */
  json?: boolean;
}

/** A chat model; the OpenAI-compatible one in production, fakes of the HTTP server in tests. */
export interface ChatModel {
  readonly label: string;
  complete(messages: ChatMessage[], options?: ChatOptions): Promise<string>;
}

export class LlmUnavailableError extends Error {}

export async function createOpenAIClient(config: OpenAIConfig): Promise<OpenAI> {
  const { default: OpenAI } = await import('openai');
  return new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    timeout: config.timeoutMs,
    maxRetries: config.maxRetries,
  });
}

const THINKS_IN_CONTENT = /qwen3|qwq|deepseek-r1|r1-distill|-r1\b|thinking/i;

export class OpenAIChatModel implements ChatModel {
  readonly label: string;
  /**
   * reasoning may come without its opening <think> tag: streams are held back until </think>.
   * Assumed from the start for model families known to think in content (Qwen3, QwQ,
   * DeepSeek-R1 and its distills), learned from the first reply for any other.
   */
  private dropsOpenTag: boolean;

  constructor(
    private readonly client: OpenAI,
    private readonly model: string,
    private readonly timeoutMs: number,
  ) {
    this.label = model;
    this.dropsOpenTag = THINKS_IN_CONTENT.test(model);
  }

  async complete(messages: ChatMessage[], options: ChatOptions = {}): Promise<string> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const base = {
      model: this.model,
      messages,
      temperature: options.temperature ?? 0.2,
      ...(options.json ? { response_format: { type: 'json_object' as const } } : {}),
    };
    try {
      if (!options.onDelta) {
        const response = await untilAborted(this.client.chat.completions.create({ ...base, stream: false }, { signal }), signal);
        // only `content`: reasoning sent apart (`reasoning_content`) is never read
        const raw = response.choices[0]?.message?.content;
        const content = typeof raw === 'string' ? stripThinking(raw) : '';
        if (content.trim() === '') throw new LlmUnavailableError('empty completion');
        return content;
      }
      const stream = await untilAborted(this.client.chat.completions.create({ ...base, stream: true }, { signal }), signal);
      const filter = new ThinkFilter({ assumeThinking: this.dropsOpenTag });
      let shown = '';
      let finished = false;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const delta = choice?.delta?.content ?? '';
        if (delta) {
          const visible = filter.push(delta);
          if (visible !== shown) {
            shown = visible;
            options.onDelta(visible);
          }
        }
        if (choice?.finish_reason) finished = true;
      }
      if (filter.droppedOpenTag) this.dropsOpenTag = true;
      // a stream cut in the middle ends without a finish_reason: do not trust half an answer
      if (!finished) throw new LlmUnavailableError('stream ended without finish_reason');
      const text = filter.final();
      if (text.trim() === '') throw new LlmUnavailableError('empty completion');
      return text;
    } catch (error) {
      if (error instanceof LlmUnavailableError) throw error;
      throw new LlmUnavailableError(describeLlmError(error), { cause: error });
    }
  }
}

/**
 * The SDK waits out a 429's Retry-After (say 30 s) before it looks at the signal again; the
 * caller gets the timeout at the deadline instead, and falls back at once.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  // the SDK's own promise settles later (aborted): nobody else awaits it
  promise.catch(() => undefined);
  if (signal.aborted) return Promise.reject(new LlmUnavailableError('timed out'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new LlmUnavailableError(`timed out (${signal.reason instanceof Error ? signal.reason.name : 'aborted'})`));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A short reason for logs (never the key: the SDK does not put it in messages). */
export function describeLlmError(error: unknown): string {
  if (error instanceof APIError) return `HTTP ${error.status ?? '?'} ${error.message}`.slice(0, 200);
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 200);
  return String(error).slice(0, 200);
}
