// The source viewer: an excerpt verbatim, and the paragraph around it.
import { Composer } from 'grammy';
import { surroundingParagraph } from '../../knowledge/chunk.ts';
import { decodeAction, verbs } from '../callbacks.ts';
import type { BotContext } from '../context.ts';
import { renderExcerpt, renderParagraph } from '../render.ts';
import { ack, sendMessages, showInPlace } from '../send.ts';
import type { BotServices } from '../types.ts';

export const EXPIRED_SOURCE = '这条出处已经找不到了(知识库可能已更新),请重新提问。';

export function sourcesFeature(s: BotServices): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(verbs('src', 'ctx', 'exc'), async (ctx) => {
    const action = decodeAction(ctx.callbackQuery.data);
    const chunkId = action && 'chunkId' in action ? action.chunkId : undefined;
    const chunk = chunkId ? s.retriever.chunk(chunkId) : undefined;
    const essay = chunk ? s.retriever.essay(chunk.essayId) : undefined;
    if (!action || !chunk || !essay || !ctx.chat) {
      await ack(ctx, s.logger, EXPIRED_SOURCE, true);
      return;
    }
    await ack(ctx, s.logger);
    if (action.kind === 'source') {
      // a new message, so the answer with its other sources stays in view
      await sendMessages(ctx.api, ctx.chat.id, renderExcerpt(essay, chunk), { logger: s.logger });
    } else if (action.kind === 'context') {
      await showInPlace(ctx, renderParagraph(essay, chunk, surroundingParagraph(essay, chunk)), s.logger);
    } else {
      await showInPlace(ctx, renderExcerpt(essay, chunk), s.logger);
    }
  });
  return composer;
}
