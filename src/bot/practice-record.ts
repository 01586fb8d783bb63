// Each user's practice record in two parts. The session keeps the scores of every attempt and
// the review schedule (it is read and written on every update, so it stays small; /stats,
// /review and the daily reminders need no more). The answers and reviews of the latest attempts
// live in a store of their own, read only where they are shown or changed: /history, /export, a
// review's details and 改写, recording an attempt or a 追问, deleting one, /forget.
//
// The store is a session store under another name: DATA_DIR/practice/<key>.json, or
// zhili:practice:<key> in Redis. A session of an older version, with the answers inside (and
// the last few reviews again in `recentReviews`), hands them to the store when it is first read.
import type { Middleware } from 'grammy';
import { splitDetails, withDetails } from '../interview/history.ts';
import { emptyHistory, type DrillHistory } from '../interview/progress.ts';
import { readHistory, readPracticeRecord } from '../interview/session-schema.ts';
import { sessionKey, type BotContext, type SessionData } from './context.ts';
import type { SessionStore } from './session.ts';

/** What one update may do with its user's practice record (ctx.practice). */
export interface PracticeRecord {
  /** the history with the answers and reviews of the attempts that kept them */
  load(): Promise<DrillHistory>;
  /** keeps `history`: the scores in the session, the answers and reviews in the store */
  save(history: DrillHistory): Promise<void>;
  /** deletes the user's answers and reviews (/forget; the session goes separately) */
  forget(): Promise<void>;
}

export interface PracticeFlavor {
  practice: PracticeRecord;
}

export type PracticeStore = SessionStore<unknown>;

/** The whole history of `key`: the scores as the session holds them, the details from the store. */
export async function loadPractice(store: Pick<PracticeStore, 'read'>, key: string, sessionHistory: unknown): Promise<DrillHistory> {
  const scores = readHistory(sessionHistory) ?? emptyHistory();
  return withDetails(scores, readPracticeRecord(await store.read(key)));
}

/** Writes the details of `history` to the store; returns what the session keeps (the scores). */
export async function savePractice(store: Pick<PracticeStore, 'write' | 'delete'>, key: string, history: DrillHistory): Promise<DrillHistory> {
  const { scores, details } = splitDetails(history);
  if (details.length === 0) await store.delete(key);
  else await store.write(key, { details });
  return scores;
}

/** A session of an older version: answers inside the history, or the reviews kept again. */
function holdsDetails(session: SessionData): boolean {
  const raw = session as SessionData & { recentReviews?: unknown };
  const attempts = (session.history as { attempts?: unknown } | undefined)?.attempts;
  return raw.recentReviews !== undefined || (Array.isArray(attempts) && attempts.some((a) => typeof a === 'object' && a !== null && 'detail' in a));
}

/** Gives every update with a session its ctx.practice, and moves an older session's answers into the store. */
export function practiceRecords(store: PracticeStore): Middleware<BotContext> {
  return async (ctx, next) => {
    const key = sessionKey(ctx);
    const scoresOnly = (): DrillHistory => readHistory(ctx.session.history) ?? emptyHistory();
    // the store could not be read in this update: writing it now could drop older answers
    let unreadable = false;
    const practice: PracticeRecord = {
      load: async () => {
        if (!key) return scoresOnly();
        try {
          return await loadPractice(store, key, ctx.session.history);
        } catch (error) {
          unreadable = true;
          ctx.log.warn('practice.read_failed', { error });
          // what the session still holds (an older session's answers) is shown all the same
          return scoresOnly();
        }
      },
      save: async (history) => {
        if (!key) return;
        if (!unreadable) {
          try {
            ctx.session.history = await savePractice(store, key, history);
            return;
          } catch (error) {
            ctx.log.warn('practice.write_failed', { error });
          }
        }
        // kept in the session for now: moved to the store when it can be read and written again
        ctx.session.history = history;
      },
      forget: async () => {
        if (key) await store.delete(key);
      },
    };
    ctx.practice = practice;
    if (key && ctx.session && holdsDetails(ctx.session)) {
      (ctx.session as SessionData & { recentReviews?: unknown }).recentReviews = undefined;
      const before = ctx.session.history;
      await practice.save(await practice.load());
      if (ctx.session.history !== before) ctx.log.debug('practice.moved_from_session');
    }
    return next();
  };
}
