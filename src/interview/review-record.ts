// One scored answer as the drill keeps it until the drill is over (mock reviews come at the end)
// and as the review's details and 「改写你的回答」 read it back: the review without its long
// texts, how the answer was delivered, and the 追问's outcome.
import type { Review } from './types.ts';

/** How the answer was delivered, for the length line of the review. */
export type Delivery =
  | { kind: 'text'; chars: number; overtimeSeconds?: number }
  | { kind: 'voice'; chars: number; seconds: number; fillers?: number };

export interface FollowUpOutcome {
  question: string;
  /** false when the user skipped it */
  answered: boolean;
  covered: Array<{ point: string; evidence: string; status: 'hit' | 'partial' }>;
  remaining: string[];
  mode?: Review['mode'];
}

/** What the session keeps of a review until the drill is over (mock reviews come at the end). */
export interface ReviewRecord {
  /** when it was scored (base-36 ms), to find it again from its details button */
  id?: string;
  review: Omit<Review, 'points' | 'modelAnswer'>;
  /** the answer as the candidate gave it (for 「改写你的回答」) */
  answer?: string;
  delivery: Delivery;
  followUp?: FollowUpOutcome;
}

/** The record of a review scored at `now`; the key points and model answer are looked up again when shown. */
export function reviewRecordOf(review: Review, delivery: Delivery, answer: string, now: number): ReviewRecord {
  const { points: _points, modelAnswer: _modelAnswer, ...kept } = review;
  return { id: now.toString(36), review: kept, delivery, answer };
}
