// Long polling as in production: getMe, deleteWebhook, the command menu, then the runner.
import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Logger } from '../log.ts';
import type { ZhiliBot } from './index.ts';
import { UpdateJournal } from './journal.ts';

export const ALLOWED_UPDATES = ['message', 'callback_query', 'inline_query'] as const;

export interface PollingHandle {
  runner: RunnerHandle;
  /** stop fetching, wait for the updates in flight (at most drainMs), flush sessions; safe to call twice */
  stop(drainMs?: number): Promise<void>;
}

const DRAIN_MS = 30_000;

export interface PollingOptions {
  /** where fetched updates are journaled until handled (see journal.ts); undefined: no journal */
  journalDir?: string;
}

export async function startPolling(bot: ZhiliBot, logger: Logger, options: PollingOptions = {}): Promise<PollingHandle> {
  await bot.init();
  // polling and a webhook exclude each other; pending updates are kept
  await bot.api.deleteWebhook();
  if (options.journalDir) {
    const journal = new UpdateJournal(options.journalDir, logger);
    bot.onHandled = (updateId) => journal.done(updateId);
    bot.api.config.use(journal.transformer());
    // what the last process had fetched but not finished is handled first, once
    const pending = journal.pending();
    if (pending.length > 0) {
      logger.info('journal.replaying', { updates: pending.length });
      await Promise.all(pending.map((update) => bot.handleUpdate(update).catch((error: unknown) => logger.error('journal.replay_failed', { updateId: update.update_id, error }))));
    }
  }
  try {
    await bot.api.setMyCommands(bot.commands);
  } catch (error) {
    logger.warn('bot.set_commands_failed', { error });
  }
  // silent: the runner would print multi-line errors to stderr between our JSON log lines; it
  // retries network errors itself, and an unrecoverable one (401, 409) ends its task, which the
  // caller logs
  const runner = run(bot, { runner: { fetch: { allowed_updates: ALLOWED_UPDATES }, silent: true } });
  logger.info('bot.started', { username: bot.botInfo.username, sessions: bot.sessions.kind });
  let stopping: Promise<void> | undefined;
  return {
    runner,
    stop: (drainMs = DRAIN_MS) =>
      (stopping ??= (async () => {
        if (runner.isRunning()) await runner.stop();
        // the runner only stops fetching: let the updates in flight finish (an LLM call may take a while)
        let timer: NodeJS.Timeout | undefined;
        const drained = await Promise.race([
          bot.whenIdle().then(() => true),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), drainMs))),
        ]);
        clearTimeout(timer);
        if (!drained) logger.warn('bot.stop_timeout', { updatesInFlight: bot.updatesInFlight });
        await bot.sessions.flush();
        logger.info('bot.stopped');
      })()),
  };
}
