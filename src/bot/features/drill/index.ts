// Structured-interview drills in the bot: /drill, /mock, /stats, /review.
//
// The parts: context.ts (what they share), timers.ts (the card's countdown), flow.ts (start,
// next question, end), commands.ts, answers.ts (typed and voice answers, scoring) and
// buttons.ts (one handler per button).
import { Composer } from 'grammy';
import type { ChatModel } from '../../../answer/llm.ts';
import type { Config } from '../../../config.ts';
import type { InterviewQuestion } from '../../../interview/index.ts';
import type { Transcriber } from '../../../interview/transcriber.ts';
import type { Logger } from '../../../log.ts';
import type { Retriever } from '../../../retrieval/retriever.ts';
import { sessionKey, type BotContext } from '../../context.ts';
import type { BotFeature } from '../../types.ts';
import { registerAnswers } from './answers.ts';
import { registerButtons } from './buttons.ts';
import { DRILL_COMMANDS, registerCommands } from './commands.ts';
import { createDrillContext, type DrillFeatureDeps } from './context.ts';
import { deadlineKeeper } from './deadlines.ts';
import { syncTimer, tidy } from './flow.ts';
import type { DrillTimers } from './timers.ts';

export { MIN_MESSAGE_CHARS } from './answers.ts';
export { DRILL_COMMANDS, parseQuestionType } from './commands.ts';
export type { DrillFeatureDeps } from './context.ts';
export { DEFAULT_TIMING, DrillTimers, type DrillTiming } from './timers.ts';

export interface DrillFeature extends BotFeature {
  /**
   * With a deadline store: submits the drafts whose time ran out while the bot was down, then
   * keeps watching the store (resolves when the first round is done). Call once the bot can
   * send (after initTelegram, with the transport started).
   */
  resume(): Promise<void>;
  /** stops every countdown and the deadline watch (the bot is stopping) */
  dispose(): void;
  readonly timers: DrillTimers;
}

export function drillFeature(deps: DrillFeatureDeps): DrillFeature {
  const dc = createDrillContext(deps);
  const deadlines = deps.deadlines ? deadlineKeeper(dc, deps.deadlines, deps.deadlinePollMs) : undefined;
  const composer = new Composer<BotContext>();

  composer.use(async (ctx, next) => {
    if (!sessionKey(ctx)) return next();
    const hadDraft = (ctx.session.drill?.draft?.length ?? 0) > 0;
    await tidy(dc, ctx);
    try {
      await next();
    } finally {
      syncTimer(dc, ctx);
      await deadlines?.track(ctx, hadDraft);
    }
  });
  registerCommands(dc, composer);
  registerAnswers(dc, composer);
  registerButtons(dc, composer);

  return {
    name: 'drill',
    commands: DRILL_COMMANDS,
    composer,
    timers: dc.timers,
    attach: (host) => {
      dc.host = host;
    },
    resume: () => deadlines?.start() ?? Promise.resolve(),
    dispose: () => {
      deadlines?.stop();
      dc.timers.dispose();
    },
  };
}

/** The feature as main.ts and the terminal chat wire it: the app's retriever, model and transcriber (voice only when app.ts built one). */
export function drillFeatureFor(
  app: { config: Config; index: { retriever: Retriever }; chat?: ChatModel; bank?: InterviewQuestion[]; transcriber?: Transcriber },
  logger: Logger,
  overrides: Partial<DrillFeatureDeps> = {},
): DrillFeature {
  return drillFeature({
    retriever: app.index.retriever,
    chat: app.chat,
    bank: app.bank,
    logger,
    transcriber: app.transcriber,
    telegramApiRoot: app.config.telegramApiRoot,
    ...overrides,
  });
}
