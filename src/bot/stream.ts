// Progressive display of an LLM answer. In private chats: message drafts (sendMessageDraft,
// an ephemeral preview replaced by the final message); elsewhere, or when the Bot API refuses
// drafts: one placeholder message edited at most once per interval. The final message (HTML,
// citations, buttons) is always delivered by finish(). @grammyjs/stream is not used: it needs
// Node 22 (Promise.withResolvers).
import { GrammyError, type Api } from 'grammy';
import type { Logger } from '../log.ts';
import { previewText, type OutMessage } from './render.ts';
import { editMessage, isGone, isNotModified, sendMessages } from './send.ts';

/** Shared by all streams of one bot: once the Bot API says it has no drafts, stop trying. */
export interface DraftSupport {
  enabled: boolean;
}

export interface StreamOptions {
  api: Api;
  chatId: number;
  /** drafts exist in private chats only */
  isPrivate: boolean;
  /** non-zero; drafts with the same id animate into each other */
  draftId: number;
  /** groups: the user's message the answer replies to */
  replyTo?: number;
  drafts: DraftSupport;
  /** minimum time between two edits of the placeholder (Telegram's flood limits) */
  editIntervalMs: number;
  /** minimum time between two drafts */
  draftIntervalMs: number;
  logger: Logger;
}

const CURSOR = ' …';

export class AnswerStream {
  private mode: 'draft' | 'edit';
  private latest = '';
  private shown = '';
  private lastPushAt = 0;
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private messageId?: number;
  private closed = false;
  /** number of drafts / edits actually sent (for tests and logs) */
  pushes = 0;

  constructor(private readonly options: StreamOptions) {
    this.mode = options.isPrivate && options.drafts.enabled ? 'draft' : 'edit';
  }

  get started(): boolean {
    return this.latest !== '';
  }

  /** The answer so far; cheap to call on every token. */
  update(textSoFar: string): void {
    if (this.closed || textSoFar.trim() === '') return;
    this.latest = textSoFar;
    this.schedule();
  }

  private interval(): number {
    return this.mode === 'draft' ? this.options.draftIntervalMs : this.options.editIntervalMs;
  }

  private schedule(): void {
    if (this.closed || this.timer || this.inFlight) return;
    const wait = this.lastPushAt + this.interval() - Date.now();
    if (wait <= 0) this.push();
    else this.timer = setTimeout(() => {
      this.timer = undefined;
      this.push();
    }, wait);
  }

  private push(): void {
    if (this.closed) return;
    const text = previewText(this.latest);
    if (text === this.shown || text === '') return;
    this.inFlight = this.send(text)
      .catch((error: unknown) => this.options.logger.warn('bot.stream_update_failed', { chatId: this.options.chatId, error }))
      .finally(() => {
        this.inFlight = undefined;
        this.lastPushAt = Date.now();
        if (previewText(this.latest) !== this.shown) this.schedule();
      });
  }

  private async send(text: string): Promise<void> {
    const { api, chatId } = this.options;
    if (this.mode === 'draft') {
      try {
        await api.sendMessageDraft(chatId, this.options.draftId, text);
        this.shown = text;
        this.pushes += 1;
        return;
      } catch (error) {
        if (!(error instanceof GrammyError) || (error.error_code !== 400 && error.error_code !== 404)) throw error;
        // an older or self-hosted Bot API without drafts (404), or a chat that takes none (400)
        if (error.error_code === 404) this.options.drafts.enabled = false;
        this.options.logger.info('bot.drafts_unavailable', { chatId, description: error.description });
        this.mode = 'edit';
      }
    }
    const withCursor = `${text}${CURSOR}`;
    if (this.messageId === undefined) {
      // previews are plain text (no parse_mode): half an answer is not valid HTML
      const message = await api.sendMessage(chatId, withCursor, {
        link_preview_options: { is_disabled: true },
        ...(this.options.replyTo !== undefined ? { reply_parameters: { message_id: this.options.replyTo, allow_sending_without_reply: true } } : {}),
      });
      this.messageId = message.message_id;
    } else {
      try {
        await api.editMessageText(chatId, this.messageId, withCursor, { link_preview_options: { is_disabled: true } });
      } catch (error) {
        if (!isNotModified(error)) throw error;
      }
    }
    this.shown = text;
    this.pushes += 1;
  }

  /** Stops previews and delivers the final messages (replacing the placeholder, if any). */
  async finish(messages: OutMessage[]): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    const { api, chatId, logger } = this.options;
    if (this.messageId !== undefined && messages.length > 0) {
      let edited = false;
      try {
        edited = await editMessage(api, chatId, this.messageId, messages[0], logger);
      } catch (error) {
        if (!isGone(error)) logger.warn('bot.stream_final_edit_failed', { chatId, error });
      }
      if (edited) {
        await sendMessages(api, chatId, messages.slice(1), { logger });
        return;
      }
    }
    await sendMessages(api, chatId, messages, { replyTo: this.options.replyTo, logger });
  }

  /** Stops previews and removes the half answer (the caller reports the error). */
  async cancel(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.inFlight;
    if (this.messageId === undefined) return;
    await this.options.api.deleteMessage(this.options.chatId, this.messageId).catch((error: unknown) => {
      this.options.logger.debug('bot.stream_cleanup_failed', { chatId: this.options.chatId, error });
    });
  }
}
