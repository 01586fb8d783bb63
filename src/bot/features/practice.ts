// The features around the drills that look back at practice and bring candidates back:
// /history, /remind, /export and /forget, as main.ts and the terminal chat wire them.
import type { InterviewQuestion } from '../../interview/index.ts';
import type { Logger } from '../../log.ts';
import type { Retriever } from '../../retrieval/retriever.ts';
import type { ReminderStore } from '../reminders/store.ts';
import type { BotFeature } from '../types.ts';
import { exportFeature } from './export.ts';
import { forgetFeature } from './forget.ts';
import { historyFeature } from './history.ts';
import { remindFeature } from './remind.ts';

export interface PracticeDeps {
  /** daily reminders (none: no /remind); /forget deletes the user's too */
  reminders?: ReminderStore;
}

export function practiceFeatures(app: { index: { retriever: Retriever }; bank?: InterviewQuestion[] }, logger: Logger, deps: PracticeDeps = {}): BotFeature[] {
  const { reminders } = deps;
  return [
    historyFeature({ retriever: app.index.retriever, bank: app.bank, logger }),
    ...(reminders ? [remindFeature({ store: reminders, logger })] : []),
    exportFeature({ bank: app.bank, logger }),
    forgetFeature({ logger, alsoForget: reminders ? [(key) => reminders.remove(key)] : [] }),
  ];
}
