// The terminal chat: the very same grammY bot, with no network. An API transformer answers
// every Bot API call in-process and shows it in the terminal (HTML as readable text, inline
// buttons numbered); each typed line becomes an Update fed to bot.handleUpdate.
import { createInterface } from 'node:readline';
import type { Transformer } from 'grammy';
import type { Chat, InlineKeyboardMarkup, InlineQueryResult, Message, Update, User, UserFromGetMe } from 'grammy/types';
import { redact } from '../log.ts';
import type { ZhiliBot } from './index.ts';
import { htmlToTerminal } from './terminal-text.ts';

export { htmlToTerminal };

export const TERMINAL_TOKEN = '0:terminal-chat';

export function terminalBotInfo(): UserFromGetMe {
  return {
    id: 1,
    is_bot: true,
    first_name: '智理',
    username: 'zhili_bot',
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
  };
}

// ---------------------------------------------------------------------------
// The in-process Bot API
// ---------------------------------------------------------------------------

export type TerminalOutput = NodeJS.WritableStream & { isTTY?: boolean };

type Pressable = { kind: 'callback'; messageId: number; data: string } | { kind: 'inline'; result: InlineQueryResult };

const dim = (text: string, color: boolean): string => (color ? `\x1b[2m${text}\x1b[22m` : text);

export class TerminalTelegram {
  readonly user: User;
  readonly chat: Chat.PrivateChat;
  private readonly botUser: User;
  private readonly messages = new Map<number, Message>();
  private readonly buttons = new Map<number, Pressable>();
  private messageSeq = 0;
  private updateSeq = 0;
  private querySeq = 0;
  /** the next buttons shown start again at 1 */
  private renumber = true;
  private status = false;
  private hinted = false;

  constructor(
    private readonly out: TerminalOutput,
    private readonly botInfo: UserFromGetMe,
    private readonly color: boolean,
    userId = 10_000,
  ) {
    this.user = { id: userId, is_bot: false, first_name: '同学', language_code: 'zh-hans' };
    this.chat = { id: userId, type: 'private', first_name: '同学' };
    this.botUser = { id: botInfo.id, is_bot: true, first_name: botInfo.first_name, username: botInfo.username };
  }

  private get tty(): boolean {
    return this.out.isTTY === true;
  }

  print(text: string): void {
    this.clearStatus();
    this.out.write(`${text}\n`);
  }

  private showStatus(text: string): void {
    if (!this.tty) return;
    this.out.write(`\r\x1b[2K${dim(text, this.color)}`);
    this.status = true;
  }

  private clearStatus(): void {
    if (!this.status) return;
    this.out.write('\r\x1b[2K');
    this.status = false;
  }

  /** Intercepts every Bot API call: nothing leaves the process. */
  readonly transformer = (async (_prev: unknown, method: string, payload: unknown) => {
    const result = this.handle(method, (payload ?? {}) as Record<string, unknown>);
    return { ok: true, result };
    // results are shaped like Telegram's, but per method: the generic Transformer type cannot check that
  }) as unknown as Transformer;

  private header(edited = false): string {
    const name = this.botInfo.first_name;
    return this.color ? `\x1b[1;36m${name}${edited ? '(更新了消息)' : ''}:\x1b[0m` : `${name}${edited ? '(更新了消息)' : ''}:`;
  }

  private showButtons(messageId: number, markup: InlineKeyboardMarkup | undefined): void {
    if (!markup || markup.inline_keyboard.length === 0) return;
    if (this.renumber) {
      this.buttons.clear();
      this.renumber = false;
    }
    for (const row of markup.inline_keyboard) {
      for (const button of row) {
        if ('callback_data' in button && button.callback_data !== undefined) {
          const n = this.buttons.size + 1;
          this.buttons.set(n, { kind: 'callback', messageId, data: button.callback_data });
          this.print(`  ${this.color ? `\x1b[33m${n})\x1b[39m` : `${n})`} ${button.text}`);
        } else if ('url' in button && button.url) {
          this.print(`  🔗 ${button.text} ${button.url}`);
        } else {
          this.print(`  · ${button.text}`);
        }
      }
    }
    if (!this.hinted) {
      this.print(dim('  (输入按钮前的数字即可点击)', this.color));
      this.hinted = true;
    }
  }

  private showMessage(message: Message, body: string, edited = false): void {
    this.print('');
    this.print(this.header(edited));
    this.print(body);
    this.showButtons(message.message_id, message.reply_markup);
  }

  private body(payload: Record<string, unknown>, field: 'text' | 'caption'): { visible: string; shown: string } {
    const raw = typeof payload[field] === 'string' ? (payload[field] as string) : '';
    const html = payload['parse_mode'] === 'HTML';
    return { visible: html ? htmlToTerminal(raw, false) : raw, shown: html ? htmlToTerminal(raw, this.color) : raw };
  }

  private markup(payload: Record<string, unknown>): InlineKeyboardMarkup | undefined {
    const markup = payload['reply_markup'];
    return markup && typeof markup === 'object' && 'inline_keyboard' in markup ? (markup as InlineKeyboardMarkup) : undefined;
  }

  handle(method: string, payload: Record<string, unknown>): unknown {
    switch (method) {
      case 'getMe':
        return this.botInfo;
      case 'sendMessage': {
        const { visible, shown } = this.body(payload, 'text');
        const markup = this.markup(payload);
        const message = this.store({ text: visible, ...(markup ? { reply_markup: markup } : {}) });
        this.showMessage(message, shown);
        return message;
      }
      case 'sendPhoto':
      case 'sendDocument': {
        const { visible, shown } = this.body(payload, 'caption');
        const label = method === 'sendPhoto' ? '[图片]' : '[文件]';
        const message = this.store({ caption: visible, ...(method === 'sendPhoto' ? { photo: [{ file_id: 'terminal', file_unique_id: 'terminal', width: 1, height: 1 }] } : {}) });
        this.showMessage(message, `${label} ${shown}`.trim());
        return message;
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        const id = Number(payload['message_id']);
        const previous = this.messages.get(id);
        if (!previous) return true;
        const markup = this.markup(payload);
        const { visible, shown } = method === 'editMessageText' ? this.body(payload, 'text') : { visible: previous.text ?? '', shown: previous.text ?? '' };
        const message: Message = { ...previous, text: visible, edit_date: now(), reply_markup: markup };
        if (!markup) delete message.reply_markup;
        this.messages.set(id, message);
        this.showMessage(message, shown, true);
        return message;
      }
      case 'deleteMessage':
        this.print(dim('(一条消息被撤回)', this.color));
        return true;
      case 'answerCallbackQuery':
        if (typeof payload['text'] === 'string' && payload['text'] !== '') this.print(`💬 ${payload['text']}`);
        return true;
      case 'answerInlineQuery':
        this.showInlineResults(Array.isArray(payload['results']) ? (payload['results'] as InlineQueryResult[]) : []);
        return true;
      case 'sendChatAction':
        this.showStatus(`${this.botInfo.first_name}正在输入…`);
        return true;
      case 'sendMessageDraft': {
        const text = typeof payload['text'] === 'string' ? payload['text'].replace(/\s+/g, ' ') : '';
        this.showStatus(`${this.botInfo.first_name}正在输入:…${[...text].slice(-40).join('')}`);
        return true;
      }
      case 'getMyCommands':
        return [];
      case 'getChat':
        return this.chat;
      default:
        // setMyCommands, deleteWebhook and the like: nothing to show
        return true;
    }
  }

  private showInlineResults(results: InlineQueryResult[]): void {
    this.print('');
    if (results.length === 0) {
      this.print(dim('(内联搜索没有找到匹配的摘录)', this.color));
      return;
    }
    this.print(this.color ? '\x1b[1m内联搜索结果(输入编号把它发到聊天里):\x1b[22m' : '内联搜索结果(输入编号把它发到聊天里):');
    if (this.renumber) {
      this.buttons.clear();
      this.renumber = false;
    }
    for (const result of results) {
      const n = this.buttons.size + 1;
      this.buttons.set(n, { kind: 'inline', result });
      const title = 'title' in result ? String(result.title) : result.id;
      const description = 'description' in result && result.description ? ` — ${result.description}` : '';
      this.print(`  ${n}) ${title}${description}`);
    }
  }

  private store(fields: Partial<Message>): Message {
    this.messageSeq += 1;
    const message = { message_id: this.messageSeq, date: now(), chat: this.chat, from: this.botUser, ...fields } as Message;
    this.messages.set(message.message_id, message);
    return message;
  }

  /** The update a typed line stands for; undefined when the line is handled locally. */
  updateFor(line: string): Update | undefined {
    this.updateSeq += 1;
    const update_id = this.updateSeq;
    this.renumber = true;
    const pressed = /^\d{1,3}$/.test(line) ? this.buttons.get(Number(line)) : undefined;
    if (pressed?.kind === 'callback') {
      const message = this.messages.get(pressed.messageId);
      if (message) {
        return {
          update_id,
          callback_query: {
            id: String(++this.querySeq),
            from: this.user,
            chat_instance: 'terminal',
            // our own store: bot messages with their current buttons
            message: message as Message & { date: number },
            data: pressed.data,
          },
        };
      }
    }
    if (pressed?.kind === 'inline') {
      this.sendInlineResult(pressed.result);
      return undefined;
    }
    const inline = new RegExp(`^@(?:${this.botInfo.username})?\\s+(.+)$`, 'i').exec(line);
    if (inline) {
      return {
        update_id,
        inline_query: { id: String(++this.querySeq), from: this.user, query: inline[1].trim(), offset: '', chat_type: 'sender' },
      };
    }
    this.messageSeq += 1;
    const command = /^\/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?/.exec(line);
    const message: NonNullable<Update['message']> = {
      message_id: this.messageSeq,
      date: now(),
      chat: this.chat,
      from: this.user,
      text: line,
      ...(command ? { entities: [{ type: 'bot_command' as const, offset: 0, length: command[0].length }] } : {}),
    };
    this.messages.set(message.message_id, message);
    return { update_id, message };
  }

  private sendInlineResult(result: InlineQueryResult): void {
    const content = 'input_message_content' in result ? result.input_message_content : undefined;
    if (!content || !('message_text' in content)) return;
    this.print('');
    this.print(this.color ? `\x1b[1m你(通过 @${this.botInfo.username})发送了:\x1b[22m` : `你(通过 @${this.botInfo.username})发送了:`);
    this.print(content.parse_mode === 'HTML' ? htmlToTerminal(content.message_text, this.color) : content.message_text);
  }
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

// ---------------------------------------------------------------------------
// The loop
// ---------------------------------------------------------------------------

export interface TerminalOptions {
  input: NodeJS.ReadableStream;
  output: TerminalOutput;
  /** ANSI styles; default: when output is a TTY and NO_COLOR is unset */
  color?: boolean;
  banner: string;
  userId?: number;
  /** secrets to keep out of error output */
  secrets?: string[];
}

/** Runs until the input ends (Ctrl+D, a closed pipe) or the user types /exit. */
export async function runTerminal(bot: ZhiliBot, options: TerminalOptions): Promise<void> {
  const tty = options.output.isTTY === true;
  const color = options.color ?? (tty && !process.env.NO_COLOR);
  await bot.init(); // botInfo is given: no getMe
  const term = new TerminalTelegram(options.output, bot.botInfo, color, options.userId);
  bot.api.config.use(term.transformer);
  term.print(options.banner);

  const feed = async (line: string): Promise<void> => {
    const update = term.updateFor(line);
    if (!update) return;
    try {
      await bot.handleUpdate(update);
    } catch (error) {
      // handlers have their own error boundary; this is the session store or the like
      term.print(`出错了:${redact(error instanceof Error ? error.message : String(error), options.secrets ?? [])}`);
    }
  };

  await feed('/start');
  const rl = createInterface({ input: options.input, ...(tty ? { output: options.output, terminal: true } : { terminal: false }), crlfDelay: Infinity });
  rl.setPrompt('你> ');
  const prompt = (): void => {
    if (!tty) return;
    term.print('');
    rl.prompt();
  };
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (!tty && line !== '') term.print(`\n你> ${line}`);
    if (/^\/(exit|quit)$/i.test(line) || line === '退出') break;
    if (line !== '') await feed(line);
    prompt();
  }
  rl.close();
  await bot.sessions.flush();
  term.print('\n再见!');
}
