// The features around the drills that look back at practice: /history and /forget, as main.ts
// and the terminal chat wire them.
import type { InterviewQuestion } from '../../interview/index.ts';
import type { Logger } from '../../log.ts';
import type { Retriever } from '../../retrieval/retriever.ts';
import type { BotFeature } from '../types.ts';
import { forgetFeature } from './forget.ts';
import { historyFeature } from './history.ts';

export interface PracticeDeps {
  /** data kept outside the session under the session key (reminders): /forget deletes it too */
  alsoForget?: Array<(sessionKey: string) => Promise<void>>;
}

export function practiceFeatures(app: { index: { retriever: Retriever }; bank?: InterviewQuestion[] }, logger: Logger, deps: PracticeDeps = {}): BotFeature[] {
  return [historyFeature({ retriever: app.index.retriever, bank: app.bank, logger }), forgetFeature({ logger, alsoForget: deps.alsoForget })];
}
