// /start, /help, /new, /mode (and its buttons).
import { Composer } from 'grammy';
import { EXAMPLE_QUESTIONS } from '../../answer/answerer.ts';
import { decodeAction, verbs } from '../callbacks.ts';
import type { BotContext } from '../context.ts';
import { renderHelp, renderModeChoice, renderText, renderWelcome, type AnswerMode } from '../render.ts';
import { ack, reply, showInPlace } from '../send.ts';
import type { BotServices } from '../types.ts';

export function effectiveMode(s: BotServices, ctx: BotContext): AnswerMode {
  return s.answerer.mode === 'llm' && !ctx.session.prefs.extractive ? 'llm' : 'extractive';
}

export function startFeature(s: BotServices): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('start', async (ctx) => {
    await reply(
      ctx,
      renderWelcome({
        essayCount: s.retriever.essays.length,
        // read at each /start: /reload may have changed the essays
        sampleTitles: [...new Set(s.retriever.essays.map((e) => e.title))].slice(0, 3),
        mode: effectiveMode(s, ctx),
        examples: EXAMPLE_QUESTIONS.slice(0, 3),
      }),
      s.logger,
    );
  });

  composer.command('help', async (ctx) => {
    await reply(ctx, renderHelp({ commands: s.commands, botUsername: ctx.me.username }), s.logger);
  });

  composer.command('new', async (ctx, next) => {
    ctx.session.turns = [];
    await reply(ctx, renderText('好的,我们重新开始:之前的对话上下文已清除,请直接提一个新问题。'), s.logger);
    // a drill in progress ends too (the drill feature says so)
    await next();
  });

  composer.command('mode', async (ctx) => {
    await reply(ctx, renderModeChoice(effectiveMode(s, ctx), s.answerer.mode === 'llm', s.chat?.label), s.logger);
  });

  composer.callbackQuery(verbs('m'), async (ctx) => {
    const action = decodeAction(ctx.callbackQuery.data);
    if (action?.kind !== 'mode' || s.answerer.mode !== 'llm') {
      await ack(ctx, s.logger, '当前只能使用摘录模式。');
      return;
    }
    ctx.session.prefs = { ...ctx.session.prefs, extractive: action.mode === 'extractive' };
    await ack(ctx, s.logger, action.mode === 'llm' ? '已切换到大模型模式' : '已切换到摘录模式');
    await showInPlace(ctx, renderModeChoice(effectiveMode(s, ctx), true, s.chat?.label), s.logger);
  });

  return composer;
}
