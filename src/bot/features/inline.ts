// Inline mode: "@bot 网格化" in any chat offers matching excerpts to send there.
import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';
import { renderInlineResult } from '../render.ts';
import { searchExcerpts } from '../../retrieval/excerpts.ts';
import type { BotServices } from '../types.ts';

const MAX_RESULTS = 8;
const BUTTON = { text: '在私聊中向我提问', start_parameter: 'inline' };

export function inlineFeature(s: BotServices): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('inline_query', async (ctx) => {
    const query = ctx.inlineQuery.query.trim().slice(0, 200);
    if (query === '') {
      await ctx.answerInlineQuery([], { cache_time: 300, button: BUTTON });
      return;
    }
    const results = (await searchExcerpts(s.retriever, query, MAX_RESULTS)).map((hit) => renderInlineResult(hit.essay, hit.chunk));
    ctx.log.info('bot.inline_query', { userId: ctx.from.id, results: results.length });
    await ctx.answerInlineQuery(results, { cache_time: 60, button: BUTTON });
  });
  return composer;
}
