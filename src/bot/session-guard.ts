// Sessions that cannot be read or saved (DATA_DIR read-only or full, Redis gone) must not cost
// the user the answer. Store errors are caught here: the reply still goes out, each kind of
// failure is logged once (not per update), the user is told once that progress is not being
// saved, and a session that could not be read is never overwritten with a fresh one.
import type { Middleware, StorageAdapter } from 'grammy';
import type { Logger } from '../log.ts';
import { normalizeSession, sessionKey, type BotContext, type SessionData } from './context.ts';

export const CANNOT_SAVE_NOTICE = '⚠️ 服务器暂时无法保存你的对话和练习进度。回答照常发出,但追问可能接不上上一题,练习记录也不会留下。';

export class SessionGuard {
  private readonly reported = new Set<string>();
  /** keys whose last read or write failed (their user is told, once) */
  private readonly unsaved = new Set<string>();
  private readonly told = new Set<string>();
  /** keys whose read failed in the update being handled: not written back */
  private readonly unread = new Set<string>();

  constructor(
    private readonly storage: StorageAdapter<SessionData>,
    private readonly logger: Logger,
  ) {}

  readonly adapter: StorageAdapter<SessionData> = {
    read: async (key) => {
      try {
        const value = normalizeSession(await this.storage.read(key));
        this.unread.delete(key);
        return value;
      } catch (error) {
        this.unread.add(key);
        // nothing this update changes can be kept either
        this.unsaved.add(key);
        this.report('read', error);
        return undefined;
      }
    },
    write: async (key, value) => {
      if (this.unread.delete(key)) return;
      try {
        await this.storage.write(key, value);
        this.unsaved.delete(key);
      } catch (error) {
        this.unsaved.add(key);
        this.report('write', error);
      }
    },
    delete: async (key) => {
      if (this.unread.delete(key)) return;
      try {
        await this.storage.delete(key);
      } catch (error) {
        this.report('delete', error);
      }
    },
  };

  /** Goes before the session middleware: after the update, tells a user once that nothing was saved. */
  readonly notice: Middleware<BotContext> = async (ctx, next) => {
    await next();
    const key = sessionKey(ctx);
    if (key === undefined || !this.unsaved.has(key) || this.told.has(key) || ctx.chat === undefined) return;
    this.told.add(key);
    await ctx.api.sendMessage(ctx.chat.id, CANNOT_SAVE_NOTICE).catch((error: unknown) => this.logger.debug('session.notice_failed', { error }));
  };

  private report(operation: string, error: unknown): void {
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? (error instanceof Error ? error.name : 'unknown');
    const kind = `${operation}:${code}`;
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    this.logger.error('session.store_failed', { operation, code, error, note: 'logged once per kind; answers still go out' });
  }
}
