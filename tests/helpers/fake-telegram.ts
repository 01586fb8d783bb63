/**
 * Fake Telegram Bot API server for offline tests (node:http only).
 *
 *   const tg = await startFakeTelegram();
 *   const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
 *   bot.on('message:text', (ctx) => ctx.reply('hi'));
 *   const running = bot.start();
 *   tg.sendText(42, 42, '你好');
 *   const call = await tg.waitFor('sendMessage');
 *   await bot.stop(); await running; await tg.close();
 *
 * Real long polling (offset/limit/timeout, 409 on concurrent polls), Telegram-shaped
 * errors, a Telegram-like HTML validator, per-chat message state with edits applied,
 * fault injection, and update builders for the test side.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  BotCommand,
  CallbackQuery,
  Chat,
  Document,
  InlineKeyboardMarkup,
  InlineQuery,
  Message,
  MessageEntity,
  PhotoSize,
  Sticker,
  Update,
  User,
  UserFromGetMe,
  Voice,
} from 'grammy/types';
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
import { HtmlParseError, parseTelegramHtml } from './telegram-html.js';
import type { ParsedText } from './telegram-html.js';

export { escapeHtml, htmlToText, HtmlParseError, parseTelegramHtml } from './telegram-html.js';
export type { HtmlParseOptions, ParsedText } from './telegram-html.js';

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/** A file uploaded by the bot via multipart/form-data (e.g. sendPhoto with an InputFile). */
export interface UploadedFile {
  kind: 'upload';
  filename: string;
  contentType: string;
  size: number;
  data: Buffer;
}

export type TelegramResponse =
  | { ok: true; result: unknown; description?: string }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } };

export interface ApiCall {
  /** method name as sent by the client, e.g. 'sendMessage' */
  method: string;
  /**
   * Decoded parameters (JSON body, multipart fields or query string). Multipart fields are
   * JSON-decoded where appropriate (chat_id → number, reply_markup → object); uploaded files
   * appear as UploadedFile objects ({kind:'upload', size, data, ...}).
   */
  payload: Record<string, unknown>;
  /** Date.now() at arrival */
  at: number;
  /** bot token from the URL */
  token: string;
  /** what the fake answered; undefined while a long poll is pending or if the socket was dropped */
  response?: TelegramResponse;
  /** true if the response was ok:true */
  ok?: boolean;
}

/** A message the bot sent, with edits applied. Telegram fields + `meta` (fake-only). */
export interface SentMessage {
  message_id: number;
  chat: Chat;
  from: User;
  date: number;
  edit_date?: number;
  /** visible text after entity parsing and trimming */
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  photo?: PhotoSize[];
  document?: Document;
  reply_markup?: InlineKeyboardMarkup;
  reply_to_message?: ReplyMessage;
  meta: {
    /** method that created the message */
    method: string;
    /** text/caption exactly as sent (e.g. the HTML source) */
    raw?: string;
    parseMode?: string;
    /** byte size of an uploaded photo/document */
    fileBytes?: number;
    /** number of successful edits */
    editCount: number;
    /** previous visible texts/captions, oldest first */
    history: string[];
    /** non-inline reply_markup (reply keyboard / remove / force reply) if one was sent */
    otherMarkup?: unknown;
  };
}

export interface DraftState {
  chat_id: number;
  draft_id: number;
  text: string;
  raw: string;
  updates: number;
}

export interface FailSpec {
  error_code: number;
  /** default derived from error_code, e.g. 'Too Many Requests: retry after N' */
  description?: string;
  retry_after?: number;
}

export type CallPredicate = (call: ApiCall) => boolean;

export interface WaitForOptions {
  /** only consider calls with index >= since (see mark()); default 0 = also already-arrived calls */
  since?: number;
}

export type ChatLike = number | Chat;
/** Message as allowed inside `reply_to_message` (no further nesting). */
export type ReplyMessage = NonNullable<Message['reply_to_message']>;
export type UserLike = number | (Partial<User> & { id: number });

/** Extra fields merged into the built message; `replyTo` = id of a message in the same chat. */
export type MessageExtra = Omit<Partial<Message>, 'chat' | 'from'> & { replyTo?: number };

export interface FakeTelegramOptions {
  /** token suggested to tests (any token is accepted); default '123456789:TEST-zhili-token' */
  token?: string;
  /** overrides for getMe */
  botInfo?: Partial<UserFromGetMe>;
  /**
   * What happens when a getUpdates arrives while another one is pending:
   * 'reject-new' (default): the new request gets 409;
   * 'terminate-old': the pending one gets 409 and the new one proceeds (what api.telegram.org does).
   */
  conflict?: 'reject-new' | 'terminate-old';
  /** reject bare `&` in HTML (default true; real Telegram keeps it literally) */
  strictAmpersand?: boolean;
  /** sending to a chat never seen in an update → 400 chat not found (default false) */
  strictChats?: boolean;
  /** first update_id (default 1) */
  firstUpdateId?: number;
  /** artificial latency for every method except getUpdates (ms, default 0) */
  delayMs?: number;
}

export interface FakeTelegram {
  /** e.g. http://127.0.0.1:PORT — pass as `client: { apiRoot }` */
  apiRoot: string;
  port: number;
  /** a token to use in tests (any token is accepted) */
  token: string;
  /** the getMe result */
  botInfo: UserFromGetMe;
  /** every Bot API call, in arrival order (getUpdates included) */
  calls: ApiCall[];
  /** bot-sent messages per chat id (current state: edits applied, deleted ones removed) */
  messages: Map<number | string, SentMessage[]>;
  /** latest sendMessageDraft state per private chat */
  drafts: Map<number, DraftState>;
  /** updates not yet confirmed by a getUpdates offset */
  pendingUpdates(): Update[];

  // --- test-side update builders (all push the update and return it) ---
  pushUpdate(update: Omit<Update, 'update_id'> & { update_id?: number }): Update;
  sendText(chat: ChatLike, from: UserLike, text: string, extra?: MessageExtra): Update;
  sendGroupText(chat: ChatLike, from: UserLike, text: string, extra?: MessageExtra): Update;
  sendSticker(chat: ChatLike, from: UserLike, opts?: { emoji?: string; set_name?: string }): Update;
  /** voice message; the bytes are downloadable via getFile + /file/bot<token>/<path> */
  sendVoice(chat: ChatLike, from: UserLike, data?: Buffer, opts?: { duration?: number; mime_type?: string }): Update;
  /** a document (file) message; the bytes are downloadable via getFile unless `size` (what Telegram reports) is over 20 MB */
  sendDocument(chat: ChatLike, from: UserLike, data: Buffer, opts: { file_name: string; mime_type?: string; size?: number; extra?: MessageExtra }): Update;
  /** callback query for a bot message (object or message_id); checks the button exists unless force */
  pressButton(messageOrId: SentMessage | number, callbackData: string, from: UserLike, opts?: { force?: boolean; chatId?: number }): Update;
  inlineQuery(from: UserLike, query: string, opts?: { offset?: string; chat_type?: InlineQuery['chat_type'] }): Update;

  // --- inspection ---
  /** bot messages in a chat (current state) */
  messagesIn(chatId: number | string): SentMessage[];
  /** last bot message (in a chat, or overall) */
  lastMessage(chatId?: number | string): SentMessage | undefined;
  /** calls of one method (case-insensitive) */
  callsOf(method: string): ApiCall[];
  /** current number of calls; pass as `since` to waitFor */
  mark(): number;
  /** resolves with the first matching call (method name or predicate); rejects after timeoutMs (default 2000) listing recent calls */
  waitFor(predicate: string | CallPredicate, timeoutMs?: number, opts?: WaitForOptions): Promise<ApiCall>;
  /** like waitFor but only calls arriving after this moment */
  nextCall(predicate: string | CallPredicate, timeoutMs?: number): Promise<ApiCall>;
  /** register bytes as a downloadable file, returns file_id */
  registerFile(data: Buffer, ext?: string): string;

  // --- fault injection ---
  /** next n calls of `method` ('*' = any method) fail with this error */
  failNext(method: string, n: number, spec: FailSpec): void;
  /** from now on, sending to this chat answers 403 "bot was blocked by the user" */
  blockChat(chatId: number): void;
  /** next n getUpdates requests are accepted and then the socket is destroyed */
  dropNextGetUpdates(n: number): void;
  setDelay(ms: number): void;

  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

class TgError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number },
  ) {
    super(description);
  }
}

const bad = (msg: string): TgError => new TgError(400, `Bad Request: ${msg}`);

function defaultDescription(code: number, retryAfter?: number): string {
  switch (code) {
    case 400:
      return 'Bad Request';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden: bot was blocked by the user';
    case 404:
      return 'Not Found';
    case 409:
      return 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
    case 429:
      return `Too Many Requests: retry after ${retryAfter ?? 5}`;
    case 502:
      return 'Bad Gateway';
    default:
      return code >= 500 ? 'Internal Server Error' : `Error ${code}`;
  }
}

/** multipart/query values that must stay strings even if they look like JSON */
const STRING_FIELDS = new Set([
  'text',
  'caption',
  'parse_mode',
  'callback_query_id',
  'inline_query_id',
  'query',
  'action',
  'url',
  'description',
  'short_description',
  'name',
  'title',
  'emoji',
  'language_code',
  'secret_token',
  'inline_message_id',
  'next_offset',
  'switch_pm_text',
  'switch_pm_parameter',
  'file_id',
  'business_connection_id',
]);

function decodeField(key: string, value: string): unknown {
  if (STRING_FIELDS.has(key)) return value;
  if (value === '') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

const BUTTON_ACTION_FIELDS = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
];

function toChatKey(v: unknown): number | string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  if (typeof v === 'string' && v.startsWith('@') && v.length > 1) return v;
  return undefined;
}

function toInt(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

function trimParsed(p: ParsedText): ParsedText {
  const lead = /^[ \t\r\n\f\v]*/.exec(p.text)?.[0].length ?? 0;
  const trail = /[ \t\r\n\f\v]*$/.exec(p.text)?.[0].length ?? 0;
  if (lead === 0 && trail === 0) return p;
  if (lead === p.text.length) return { text: '', entities: [] };
  const text = p.text.slice(lead, p.text.length - trail);
  const entities: MessageEntity[] = [];
  for (const e of p.entities) {
    const start = Math.max(0, e.offset - lead);
    const end = Math.min(text.length, e.offset + e.length - lead);
    if (end > start) entities.push({ ...e, offset: start, length: end - start });
  }
  return { text, entities };
}

function normalizeMarkup(m: InlineKeyboardMarkup | undefined): string {
  if (m === undefined || m.inline_keyboard.length === 0) return '';
  return JSON.stringify(m);
}

function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

function short(v: unknown, max = 160): string {
  let s: string;
  try {
    s = JSON.stringify(v, (_k, val: unknown) =>
      isRecord(val) && val['kind'] === 'upload' ? `<upload ${String(val['size'])} bytes>` : val,
    );
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

interface PollWaiter {
  res: ServerResponse;
  call: ApiCall;
  offset: number;
  limit: number;
  timer: NodeJS.Timeout;
  done: boolean;
}

interface CallWaiter {
  pred: CallPredicate;
  since: number;
  resolve: (c: ApiCall) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  data: Buffer;
  /** the size Telegram reports (default data.length); over 20 MB, getFile refuses as Telegram does */
  size?: number;
}

export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? '123456789:TEST-zhili-token';
  const conflictMode = options.conflict ?? 'reject-new';
  const strictAmpersand = options.strictAmpersand ?? true;
  let delayMs = options.delayMs ?? 0;
  const botIdFromToken = /^(\d+):/.exec(token)?.[1];
  const botInfo: UserFromGetMe = {
    id: botIdFromToken !== undefined ? Number(botIdFromToken) : 123456789,
    is_bot: true,
    first_name: '智理测试机器人',
    username: 'zhili_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: true,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
    supports_guest_queries: false,
    ...options.botInfo,
  };
  const botUser: User = {
    id: botInfo.id,
    is_bot: true,
    first_name: botInfo.first_name,
    username: botInfo.username,
  };

  const calls: ApiCall[] = [];
  const messages = new Map<number | string, SentMessage[]>();
  /** every bot message in creation order (for lastMessage() without a chat) */
  const allSent: SentMessage[] = [];
  const drafts = new Map<number, DraftState>();
  /** messages from users (builders / pushUpdate), per chat, by id */
  const userMessages = new Map<number | string, Map<number, Message>>();
  const chats = new Map<number | string, Chat>();
  const msgCounters = new Map<number | string, number>();
  const callbackQueries = new Map<string, { answered: boolean }>();
  const inlineQueries = new Map<string, { answered: boolean }>();
  const files = new Map<string, StoredFile>();
  const commands = new Map<string, BotCommand[]>();
  const failQueues = new Map<string, FailSpec[]>();
  const blockedChats = new Set<string>();
  const callWaiters: CallWaiter[] = [];
  let updates: Update[] = [];
  let nextUpdateId = options.firstUpdateId ?? 1;
  let pollWaiter: PollWaiter | undefined;
  let dropGetUpdates = 0;
  let webhookUrl: string | undefined;
  let allowedUpdates: string[] | undefined;
  let idSeq = 0;
  let closed = false;

  const nextMessageId = (chat: number | string): number => {
    const n = (msgCounters.get(chat) ?? 0) + 1;
    msgCounters.set(chat, n);
    return n;
  };

  // ----- users & chats -----
  const makeUser = (u: UserLike): User => {
    if (typeof u === 'number') {
      return { id: u, is_bot: false, first_name: '测试用户', username: `user${u}`, language_code: 'zh-hans' };
    }
    return { is_bot: false, first_name: '测试用户', ...u };
  };
  const makeChat = (c: ChatLike, from: User | undefined, group: boolean): Chat => {
    if (typeof c !== 'number') {
      chats.set(c.id, c);
      return c;
    }
    const known = chats.get(c);
    if (known) return known;
    let chat: Chat;
    if (c > 0 && !group) {
      chat = { id: c, type: 'private', first_name: from?.first_name ?? '测试用户' };
      if (from?.username !== undefined) chat.username = from.username;
    } else if (c <= -1000000000000) {
      chat = { id: c, type: 'supergroup', title: '测试群' };
    } else {
      chat = { id: c < 0 ? c : -c, type: 'group', title: '测试群' };
    }
    chats.set(chat.id, chat);
    return chat;
  };
  const chatFor = (key: number | string): Chat => {
    const known = chats.get(key);
    if (known) return known;
    if (typeof key === 'string') return { id: -1001000000000 - key.length, type: 'channel', title: key, username: key.slice(1) };
    if (key > 0) return { id: key, type: 'private', first_name: '测试用户' };
    return key <= -1000000000000 ? { id: key, type: 'supergroup', title: '测试群' } : { id: key, type: 'group', title: '测试群' };
  };

  // ----- messages -----
  const toApiMessage = (m: SentMessage): Message => {
    const { meta: _meta, ...rest } = m;
    return structuredClone(rest);
  };
  const findBotMessage = (chat: number | string, id: number): SentMessage | undefined =>
    messages.get(chat)?.find((m) => m.message_id === id);
  const findAnyMessage = (chat: number | string, id: number): Message | undefined => {
    const bm = findBotMessage(chat, id);
    if (bm) return toApiMessage(bm);
    return userMessages.get(chat)?.get(id);
  };
  const registerUserMessage = (m: Message): void => {
    const key = m.chat.id;
    if (!chats.has(key)) chats.set(key, m.chat);
    let map = userMessages.get(key);
    if (!map) {
      map = new Map();
      userMessages.set(key, map);
    }
    map.set(m.message_id, m);
    if ((msgCounters.get(key) ?? 0) < m.message_id) msgCounters.set(key, m.message_id);
  };

  // ----- files -----
  const registerFile = (data: Buffer, ext = 'dat'): string => {
    const n = ++idSeq;
    const folder = ext === 'jpg' ? 'photos' : ext === 'oga' || ext === 'ogg' ? 'voice' : 'documents';
    const file: StoredFile = {
      file_id: `BQACAgIAAxkfake${String(n).padStart(6, '0')}`,
      file_unique_id: `AgADfake${n}`,
      file_path: `${folder}/file_${n}.${ext}`,
      data,
    };
    files.set(file.file_id, file);
    return file.file_id;
  };

  // ----- text validation -----
  const parseText = (raw: string, parseMode: unknown, entities: unknown): ParsedText => {
    if (parseMode === undefined || parseMode === null || parseMode === '') {
      const ents = Array.isArray(entities) ? (entities as MessageEntity[]) : []; // trusted: client-provided entities
      return trimParsed({ text: raw, entities: ents });
    }
    if (parseMode === 'HTML' || parseMode === 'html') {
      try {
        return trimParsed(parseTelegramHtml(raw, { strictAmpersand }));
      } catch (err) {
        if (err instanceof HtmlParseError) throw bad(`can't parse entities: ${err.message}`);
        throw err;
      }
    }
    if (parseMode === 'MarkdownV2' || parseMode === 'Markdown') {
      // Not validated by this fake: visible text approximated by the raw text.
      return trimParsed({ text: raw, entities: [] });
    }
    throw bad('unsupported parse_mode');
  };

  const checkInlineKeyboard = (input: unknown): InlineKeyboardMarkup | undefined => {
    if (input === undefined || input === null || input === '') return undefined;
    let markup: unknown = input;
    if (typeof input === 'string') {
      // Telegram also accepts reply_markup as a JSON-serialised string
      try {
        markup = JSON.parse(input) as unknown;
      } catch {
        throw bad("can't parse reply keyboard markup JSON object");
      }
    }
    if (!isRecord(markup)) throw bad("can't parse reply keyboard markup JSON object");
    if (!('inline_keyboard' in markup)) return undefined;
    const kb = markup['inline_keyboard'];
    if (!Array.isArray(kb)) throw bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
    for (const row of kb as unknown[]) {
      if (!Array.isArray(row)) throw bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      for (const btn of row as unknown[]) {
        if (!isRecord(btn)) throw bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        if (typeof btn['text'] !== 'string') throw bad("can't parse inline keyboard button: Field \"text\" must be of type String");
        if (btn['text'].trim() === '') throw bad('BUTTON_TEXT_INVALID');
        if (!BUTTON_ACTION_FIELDS.some((f) => btn[f] !== undefined)) {
          throw bad('text buttons are unallowed in the inline keyboard');
        }
        const data = btn['callback_data'];
        if (data !== undefined) {
          if (typeof data !== 'string') throw bad("can't parse inline keyboard button: Field \"callback_data\" must be of type String");
          const len = Buffer.byteLength(data, 'utf8');
          if (len < 1 || len > 64) throw bad('BUTTON_DATA_INVALID');
        }
        const url = btn['url'];
        if (url !== undefined) {
          if (typeof url !== 'string' || !/^(https?|tg):\/\/\S+$/i.test(url)) {
            throw bad(`inline keyboard button URL '${String(url)}' is invalid: Wrong HTTP URL`);
          }
        }
      }
    }
    // validated structurally above
    return markup as unknown as InlineKeyboardMarkup;
  };

  const resolveChat = (p: Record<string, unknown>): number | string => {
    const key = toChatKey(p['chat_id']);
    if (key === undefined) {
      if (p['chat_id'] === undefined || p['chat_id'] === '') throw bad('chat_id is empty');
      throw bad('chat not found');
    }
    if (options.strictChats === true && !chats.has(key)) throw bad('chat not found');
    if (blockedChats.has(String(key))) throw new TgError(403, 'Forbidden: bot was blocked by the user');
    return key;
  };

  const replyTarget = (chat: number | string, p: Record<string, unknown>): ReplyMessage | undefined => {
    const rp = p['reply_parameters'];
    let id: number | undefined;
    let allowWithout = p['allow_sending_without_reply'] === true;
    if (isRecord(rp)) {
      id = toInt(rp['message_id']);
      if (rp['allow_sending_without_reply'] === true) allowWithout = true;
    } else {
      id = toInt(p['reply_to_message_id']);
    }
    if (id === undefined) return undefined;
    const target = findAnyMessage(chat, id);
    if (!target) {
      if (allowWithout) return undefined;
      throw bad('message to be replied not found');
    }
    const { reply_to_message: _nested, ...flat } = target;
    return flat as ReplyMessage; // a reply_to_message never contains its own reply_to_message
  };

  const storeBotMessage = (chat: number | string, msg: Omit<SentMessage, 'message_id' | 'chat' | 'from' | 'date'>): SentMessage => {
    const sent: SentMessage = {
      message_id: nextMessageId(chat),
      from: botUser,
      chat: chatFor(chat),
      date: nowSec(),
      ...msg,
    };
    let list = messages.get(chat);
    if (!list) {
      list = [];
      messages.set(chat, list);
    }
    list.push(sent);
    allSent.push(sent);
    // sending a real message clears the chat's draft, like Telegram does
    if (typeof chat === 'number') drafts.delete(chat);
    return sent;
  };

  // ----- method handlers -----
  type Handler = (p: Record<string, unknown>, call: ApiCall) => unknown;

  const sendMessage: Handler = (p) => {
    const chat = resolveChat(p);
    const raw = p['text'];
    if (raw === undefined || raw === null || raw === '') throw bad('message text is empty');
    if (typeof raw !== 'string') throw bad('message text is empty');
    const parsed = parseText(raw, p['parse_mode'], p['entities']);
    if (parsed.text.length === 0) throw bad('message text is empty');
    if (parsed.text.length > 4096) throw bad('message is too long');
    const markup = checkInlineKeyboard(p['reply_markup']);
    const reply = replyTarget(chat, p);
    const sent = storeBotMessage(chat, {
      text: parsed.text,
      ...(parsed.entities.length > 0 ? { entities: parsed.entities } : {}),
      ...(markup && markup.inline_keyboard.length > 0 ? { reply_markup: markup } : {}),
      ...(reply ? { reply_to_message: reply } : {}),
      meta: {
        method: 'sendMessage',
        raw,
        ...(typeof p['parse_mode'] === 'string' ? { parseMode: p['parse_mode'] } : {}),
        editCount: 0,
        history: [],
        ...(p['reply_markup'] !== undefined && markup === undefined ? { otherMarkup: p['reply_markup'] } : {}),
      },
    });
    return toApiMessage(sent);
  };

  const checkCaption = (p: Record<string, unknown>): ParsedText | undefined => {
    const raw = p['caption'];
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (typeof raw !== 'string') throw bad('caption must be a string');
    const parsed = parseText(raw, p['parse_mode'], p['caption_entities']);
    if (parsed.text.length > 1024) throw bad('message caption is too long');
    return parsed;
  };

  const sendMedia = (kind: 'photo' | 'document'): Handler => (p) => {
    const chat = resolveChat(p);
    const media = p[kind];
    if (media === undefined || media === null || media === '') throw bad(`there is no ${kind} in the request`);
    let bytes: number | undefined;
    let fileId: string;
    let fileName: string | undefined;
    if (isRecord(media) && media['kind'] === 'upload') {
      // constructed by this server from a multipart part
      const up = media as unknown as UploadedFile;
      if (up.size === 0) throw bad('file must be non-empty');
      bytes = up.size;
      fileName = up.filename;
      fileId = registerFile(up.data, kind === 'photo' ? 'jpg' : (up.filename.split('.').pop() ?? 'dat'));
    } else if (typeof media === 'string') {
      if (media.startsWith('attach://')) throw bad(`can't find attached file "${media.slice(9)}"`);
      const known = files.get(media);
      fileId = known ? known.file_id : media.startsWith('http') ? registerFile(Buffer.alloc(0), 'jpg') : media;
      if (!known && !media.startsWith('http') && !/^[A-Za-z0-9_-]{10,}$/.test(media)) {
        throw bad('wrong remote file identifier specified: Wrong string length');
      }
      bytes = known?.data.length;
    } else {
      throw bad(`there is no ${kind} in the request`);
    }
    const caption = checkCaption(p);
    const markup = checkInlineKeyboard(p['reply_markup']);
    const reply = replyTarget(chat, p);
    const stored = files.get(fileId);
    const unique = stored?.file_unique_id ?? `AgADuniq${++idSeq}`;
    const sizeField = bytes !== undefined ? { file_size: bytes } : {};
    const sent = storeBotMessage(chat, {
      ...(kind === 'photo'
        ? {
            photo: [
              { file_id: `${fileId}_s`, file_unique_id: `${unique}_s`, width: 90, height: 67, ...sizeField },
              { file_id: fileId, file_unique_id: unique, width: 1280, height: 960, ...sizeField },
            ],
          }
        : {
            document: {
              file_id: fileId,
              file_unique_id: unique,
              ...(fileName !== undefined ? { file_name: fileName } : {}),
              mime_type: 'application/octet-stream',
              ...sizeField,
            },
          }),
      ...(caption && caption.text.length > 0 ? { caption: caption.text } : {}),
      ...(caption && caption.entities.length > 0 ? { caption_entities: caption.entities } : {}),
      ...(markup && markup.inline_keyboard.length > 0 ? { reply_markup: markup } : {}),
      ...(reply ? { reply_to_message: reply } : {}),
      meta: {
        method: kind === 'photo' ? 'sendPhoto' : 'sendDocument',
        ...(typeof p['caption'] === 'string' ? { raw: p['caption'] } : {}),
        ...(typeof p['parse_mode'] === 'string' ? { parseMode: p['parse_mode'] } : {}),
        ...(bytes !== undefined ? { fileBytes: bytes } : {}),
        editCount: 0,
        history: [],
      },
    });
    return toApiMessage(sent);
  };

  const editTarget = (p: Record<string, unknown>): SentMessage | 'inline' => {
    if (typeof p['inline_message_id'] === 'string' && p['inline_message_id'] !== '') return 'inline';
    const chat = toChatKey(p['chat_id']);
    const id = toInt(p['message_id']);
    if (chat === undefined) throw bad('chat_id is empty');
    if (id === undefined) throw bad('message identifier is not specified');
    const m = findBotMessage(chat, id);
    if (!m) {
      if (userMessages.get(chat)?.has(id)) throw bad("message can't be edited");
      throw bad('message to edit not found');
    }
    return m;
  };

  const notModified = (): TgError =>
    bad(
      'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );

  const editMessageText: Handler = (p) => {
    const target = editTarget(p);
    const raw = p['text'];
    if (typeof raw !== 'string' || raw === '') throw bad('message text is empty');
    const parsed = parseText(raw, p['parse_mode'], p['entities']);
    if (parsed.text.length === 0) throw bad('message text is empty');
    if (parsed.text.length > 4096) throw bad('message is too long');
    const markup = checkInlineKeyboard(p['reply_markup']);
    if (target === 'inline') return true;
    if (target.text === undefined) throw bad('there is no text in the message to edit');
    const sameText = target.text === parsed.text && JSON.stringify(target.entities ?? []) === JSON.stringify(parsed.entities);
    if (sameText && normalizeMarkup(target.reply_markup) === normalizeMarkup(markup)) throw notModified();
    target.meta.history.push(target.text);
    target.text = parsed.text;
    if (parsed.entities.length > 0) target.entities = parsed.entities;
    else delete target.entities;
    if (markup && markup.inline_keyboard.length > 0) target.reply_markup = markup;
    else delete target.reply_markup;
    target.edit_date = nowSec();
    target.meta.raw = raw;
    if (typeof p['parse_mode'] === 'string') target.meta.parseMode = p['parse_mode'];
    else delete target.meta.parseMode;
    target.meta.editCount++;
    return toApiMessage(target);
  };

  const editMessageCaption: Handler = (p) => {
    const target = editTarget(p);
    const parsed = checkCaption(p) ?? { text: '', entities: [] };
    const markup = checkInlineKeyboard(p['reply_markup']);
    if (target === 'inline') return true;
    if (target.photo === undefined && target.document === undefined) throw bad('there is no caption in the message to edit');
    const same =
      (target.caption ?? '') === parsed.text &&
      JSON.stringify(target.caption_entities ?? []) === JSON.stringify(parsed.entities) &&
      normalizeMarkup(target.reply_markup) === normalizeMarkup(markup);
    if (same) throw notModified();
    target.meta.history.push(target.caption ?? '');
    if (parsed.text) target.caption = parsed.text;
    else delete target.caption;
    if (parsed.entities.length > 0) target.caption_entities = parsed.entities;
    else delete target.caption_entities;
    if (markup && markup.inline_keyboard.length > 0) target.reply_markup = markup;
    else delete target.reply_markup;
    target.edit_date = nowSec();
    target.meta.editCount++;
    return toApiMessage(target);
  };

  const editMessageReplyMarkup: Handler = (p) => {
    const target = editTarget(p);
    const markup = checkInlineKeyboard(p['reply_markup']);
    if (target === 'inline') return true;
    if (normalizeMarkup(target.reply_markup) === normalizeMarkup(markup)) throw notModified();
    if (markup && markup.inline_keyboard.length > 0) target.reply_markup = markup;
    else delete target.reply_markup;
    target.edit_date = nowSec();
    target.meta.editCount++;
    return toApiMessage(target);
  };

  const deleteMessage: Handler = (p) => {
    const chat = resolveChat(p);
    const id = toInt(p['message_id']);
    if (id === undefined) throw bad('message identifier is not specified');
    const list = messages.get(chat);
    const idx = list?.findIndex((m) => m.message_id === id) ?? -1;
    if (list && idx >= 0) {
      list.splice(idx, 1);
      return true;
    }
    const um = userMessages.get(chat);
    if (um?.has(id)) {
      um.delete(id);
      return true;
    }
    throw bad('message to delete not found');
  };

  const answerCallbackQuery: Handler = (p) => {
    const id = p['callback_query_id'];
    const q = typeof id === 'string' ? callbackQueries.get(id) : undefined;
    if (!q || q.answered) throw bad('query is too old and response timeout expired or query ID is invalid');
    const text = p['text'];
    if (typeof text === 'string' && text.length > 200) throw bad('MESSAGE_TOO_LONG');
    q.answered = true;
    return true;
  };

  const answerInlineQuery: Handler = (p) => {
    const id = p['inline_query_id'];
    const q = typeof id === 'string' ? inlineQueries.get(id) : undefined;
    if (!q || q.answered) throw bad('query is too old and response timeout expired or query ID is invalid');
    const results = p['results'];
    if (!Array.isArray(results)) throw bad('results must be an Array');
    if (results.length > 50) throw bad('RESULTS_TOO_MUCH');
    const ids = new Set<string>();
    for (const r of results as unknown[]) {
      if (!isRecord(r) || typeof r['type'] !== 'string') throw bad("can't parse InlineQueryResult: Field \"type\" must be of type String");
      const rid = r['id'];
      if (typeof rid !== 'string' || rid === '' || Buffer.byteLength(rid) > 64) throw bad('RESULT_ID_INVALID');
      if (ids.has(rid)) throw bad('RESULT_ID_DUPLICATE');
      ids.add(rid);
      if (r['type'] === 'article' && (typeof r['title'] !== 'string' || r['title'] === '')) throw bad('RESULT_TITLE_EMPTY');
      const imc = r['input_message_content'];
      if (isRecord(imc) && 'message_text' in imc) {
        const mt = imc['message_text'];
        if (typeof mt !== 'string' || mt === '') throw bad('MESSAGE_EMPTY');
        const parsed = parseText(mt, imc['parse_mode'], imc['entities']);
        if (parsed.text.length === 0) throw bad('MESSAGE_EMPTY');
        if (parsed.text.length > 4096) throw bad('MESSAGE_TOO_LONG');
      }
      checkInlineKeyboard(r['reply_markup']);
    }
    q.answered = true;
    return true;
  };

  const sendChatAction: Handler = (p) => {
    resolveChat(p);
    if (typeof p['action'] !== 'string' || !CHAT_ACTIONS.has(p['action'])) throw bad('wrong parameter action in request');
    return true;
  };

  const sendMessageDraft: Handler = (p) => {
    const chat = resolveChat(p);
    const chatObj = chatFor(chat);
    if (typeof chat !== 'number' || chat <= 0 || chatObj.type !== 'private') throw bad('TEXTDRAFT_PEER_INVALID');
    const draftId = toInt(p['draft_id']);
    if (draftId === undefined || draftId === 0) throw bad('draft_id must be non-zero');
    const raw = p['text'] ?? '';
    if (typeof raw !== 'string') throw bad('text must be a string');
    const parsed = raw === '' ? { text: '', entities: [] } : parseText(raw, p['parse_mode'], p['entities']);
    if (parsed.text.length > 4096) throw bad('message is too long');
    const prev = drafts.get(chat);
    drafts.set(chat, {
      chat_id: chat,
      draft_id: draftId,
      text: parsed.text,
      raw,
      updates: (prev?.draft_id === draftId ? prev.updates : 0) + 1,
    });
    return true;
  };

  const commandsKey = (p: Record<string, unknown>): string =>
    `${JSON.stringify(p['scope'] ?? { type: 'default' })}|${typeof p['language_code'] === 'string' ? p['language_code'] : ''}`;

  const setMyCommands: Handler = (p) => {
    const list = p['commands'];
    if (!Array.isArray(list)) throw bad('commands must be an Array');
    if (list.length > 100) throw bad('too many commands');
    for (const c of list as unknown[]) {
      if (!isRecord(c) || typeof c['command'] !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c['command'])) {
        throw bad('BOT_COMMAND_INVALID');
      }
      const d = c['description'];
      if (typeof d !== 'string' || d.trim().length === 0 || d.length > 256) throw bad('BOT_COMMAND_DESCRIPTION_INVALID');
    }
    // validated above
    commands.set(commandsKey(p), list as BotCommand[]);
    return true;
  };

  const handlers: Record<string, Handler> = {
    getme: () => botInfo,
    logout: () => true,
    close: () => true,
    deletewebhook: (p) => {
      webhookUrl = undefined;
      if (p['drop_pending_updates'] === true) updates = [];
      return true;
    },
    setwebhook: (p) => {
      const url = p['url'];
      if (typeof url !== 'string' || url === '') {
        webhookUrl = undefined;
        return true;
      }
      if (!url.startsWith('https://')) throw bad('bad webhook: An HTTPS URL must be provided for webhook');
      webhookUrl = url;
      if (p['drop_pending_updates'] === true) updates = [];
      return true;
    },
    getwebhookinfo: () => ({
      url: webhookUrl ?? '',
      has_custom_certificate: false,
      pending_update_count: updates.length,
      ...(allowedUpdates ? { allowed_updates: allowedUpdates } : {}),
    }),
    setmycommands: setMyCommands,
    getmycommands: (p) => commands.get(commandsKey(p)) ?? [],
    deletemycommands: (p) => {
      commands.delete(commandsKey(p));
      return true;
    },
    sendmessage: sendMessage,
    editmessagetext: editMessageText,
    editmessagecaption: editMessageCaption,
    editmessagereplymarkup: editMessageReplyMarkup,
    deletemessage: deleteMessage,
    answercallbackquery: answerCallbackQuery,
    answerinlinequery: answerInlineQuery,
    sendchataction: sendChatAction,
    sendphoto: sendMedia('photo'),
    senddocument: sendMedia('document'),
    sendmessagedraft: sendMessageDraft,
    getchat: (p) => {
      const key = resolveChat(p);
      if (!chats.has(key)) throw bad('chat not found');
      return { ...chatFor(key), accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} };
    },
    getfile: (p) => {
      const id = p['file_id'];
      const f = typeof id === 'string' ? files.get(id) : undefined;
      if (!f) throw bad('invalid file_id');
      if ((f.size ?? f.data.length) > 20 * 1024 * 1024) throw bad('file is too big');
      return { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.data.length, file_path: f.file_path };
    },
  };

  // ----- call waiters -----
  const notify = (call: ApiCall): void => {
    const idx = calls.indexOf(call);
    for (const w of [...callWaiters]) {
      if (idx < w.since) continue;
      let match = false;
      try {
        match = w.pred(call);
      } catch {
        match = false;
      }
      if (match) {
        clearTimeout(w.timer);
        callWaiters.splice(callWaiters.indexOf(w), 1);
        w.resolve(call);
      }
    }
  };
  const notified = new WeakSet<ApiCall>();
  const settle = (call: ApiCall, response: TelegramResponse | undefined): void => {
    if (response !== undefined) {
      call.response = response;
      call.ok = response.ok;
    }
    if (!notified.has(call)) {
      notified.add(call);
      notify(call);
    }
  };

  const describeCalls = (): string => {
    const polls = calls.filter((c) => c.method.toLowerCase() === 'getupdates').length;
    const recent = calls.filter((c) => c.method.toLowerCase() !== 'getupdates').slice(-15);
    const lines = recent.map((c) => {
      const r = c.response;
      const outcome = r === undefined ? 'pending' : r.ok ? 'ok' : `${r.error_code} ${r.description}`;
      return `  #${calls.indexOf(c)} ${c.method} ${short(c.payload)} -> ${outcome}`;
    });
    return `Recent calls (${calls.length} total, ${polls} getUpdates not listed):\n${lines.join('\n') || '  (none)'}`;
  };

  const toPredicate = (p: string | CallPredicate): CallPredicate =>
    typeof p === 'string' ? (c) => c.method.toLowerCase() === p.toLowerCase() : p;

  const waitFor = (predicate: string | CallPredicate, timeoutMs = 2000, opts: WaitForOptions = {}): Promise<ApiCall> => {
    const pred = toPredicate(predicate);
    const since = opts.since ?? 0;
    for (let i = since; i < calls.length; i++) {
      const c = calls[i];
      if (c === undefined || !notified.has(c)) continue;
      let match = false;
      try {
        match = pred(c);
      } catch {
        match = false;
      }
      if (match) return Promise.resolve(c);
    }
    return new Promise<ApiCall>((resolve, reject) => {
      const waiter: CallWaiter = {
        pred,
        since,
        resolve,
        reject,
        timer: setTimeout(() => {
          callWaiters.splice(callWaiters.indexOf(waiter), 1);
          const label = typeof predicate === 'string' ? `method "${predicate}"` : 'predicate';
          reject(new Error(`fake-telegram: waitFor(${label}) timed out after ${timeoutMs} ms.\n${describeCalls()}`));
        }, timeoutMs),
      };
      callWaiters.push(waiter);
    });
  };

  // ----- long polling -----
  const isAllowed = (u: Update): boolean => {
    const type = Object.keys(u).find((k) => k !== 'update_id') ?? '';
    if (allowedUpdates === undefined || allowedUpdates.length === 0) {
      return type !== 'chat_member' && type !== 'message_reaction' && type !== 'message_reaction_count';
    }
    return allowedUpdates.includes(type);
  };
  const confirm = (offset: number): void => {
    if (offset > 0) updates = updates.filter((u) => u.update_id >= offset);
  };
  const select = (offset: number, limit: number): Update[] => {
    updates = updates.filter(isAllowed);
    const base = offset < 0 ? updates.slice(offset) : updates.filter((u) => u.update_id >= offset);
    return structuredClone(base.slice(0, limit));
  };
  const finishPoll = (w: PollWaiter, response: TelegramResponse): void => {
    if (w.done) return;
    w.done = true;
    clearTimeout(w.timer);
    if (pollWaiter === w) pollWaiter = undefined;
    settle(w.call, response);
    sendJson(w.res, response.ok ? 200 : response.error_code, response);
  };
  const wakePoll = (): void => {
    const w = pollWaiter;
    if (!w || w.done) return;
    const batch = select(w.offset, w.limit);
    if (batch.length > 0) finishPoll(w, { ok: true, result: batch });
  };
  const pollAlive = (w: PollWaiter | undefined): w is PollWaiter =>
    w !== undefined && !w.done && !w.res.destroyed && w.res.socket?.destroyed !== true;

  const conflictResponse = (): TelegramResponse => ({
    ok: false,
    error_code: 409,
    description: defaultDescription(409),
  });

  const handleGetUpdates = async (p: Record<string, unknown>, call: ApiCall, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const reply = (r: TelegramResponse): void => {
      settle(call, r);
      sendJson(res, r.ok ? 200 : r.error_code, r);
    };
    if (webhookUrl !== undefined) {
      reply({
        ok: false,
        error_code: 409,
        description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
      return;
    }
    const offset = toInt(p['offset']) ?? 0;
    const limitRaw = toInt(p['limit']) ?? 100;
    const limit = Math.min(100, Math.max(1, limitRaw));
    const timeout = Math.max(0, Number(p['timeout'] ?? 0) || 0);
    if (Array.isArray(p['allowed_updates'])) {
      allowedUpdates = (p['allowed_updates'] as unknown[]).filter((x): x is string => typeof x === 'string');
    }
    if (dropGetUpdates > 0) {
      dropGetUpdates--;
      confirm(offset);
      settle(call, undefined);
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    if (pollAlive(pollWaiter)) {
      // grace period: the client may have aborted the previous poll (bot.stop()) and
      // the socket close may not have been processed yet
      await sleep(15);
      if (pollAlive(pollWaiter)) {
        if (conflictMode === 'reject-new') {
          reply(conflictResponse());
          return;
        }
        finishPoll(pollWaiter, conflictResponse());
      }
    }
    confirm(offset);
    const batch = select(offset, limit);
    if (batch.length > 0 || timeout === 0) {
      reply({ ok: true, result: batch });
      return;
    }
    const waiter: PollWaiter = {
      res,
      call,
      offset,
      limit,
      done: false,
      timer: setTimeout(() => finishPoll(waiter, { ok: true, result: [] }), timeout * 1000),
    };
    pollWaiter = waiter;
    settle(call, undefined); // announce the pending poll to waitFor('getUpdates')
    res.on('close', () => {
      if (!waiter.done) {
        waiter.done = true;
        clearTimeout(waiter.timer);
        if (pollWaiter === waiter) pollWaiter = undefined;
      }
    });
  };

  // ----- HTTP -----
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const msg = err instanceof Error ? err.message : String(err);
      sendJson(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: fake-telegram: ${msg}` });
    });
  });
  const sockets = trackSockets(server);
  const port = await listenLocal(server);
  const apiRoot = `http://127.0.0.1:${port}`;

  async function decodePayload(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
    const payload: Record<string, unknown> = {};
    for (const [k, v] of url.searchParams) payload[k] = decodeField(k, v);
    const raw = await readBody(req);
    if (raw.length === 0) return payload;
    const ctype = req.headers['content-type'] ?? '';
    const boundary = multipartBoundary(ctype);
    if (boundary !== undefined) {
      const uploads = new Map<string, UploadedFile>();
      for (const part of parseMultipart(raw, boundary)) {
        if (part.filename !== undefined) {
          uploads.set(part.name, {
            kind: 'upload',
            filename: part.filename,
            contentType: part.contentType,
            size: part.data.length,
            data: part.data,
          });
        } else {
          payload[part.name] = decodeField(part.name, part.data.toString('utf8'));
        }
      }
      const resolve = (v: unknown): unknown => {
        if (typeof v === 'string' && v.startsWith('attach://')) return uploads.get(v.slice(9)) ?? v;
        if (Array.isArray(v)) return v.map(resolve);
        if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
        return v;
      };
      for (const [k, v] of Object.entries(payload)) payload[k] = resolve(v);
      // files uploaded directly under the field name (no attach:// indirection)
      for (const [name, up] of uploads) if (!(name in payload)) payload[name] = up;
      return payload;
    }
    if (/application\/x-www-form-urlencoded/i.test(ctype)) {
      for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) payload[k] = decodeField(k, v);
      return payload;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw bad("can't parse JSON object");
    }
    if (!isRecord(json)) throw bad("can't parse JSON object");
    return { ...payload, ...json };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', apiRoot);
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      await readBody(req);
      const path = decodeURIComponent(fileMatch[2] ?? '');
      const f = [...files.values()].find((x) => x.file_path === path);
      if (!f) {
        sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found: file not found' });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(f.data.length) });
      res.end(f.data);
      return;
    }
    const m = /^\/bot([^/]*)\/([^/]*)$/.exec(url.pathname);
    if (!m) {
      await readBody(req);
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const callToken = decodeURIComponent(m[1] ?? '');
    const method = m[2] ?? '';
    let payload: Record<string, unknown>;
    const call: ApiCall = { method, payload: {}, at: Date.now(), token: callToken };
    calls.push(call);
    try {
      payload = await decodePayload(req, url);
    } catch (err) {
      const e = err instanceof TgError ? err : bad(String(err));
      const r: TelegramResponse = { ok: false, error_code: e.code, description: e.description };
      settle(call, r);
      sendJson(res, e.code, r);
      return;
    }
    call.payload = payload;
    const key = method.toLowerCase();

    const reply = (r: TelegramResponse): void => {
      settle(call, r);
      sendJson(res, r.ok ? 200 : r.error_code, r);
    };

    if (callToken === '' || !/^[^\s]+$/.test(callToken)) {
      reply({ ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }

    // injected faults
    for (const q of [key, '*']) {
      const queue = failQueues.get(q);
      const spec = queue?.shift();
      if (spec !== undefined) {
        const r: TelegramResponse = {
          ok: false,
          error_code: spec.error_code,
          description: spec.description ?? defaultDescription(spec.error_code, spec.retry_after),
          ...(spec.retry_after !== undefined ? { parameters: { retry_after: spec.retry_after } } : {}),
        };
        reply(r);
        return;
      }
    }

    if (key === 'getupdates') {
      await handleGetUpdates(payload, call, req, res);
      return;
    }
    const handler = handlers[key];
    if (handler === undefined) {
      reply({ ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    if (delayMs > 0) await sleep(delayMs);
    try {
      const result = handler(payload, call);
      reply({ ok: true, result });
    } catch (err) {
      if (err instanceof TgError) {
        reply({
          ok: false,
          error_code: err.code,
          description: err.description,
          ...(err.parameters ? { parameters: err.parameters } : {}),
        });
        return;
      }
      throw err;
    }
  }

  // ----- update builders -----
  const pushUpdate = (input: Omit<Update, 'update_id'> & { update_id?: number }): Update => {
    if (closed) throw new Error('fake-telegram: pushUpdate after close()');
    const id = input.update_id ?? nextUpdateId;
    nextUpdateId = Math.max(nextUpdateId, id + 1);
    const update: Update = { ...input, update_id: id };
    for (const msg of [update.message, update.edited_message]) {
      if (msg) registerUserMessage(msg);
    }
    updates.push(update);
    wakePoll();
    return update;
  };

  const detectEntities = (text: string): MessageEntity[] => {
    const out: MessageEntity[] = [];
    const cmd = /(?<![\p{L}\p{N}_/<>])\/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?(?![\p{L}\p{N}_/<>])/gu;
    for (const mm of text.matchAll(cmd)) out.push({ type: 'bot_command', offset: mm.index, length: mm[0].length });
    const mention = /(?<![\p{L}\p{N}_])@[a-zA-Z0-9_]{2,32}(?![\p{L}\p{N}_])/gu;
    for (const mm of text.matchAll(mention)) {
      const prev = text[mm.index - 1];
      if (prev !== undefined && /[a-zA-Z0-9_]/.test(prev)) continue; // part of /cmd@bot
      out.push({ type: 'mention', offset: mm.index, length: mm[0].length });
    }
    const link = /https?:\/\/[^\s<>"]+/g;
    for (const mm of text.matchAll(link)) out.push({ type: 'url', offset: mm.index, length: mm[0].length });
    return out.sort((a, b) => a.offset - b.offset);
  };

  const buildMessage = (chatLike: ChatLike, fromLike: UserLike, group: boolean, extra: MessageExtra | undefined): Message & Update.NonChannel => {
    const from = makeUser(fromLike);
    const chat = makeChat(chatLike, from, group);
    if (chat.type === 'channel') throw new Error('fake-telegram: use pushUpdate({channel_post}) for channels');
    const { replyTo, ...rest } = extra ?? {};
    const msg: Message & Update.NonChannel = {
      message_id: nextMessageId(chat.id),
      from,
      chat,
      date: nowSec(),
      ...rest,
    };
    if (replyTo !== undefined) {
      const target = findAnyMessage(chat.id, replyTo);
      if (!target) throw new Error(`fake-telegram: replyTo message ${replyTo} not found in chat ${chat.id}`);
      const { reply_to_message: _n, ...flat } = target;
      msg.reply_to_message = flat as ReplyMessage; // reply_to_message never nests further
    }
    return msg;
  };

  const sendText = (chat: ChatLike, from: UserLike, text: string, extra?: MessageExtra): Update => {
    const msg = buildMessage(chat, from, false, extra);
    msg.text = text;
    if (extra?.entities === undefined) {
      const ents = detectEntities(text);
      if (ents.length > 0) msg.entities = ents;
    }
    return pushUpdate({ message: msg });
  };

  const sendGroupText = (chat: ChatLike, from: UserLike, text: string, extra?: MessageExtra): Update => {
    const c = typeof chat === 'number' && chat > 0 ? -chat : chat;
    const msg = buildMessage(c, from, true, extra);
    msg.text = text;
    if (extra?.entities === undefined) {
      const ents = detectEntities(text);
      if (ents.length > 0) msg.entities = ents;
    }
    return pushUpdate({ message: msg });
  };

  const sendSticker = (chat: ChatLike, from: UserLike, opts: { emoji?: string; set_name?: string } = {}): Update => {
    const msg = buildMessage(chat, from, false, undefined);
    const n = ++idSeq;
    const sticker: Sticker = {
      file_id: `CAACAgIAAxkfakesticker${n}`,
      file_unique_id: `AgADsticker${n}`,
      type: 'regular',
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
      emoji: opts.emoji ?? '👍',
      set_name: opts.set_name ?? 'FakeStickers',
      file_size: 12345,
    };
    msg.sticker = sticker;
    return pushUpdate({ message: msg });
  };

  const sendVoice = (
    chat: ChatLike,
    from: UserLike,
    data: Buffer = Buffer.from('OggS fake voice data'),
    opts: { duration?: number; mime_type?: string } = {},
  ): Update => {
    const msg = buildMessage(chat, from, false, undefined);
    const fileId = registerFile(data, 'oga');
    const f = files.get(fileId);
    const voice: Voice = {
      file_id: fileId,
      file_unique_id: f?.file_unique_id ?? fileId,
      duration: opts.duration ?? 3,
      mime_type: opts.mime_type ?? 'audio/ogg',
      file_size: data.length,
    };
    msg.voice = voice;
    return pushUpdate({ message: msg });
  };

  const sendDocument = (
    chat: ChatLike,
    from: UserLike,
    data: Buffer,
    opts: { file_name: string; mime_type?: string; size?: number; extra?: MessageExtra },
  ): Update => {
    const msg = buildMessage(chat, from, false, opts.extra);
    const ext = /\.([A-Za-z0-9]{1,8})$/.exec(opts.file_name)?.[1]?.toLowerCase() ?? 'dat';
    const fileId = registerFile(data, ext);
    const f = files.get(fileId);
    if (f && opts.size !== undefined) f.size = opts.size;
    msg.document = {
      file_id: fileId,
      file_unique_id: f?.file_unique_id ?? fileId,
      file_name: opts.file_name,
      mime_type: opts.mime_type ?? 'application/octet-stream',
      file_size: opts.size ?? data.length,
    };
    return pushUpdate({ message: msg });
  };

  const pressButton = (
    messageOrId: SentMessage | number,
    callbackData: string,
    fromLike: UserLike,
    opts: { force?: boolean; chatId?: number } = {},
  ): Update => {
    let target: SentMessage | undefined;
    if (typeof messageOrId === 'number') {
      const candidates: SentMessage[] = [];
      for (const [chat, list] of messages) {
        if (opts.chatId !== undefined && chat !== opts.chatId) continue;
        for (const m of list) if (m.message_id === messageOrId) candidates.push(m);
      }
      if (candidates.length > 1) {
        throw new Error(`fake-telegram: message_id ${messageOrId} exists in several chats; pass the SentMessage or opts.chatId`);
      }
      target = candidates[0];
    } else {
      target = findBotMessage(messageOrId.chat.id, messageOrId.message_id);
    }
    if (!target) throw new Error(`fake-telegram: pressButton: bot message ${typeof messageOrId === 'number' ? messageOrId : messageOrId.message_id} not found (deleted?)`);
    if (opts.force !== true) {
      const all = (target.reply_markup?.inline_keyboard ?? []).flat();
      const found = all.some((b) => 'callback_data' in b && b.callback_data === callbackData);
      if (!found) {
        const datas = all.map((b) => ('callback_data' in b ? b.callback_data : `(${b.text})`));
        throw new Error(
          `fake-telegram: pressButton: no button with callback_data ${JSON.stringify(callbackData)} on message ${target.message_id}; buttons: ${JSON.stringify(datas)} (use {force:true} to send anyway)`,
        );
      }
    }
    const id = String(4000000000000000000n + BigInt(++idSeq));
    callbackQueries.set(id, { answered: false });
    const query: CallbackQuery = {
      id,
      from: makeUser(fromLike),
      message: toApiMessage(target),
      chat_instance: String(Math.abs(target.chat.id) * 7919 + 1),
      data: callbackData,
    };
    return pushUpdate({ callback_query: query });
  };

  const inlineQuery = (fromLike: UserLike, query: string, opts: { offset?: string; chat_type?: InlineQuery['chat_type'] } = {}): Update => {
    const id = String(5000000000000000000n + BigInt(++idSeq));
    inlineQueries.set(id, { answered: false });
    const q: InlineQuery = {
      id,
      from: makeUser(fromLike),
      query,
      offset: opts.offset ?? '',
      chat_type: opts.chat_type ?? 'sender',
    };
    return pushUpdate({ inline_query: q });
  };

  return {
    apiRoot,
    port,
    token,
    botInfo,
    calls,
    messages,
    drafts,
    pendingUpdates: () => structuredClone(updates),
    pushUpdate,
    sendText,
    sendGroupText,
    sendSticker,
    sendVoice,
    sendDocument,
    pressButton,
    inlineQuery,
    messagesIn: (chatId) => messages.get(toChatKey(chatId) ?? chatId) ?? [],
    lastMessage: (chatId) => {
      if (chatId !== undefined) return messages.get(toChatKey(chatId) ?? chatId)?.at(-1);
      for (let i = allSent.length - 1; i >= 0; i--) {
        const m = allSent[i];
        if (m !== undefined && [...messages.values()].some((l) => l.includes(m))) return m;
      }
      return undefined;
    },
    callsOf: (method) => calls.filter((c) => c.method.toLowerCase() === method.toLowerCase()),
    mark: () => calls.length,
    waitFor,
    nextCall: (predicate, timeoutMs) => waitFor(predicate, timeoutMs, { since: calls.length }),
    registerFile,
    failNext: (method, n, spec) => {
      const key = method === '*' ? '*' : method.toLowerCase();
      const q = failQueues.get(key) ?? [];
      for (let i = 0; i < n; i++) q.push(spec);
      failQueues.set(key, q);
    },
    blockChat: (chatId) => {
      blockedChats.add(String(chatId));
    },
    dropNextGetUpdates: (n) => {
      dropGetUpdates += n;
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    close: async () => {
      closed = true;
      if (pollWaiter) {
        pollWaiter.done = true;
        clearTimeout(pollWaiter.timer);
        pollWaiter = undefined;
      }
      for (const w of callWaiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new Error(`fake-telegram: closed while waiting for a call.\n${describeCalls()}`));
      }
      await closeServer(server, sockets);
    },
  };
}
