/**
 * Fake OpenAI-compatible HTTP server for offline tests (node:http only).
 *
 *   const fake = await startFakeOpenAI();
 *   const client = new OpenAI({ apiKey: 'test', baseURL: fake.baseURL, maxRetries: 0 });
 *   ...
 *   await fake.close();
 *
 * Endpoints: POST /v1/chat/completions (JSON or SSE stream), POST /v1/embeddings,
 * POST /v1/audio/transcriptions (multipart), GET /v1/models, GET /v1/models/:id.
 * Fault injection is queued and consumed one per matching request, in order.
 * Reasoning models: a responder may return `thinkContent(...)` (reasoning in `content`),
 * `splitTags(...)` (its tags split across stream chunks) or `{ content, reasoning }`.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import {
  closeServer,
  isRecord,
  listenLocal,
  multipartBoundary,
  parseMultipart,
  readBody,
  sendJson,
  sleep,
  trackSockets,
} from './http-util.js';

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

export interface ChatMessage {
  role: string;
  /** string, or an array of content parts ({type:'text', text}) */
  content?: unknown;
  [key: string]: unknown;
}

/** The parsed JSON body of a chat completion request (loosely typed). */
export interface ChatRequestBody {
  model?: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  temperature?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  [key: string]: unknown;
}

/**
 * A reply with more control than a string: reasoning sent apart from the content (as
 * `reasoning_content`, like DeepSeek and vLLM's reasoning parsers), and, when streamed, the
 * content deltas exactly as given (e.g. a `<think>` tag split across two chunks).
 */
export interface ChatReply {
  content: string;
  /** sent as `message.reasoning_content` / `delta.reasoning_content`, before the content */
  reasoning?: string;
  /** streamed: the content deltas, in order; their concatenation must equal `content` */
  chunks?: string[];
}

/** Produces the assistant reply for a chat request. May be async; a throw becomes a 500. */
export type ChatResponder = (body: ChatRequestBody) => string | ChatReply | Promise<string | ChatReply>;

/**
 * Content as reasoning models write it when the server does not separate the reasoning:
 * `<think>reasoning</think>answer` (Qwen3, DeepSeek-R1 on Ollama/vLLM), or without the opening
 * tag (`openTag: false`: chat templates that put `<think>` in the prompt).
 */
export function thinkContent(reasoning: string, answer: string, options: { openTag?: boolean } = {}): string {
  return `${options.openTag === false ? '' : '<think>'}\n${reasoning}\n</think>\n\n${answer}`;
}

/**
 * A streamed reply cut into deltas at every tag boundary and inside each tag, so that no chunk
 * holds a whole `<think>` or `</think>`.
 */
export function splitTags(content: string): ChatReply {
  const chunks = content.split(/(?=<\/?think>)|(?<=<\/?th)|(?<=<\/?think>)/).filter((c) => c !== '');
  return { content, chunks };
}

/** Info about the uploaded audio file, passed to a transcript function. */
export interface UploadedAudio {
  filename: string;
  contentType: string;
  size: number;
  data: Buffer;
  fields: Record<string, string>;
}

export type TranscriptSource = string | ((audio: UploadedAudio) => string | Promise<string>);

export interface RecordedRequest {
  method: string;
  /** path without query string, e.g. '/v1/chat/completions' */
  path: string;
  headers: IncomingHttpHeaders;
  /**
   * Parsed body: the JSON object for JSON requests; for multipart requests an object
   * of the text fields plus `file: {filename, contentType, size}`; undefined if empty.
   */
  body: unknown;
  /** which injected fault (if any) was applied to this request */
  fault?: 'fail' | 'hang' | 'cut' | 'malformed';
  /** Date.now() when the request body had been read */
  at: number;
}

export interface FaultFilter {
  /** only apply to requests whose path contains this string, e.g. '/chat/completions' */
  path?: string;
}

export interface FailSpec extends FaultFilter {
  /** HTTP status, e.g. 429, 500, 503, 400, 401 */
  status: number;
  /** adds a `retry-after` header (seconds) */
  retryAfterSeconds?: number;
  /** full response body override (object → JSON, string → sent verbatim) */
  body?: unknown;
  /** override the error.message of the default OpenAI error shape */
  message?: string;
  /** override error.type */
  type?: string;
  /** override error.code */
  code?: string | null;
}

export interface CutSpec extends FaultFilter {
  /** how many SSE chunks (role chunk included) are written before the socket is destroyed (default 2) */
  chunksBeforeCut?: number;
}

export interface FakeOpenAIOptions {
  /** chat reply producer (default: a short Chinese sentence citing [1]) */
  responder?: ChatResponder;
  /** transcription result (default '这是一段测试转写文本。') */
  transcript?: TranscriptSource;
  /** embedding dimension when the request does not send `dimensions` (default 64) */
  dimensions?: number;
  /** artificial latency before every answer (default 0) */
  delayMs?: number;
  /** number of code points per streamed content delta (default 4) */
  streamChunkSize?: number;
  /** delay between streamed chunks in ms (default 0) */
  streamChunkDelayMs?: number;
  /** ids listed by GET /v1/models */
  models?: string[];
  /** if set, requests must send `Authorization: Bearer <apiKey>` or get a 401 */
  apiKey?: string;
}

export interface FakeOpenAI {
  /** e.g. http://127.0.0.1:PORT/v1 — pass as the openai SDK's baseURL */
  baseURL: string;
  /** e.g. http://127.0.0.1:PORT */
  origin: string;
  port: number;
  /** every request received, in arrival order (including faulted / 404 ones) */
  requests: RecordedRequest[];
  /** requests whose path contains the given fragment, e.g. requestsTo('/embeddings') */
  requestsTo(pathFragment: string): RecordedRequest[];
  setResponder(responder: ChatResponder): void;
  setTranscript(transcript: TranscriptSource): void;
  setDelay(ms: number): void;
  /** next n matching requests answer with an OpenAI-shaped error */
  failNext(n: number, spec: FailSpec): void;
  /** next n matching requests are accepted and never answered (until close()) */
  hangNext(n: number, filter?: FaultFilter): void;
  /** next n matching requests: a couple of SSE chunks (or half a JSON body), then the socket is destroyed */
  cutStreamNext(n: number, spec?: CutSpec): void;
  /** next n matching requests get HTTP 200 with an invalid JSON body */
  malformedNext(n: number, filter?: FaultFilter): void;
  /** number of queued, not yet consumed faults */
  pendingFaults(): number;
  /** clears recorded requests and queued faults */
  reset(): void;
  /** closes the server and destroys all sockets (hanging requests included) */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Deterministic embeddings (exported so tests can compute expectations)
// ---------------------------------------------------------------------------

function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Deterministic, L2-normalised embedding: character unigrams (weight 0.5) and bigrams
 * (weight 1) hashed into `dimensions` buckets with a hashed sign. Texts sharing many
 * bigrams get a high cosine similarity; unrelated texts are near 0.
 * Values are rounded to float32 so 'float' and 'base64' encodings agree exactly.
 */
export function fakeEmbedding(text: string, dimensions = 64): number[] {
  const vec = new Array<number>(dimensions).fill(0);
  const norm = text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  const cps = Array.from(norm);
  const add = (gram: string, weight: number): void => {
    const idx = fnv1a(gram) % dimensions;
    const sign = (fnv1a(gram, 0x9747b28c) & 1) === 0 ? 1 : -1;
    vec[idx] = (vec[idx] ?? 0) + sign * weight;
  };
  for (let i = 0; i < cps.length; i++) {
    const a = cps[i] ?? '';
    add(`u:${a}`, 0.5);
    const b = cps[i + 1];
    if (b !== undefined) add(`b:${a}${b}`, 1);
  }
  let sumSq = 0;
  for (const v of vec) sumSq += v * v;
  if (sumSq === 0) {
    vec[0] = 1;
    return vec.map((v) => Math.fround(v));
  }
  const len = Math.sqrt(sumSq);
  return vec.map((v) => Math.fround(v / len));
}

export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Float32 little-endian base64, exactly like the real API's encoding_format 'base64'. */
export function embeddingToBase64(vec: readonly number[]): string {
  const buf = Buffer.alloc(vec.length * 4);
  vec.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString('base64');
}

/** Text of the last user message in a chat request (content parts joined), or ''. */
export function lastUserText(body: ChatRequestBody): string {
  for (let i = body.messages.length - 1; i >= 0; i--) {
    const m = body.messages[i];
    if (m !== undefined && m.role === 'user') return contentToText(m.content);
  }
  return '';
}

/** Concatenated text of all messages with the given role (e.g. 'system'). */
export function messagesText(body: ChatRequestBody, role: string): string {
  return body.messages
    .filter((m) => m.role === role)
    .map((m) => contentToText(m.content))
    .join('\n');
}

function contentToText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p: unknown) => (isRecord(p) && typeof p['text'] === 'string' ? p['text'] : ''))
      .join('');
  }
  return '';
}

export const DEFAULT_REPLY = '根据现有政策文件，基层治理应坚持党建引领、多方参与、依法治理[1]。';
export const DEFAULT_TRANSCRIPT = '这是一段测试转写文本。';
const DEFAULT_MODELS = ['gpt-4o-mini', 'text-embedding-3-small', 'whisper-1'];

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

type Fault =
  | { kind: 'fail'; spec: FailSpec }
  | { kind: 'hang'; filter: FaultFilter }
  | { kind: 'cut'; spec: CutSpec }
  | { kind: 'malformed'; filter: FaultFilter };

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = 'invalid_request_error',
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

function errorBody(message: string, type: string, code: string | null, param: string | null = null): unknown {
  return { error: { message, type, param, code } };
}

function defaultErrorFor(status: number): { message: string; type: string; code: string | null } {
  switch (status) {
    case 400:
      return { message: 'Bad request (injected by fake-openai).', type: 'invalid_request_error', code: null };
    case 401:
      return {
        message: 'Incorrect API key provided: test. You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      };
    case 403:
      return { message: 'You are not allowed to sample from this model', type: 'invalid_request_error', code: null };
    case 404:
      return { message: 'The model does not exist or you do not have access to it.', type: 'invalid_request_error', code: 'model_not_found' };
    case 429:
      return {
        message: 'Rate limit reached for requests. Please try again in 1s.',
        type: 'requests',
        code: 'rate_limit_exceeded',
      };
    case 503:
      return { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', code: null };
    default:
      return status >= 500
        ? { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null }
        : { message: `Error ${status} (injected by fake-openai).`, type: 'invalid_request_error', code: null };
  }
}

function approxTokens(text: string): number {
  // CJK characters ≈ 1 token each, other text ≈ 4 chars per token. Deterministic.
  let cjk = 0;
  let other = 0;
  for (const ch of text) {
    if (/[\u3000-\u9fff\uf900-\ufaff]/.test(ch)) cjk++;
    else other++;
  }
  return cjk + Math.ceil(other / 4);
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  let responder: ChatResponder = options.responder ?? (() => DEFAULT_REPLY);
  let transcript: TranscriptSource = options.transcript ?? DEFAULT_TRANSCRIPT;
  let delayMs = options.delayMs ?? 0;
  const defaultDims = options.dimensions ?? 64;
  const streamChunkSize = Math.max(1, options.streamChunkSize ?? 4);
  const streamChunkDelayMs = options.streamChunkDelayMs ?? 0;
  const models = options.models ?? DEFAULT_MODELS;
  const requests: RecordedRequest[] = [];
  let faults: Fault[] = [];
  let idCounter = 0;

  const takeFault = (path: string): Fault | undefined => {
    const idx = faults.findIndex((f) => {
      const p = f.kind === 'fail' ? f.spec.path : f.kind === 'cut' ? f.spec.path : f.filter.path;
      return p === undefined || path.includes(p);
    });
    if (idx === -1) return undefined;
    const [f] = faults.splice(idx, 1);
    return f;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const msg = err instanceof Error ? err.message : String(err);
      sendJson(res, 500, errorBody(`fake-openai internal error: ${msg}`, 'server_error', null));
    });
  });
  const sockets = trackSockets(server);
  const port = await listenLocal(server);
  const origin = `http://127.0.0.1:${port}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const raw = await readBody(req);
    const record: RecordedRequest = { method, path, headers: req.headers, body: undefined, at: Date.now() };
    requests.push(record);

    // --- parse body ---
    let body: unknown;
    let multipart: { fields: Record<string, string>; file?: UploadedAudio } | undefined;
    let parseError: HttpError | undefined;
    const ctype = req.headers['content-type'];
    const boundary = multipartBoundary(ctype);
    if (boundary !== undefined) {
      const parts = parseMultipart(raw, boundary);
      const fields: Record<string, string> = {};
      let file: UploadedAudio | undefined;
      for (const p of parts) {
        if (p.filename !== undefined) {
          file = { filename: p.filename, contentType: p.contentType, size: p.data.length, data: p.data, fields };
        } else {
          fields[p.name] = p.data.toString('utf8');
        }
      }
      multipart = file ? { fields, file } : { fields };
      body = { ...fields, ...(file ? { file: { filename: file.filename, contentType: file.contentType, size: file.size } } : {}) };
    } else if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        parseError = new HttpError(
          400,
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
        );
      }
    }
    record.body = body;

    // --- auth ---
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendJson(res, 401, errorBody(defaultErrorFor(401).message, 'invalid_request_error', 'invalid_api_key'));
      return;
    }

    // --- routing ---
    const route = routeOf(method, path);
    if (route === undefined) {
      sendJson(res, 404, errorBody(`Invalid URL (${method} ${path})`, 'invalid_request_error', null));
      return;
    }

    // --- faults ---
    const fault = takeFault(path);
    if (fault) record.fault = fault.kind;
    if (delayMs > 0 && fault?.kind !== 'hang') await sleep(delayMs);
    if (res.destroyed) return;
    if (fault?.kind === 'hang') {
      // Never answer. close() destroys the socket; a client abort closes it too.
      return;
    }
    if (fault?.kind === 'fail') {
      const spec = fault.spec;
      const headers: Record<string, string> = {};
      if (spec.retryAfterSeconds !== undefined) headers['retry-after'] = String(spec.retryAfterSeconds);
      if (spec.body !== undefined) {
        if (typeof spec.body === 'string') {
          res.writeHead(spec.status, { 'content-type': 'application/json', ...headers });
          res.end(spec.body);
        } else {
          sendJson(res, spec.status, spec.body, headers);
        }
        return;
      }
      const d = defaultErrorFor(spec.status);
      sendJson(
        res,
        spec.status,
        errorBody(spec.message ?? d.message, spec.type ?? d.type, spec.code !== undefined ? spec.code : d.code),
        headers,
      );
      return;
    }
    if (fault?.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": "broken", "object": "chat.completion", "choices": [ {"index": 0, "mess');
      return;
    }

    try {
      if (parseError) throw parseError;
      switch (route) {
        case 'chat':
          await handleChat(body, res, fault?.kind === 'cut' ? fault.spec : undefined);
          return;
        case 'embeddings':
          if (fault?.kind === 'cut') return cutJson(res, fault.spec);
          handleEmbeddings(body, res);
          return;
        case 'transcriptions':
          if (fault?.kind === 'cut') return cutJson(res, fault.spec);
          await handleTranscription(multipart, res);
          return;
        case 'models':
          if (fault?.kind === 'cut') return cutJson(res, fault.spec);
          sendJson(res, 200, {
            object: 'list',
            data: models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake-openai' })),
          });
          return;
        case 'model': {
          if (fault?.kind === 'cut') return cutJson(res, fault.spec);
          const id = decodeURIComponent(path.slice('/v1/models/'.length));
          if (!models.includes(id)) {
            throw new HttpError(404, `The model '${id}' does not exist`, 'invalid_request_error', 'model_not_found', 'model');
          }
          sendJson(res, 200, { id, object: 'model', created: 1700000000, owned_by: 'fake-openai' });
          return;
        }
      }
    } catch (err) {
      if (err instanceof HttpError) {
        sendJson(res, err.status, errorBody(err.message, err.type, err.code, err.param));
        return;
      }
      throw err;
    }
  }

  function routeOf(method: string, path: string): 'chat' | 'embeddings' | 'transcriptions' | 'models' | 'model' | undefined {
    if (method === 'POST' && path === '/v1/chat/completions') return 'chat';
    if (method === 'POST' && path === '/v1/embeddings') return 'embeddings';
    if (method === 'POST' && path === '/v1/audio/transcriptions') return 'transcriptions';
    if (method === 'GET' && path === '/v1/models') return 'models';
    if (method === 'GET' && path.startsWith('/v1/models/')) return 'model';
    return undefined;
  }

  function cutJson(res: ServerResponse, _spec: CutSpec): void {
    // non-streamed request: headers and half a JSON body, then the connection dies
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"object": "list", "data": [');
    setTimeout(() => res.destroy(), 20);
  }

  async function handleChat(body: unknown, res: ServerResponse, cut: CutSpec | undefined): Promise<void> {
    if (!isRecord(body)) throw new HttpError(400, 'Request body must be a JSON object.');
    if (typeof body['model'] !== 'string' || body['model'] === '') {
      throw new HttpError(400, 'you must provide a model parameter', 'invalid_request_error', null, 'model');
    }
    const messages = body['messages'];
    if (!Array.isArray(messages) || messages.length === 0) {
      throw new HttpError(400, "[] is too short - 'messages'", 'invalid_request_error', 'invalid_value', 'messages');
    }
    for (const m of messages) {
      if (!isRecord(m) || typeof m['role'] !== 'string') {
        throw new HttpError(400, "Invalid value for 'messages': each message needs a 'role'.", 'invalid_request_error', null, 'messages');
      }
    }
    // Validated above: a JSON object with a model string and a non-empty messages array.
    const chatBody = body as ChatRequestBody;
    let content: string;
    let reasoning: string | undefined;
    let chunks: string[] | undefined;
    try {
      const reply = await responder(chatBody);
      if (typeof reply === 'string') content = reply;
      else {
        ({ content, reasoning, chunks } = reply);
        if (chunks && chunks.join('') !== content) throw new Error('reply chunks do not add up to its content');
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new HttpError(500, `fake-openai responder threw: ${msg}`, 'server_error');
    }
    const id = `chatcmpl-fake${String(++idCounter).padStart(6, '0')}`;
    const created = Math.floor(Date.now() / 1000);
    const model = chatBody.model ?? 'fake-model';
    const promptTokens = chatBody.messages.reduce((n, m) => n + approxTokens(contentToText(m.content)) + 4, 0);
    const completionTokens = approxTokens(content);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };

    if (chatBody.stream !== true) {
      if (cut) return cutJson(res, cut);
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        system_fingerprint: 'fp_fake',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content, refusal: null, ...(reasoning !== undefined ? { reasoning_content: reasoning } : {}) },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage,
      });
      return;
    }

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    const chunk = (delta: Record<string, unknown>, finish: string | null): string =>
      `data: ${JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        system_fingerprint: 'fp_fake',
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      })}\n\n`;
    const events: string[] = [chunk({ role: 'assistant', content: '', refusal: null }, null)];
    const split = (text: string): string[] => {
      const cps = Array.from(text);
      const out: string[] = [];
      for (let i = 0; i < cps.length; i += streamChunkSize) out.push(cps.slice(i, i + streamChunkSize).join(''));
      return out;
    };
    for (const piece of reasoning !== undefined ? split(reasoning) : []) events.push(chunk({ content: null, reasoning_content: piece }, null));
    for (const piece of chunks ?? split(content)) events.push(chunk({ content: piece }, null));
    events.push(chunk({}, 'stop'));
    if (chatBody.stream_options?.include_usage === true) {
      events.push(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake', choices: [], usage })}\n\n`,
      );
    }
    events.push('data: [DONE]\n\n');

    const limit = cut ? Math.max(1, Math.min(cut.chunksBeforeCut ?? 2, events.length - 1)) : events.length;
    for (let i = 0; i < limit; i++) {
      if (res.destroyed) return;
      res.write(events[i]);
      if (streamChunkDelayMs > 0 && i + 1 < limit) await sleep(streamChunkDelayMs);
    }
    if (cut) {
      // give the client a moment to receive the partial stream, then kill the connection
      await sleep(20);
      res.destroy();
      return;
    }
    res.end();
  }

  function handleEmbeddings(body: unknown, res: ServerResponse): void {
    if (!isRecord(body)) throw new HttpError(400, 'Request body must be a JSON object.');
    if (typeof body['model'] !== 'string' || body['model'] === '') {
      throw new HttpError(400, 'you must provide a model parameter', 'invalid_request_error', null, 'model');
    }
    const input: unknown = body['input'];
    const invalidInput = (): HttpError =>
      new HttpError(400, "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", 'invalid_request_error', null, 'input');
    let texts: string[];
    if (typeof input === 'string') texts = [input];
    else if (Array.isArray(input)) {
      const arr: unknown[] = input;
      if (arr.every((x): x is string => typeof x === 'string')) texts = arr;
      else if (arr.every((x) => typeof x === 'number')) texts = [arr.join(' ')]; // token ids
      else if (arr.every((x): x is unknown[] => Array.isArray(x))) texts = arr.map((x) => x.join(' '));
      else throw invalidInput();
    } else {
      throw invalidInput();
    }
    if (texts.length === 0 || texts.length > 2048 || texts.some((t) => t.length === 0)) throw invalidInput();
    const dimsRaw = body['dimensions'];
    const dims = typeof dimsRaw === 'number' && Number.isInteger(dimsRaw) && dimsRaw > 0 ? dimsRaw : defaultDims;
    const format = body['encoding_format'] ?? 'float';
    if (format !== 'float' && format !== 'base64') {
      throw new HttpError(400, `'${String(format)}' is not one of ['float', 'base64'] - 'encoding_format'`, 'invalid_request_error', null, 'encoding_format');
    }
    const tokens = texts.reduce((n, t) => n + approxTokens(t), 0);
    sendJson(res, 200, {
      object: 'list',
      data: texts.map((t, index) => {
        const vec = fakeEmbedding(t, dims);
        return { object: 'embedding', index, embedding: format === 'base64' ? embeddingToBase64(vec) : vec };
      }),
      model: body['model'],
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  }

  async function handleTranscription(
    mp: { fields: Record<string, string>; file?: UploadedAudio } | undefined,
    res: ServerResponse,
  ): Promise<void> {
    if (mp === undefined) {
      throw new HttpError(400, 'Invalid Content-Type header (expected multipart/form-data).');
    }
    if (mp.file === undefined) {
      throw new HttpError(400, "Missing required parameter: 'file'.", 'invalid_request_error', null, 'file');
    }
    if (!mp.fields['model']) {
      throw new HttpError(400, "Missing required parameter: 'model'.", 'invalid_request_error', null, 'model');
    }
    if (mp.file.size === 0) {
      throw new HttpError(400, 'Audio file is too short. Minimum audio length is 0.1 seconds.', 'invalid_request_error', 'audio_too_short', 'file');
    }
    const text = typeof transcript === 'string' ? transcript : await transcript(mp.file);
    const format = mp.fields['response_format'] ?? 'json';
    if (format === 'text') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${text}\n`);
      return;
    }
    if (format === 'srt' || format === 'vtt') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(format === 'vtt' ? `WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n${text}\n` : `1\n00:00:00,000 --> 00:00:02,000\n${text}\n`);
      return;
    }
    if (format === 'verbose_json') {
      sendJson(res, 200, {
        task: 'transcribe',
        language: mp.fields['language'] ?? 'chinese',
        duration: 2,
        text,
        segments: [{ id: 0, seek: 0, start: 0, end: 2, text, tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1, no_speech_prob: 0.01 }],
      });
      return;
    }
    sendJson(res, 200, { text, usage: { type: 'duration', seconds: 2 } });
  }

  const push = (n: number, f: Fault): void => {
    for (let i = 0; i < n; i++) faults.push(f);
  };

  return {
    baseURL: `${origin}/v1`,
    origin,
    port,
    requests,
    requestsTo: (fragment) => requests.filter((r) => r.path.includes(fragment)),
    setResponder: (r) => {
      responder = r;
    },
    setTranscript: (t) => {
      transcript = t;
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    failNext: (n, spec) => push(n, { kind: 'fail', spec }),
    hangNext: (n, filter = {}) => push(n, { kind: 'hang', filter }),
    cutStreamNext: (n, spec = {}) => push(n, { kind: 'cut', spec }),
    malformedNext: (n, filter = {}) => push(n, { kind: 'malformed', filter }),
    pendingFaults: () => faults.length,
    reset: () => {
      requests.length = 0;
      faults = [];
    },
    close: () => closeServer(server, sockets),
  };
}
