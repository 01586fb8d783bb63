// A handler that wants the whole session gone (/forget) asks here; the session is set to null only
// after every other handler of the update has run (they still read ctx.session on the way out),
// and grammY then deletes the key from the store (file or Redis).
import type { Middleware } from 'grammy';
import type { BotContext, SessionData } from './context.ts';

const asked = new WeakSet<object>();

export function requestForget(ctx: BotContext): void {
  asked.add(ctx);
}

/** Goes right after the session middleware. */
export const forgetBoundary: Middleware<BotContext> = async (ctx, next) => {
  await next();
  if (asked.has(ctx)) ctx.session = null as unknown as SessionData;
};
