// What a drill keeps in the session store, and the practice record (the attempts' answers and
// reviews, kept apart from the session), checked on the way back in: one schema each, so a
// stored value from an older version or a bad write is dropped (or its bad parts are) instead
// of breaking the drill.
import * as v from 'valibot';
import type { DrillSession } from './drill.ts';
import type { Attempt, DrillHistory, ReviewSchedule } from './progress.ts';
import type { AttemptDetail } from './review-record.ts';
import { OWN_QUESTION_ID, QUESTION_TYPES } from './types.ts';

const band = v.picklist(['好', '中', '差']);
const mode = v.picklist(['offline', 'llm']);
const dims = v.object({ D1: v.number(), D2: v.number(), D3: v.number(), D4: v.number(), D5: v.number() });

const KeyPointSchema = v.object({
  id: v.string(),
  point: v.string(),
  weight: v.number(),
  keywords: v.array(v.string()),
  essays: v.array(v.string()),
  evidence: v.optional(v.string()),
});

const OwnQuestionSchema = v.object({
  question: v.looseObject({
    id: v.literal(OWN_QUESTION_ID),
    type: v.picklist(QUESTION_TYPES),
    ability: v.string(),
    topic: v.string(),
    stem: v.pipe(v.string(), v.nonEmpty()),
    keyPoints: v.array(KeyPointSchema),
    outline: v.object({ 表态: v.string(), 分析: v.string(), 对策: v.array(v.string()), 总结: v.string() }),
    followUps: v.array(v.string()),
  }),
  typeSource: v.picklist(['detected', 'chosen']),
});

const DrillSessionSchema = v.looseObject({
  kind: v.picklist(['single', 'mock']),
  questionIds: v.array(v.string()),
  index: v.pipe(v.number(), v.integer(), v.minValue(0)),
  phase: v.picklist(['thinking', 'answering', 'transcript', 'followup', 'done']),
  startedAt: v.number(),
  phaseStartedAt: v.number(),
  endsAt: v.optional(v.number()),
  results: v.array(v.object({ questionId: v.string(), type: v.picklist(QUESTION_TYPES), total: v.number(), band, dims, mode })),
  followUp: v.optional(v.string()),
  transcript: v.optional(v.object({ text: v.string(), seconds: v.number() })),
  cardMessageId: v.optional(v.number()),
  reminded: v.optional(v.boolean()),
  draft: v.optional(v.array(v.string())),
  pending: v.optional(v.string()),
  own: v.optional(OwnQuestionSchema),
});

const AttemptSchema = v.object({
  questionId: v.optional(v.string()),
  type: v.picklist(QUESTION_TYPES),
  total: v.number(),
  band,
  dims,
  missed: v.array(v.string()),
  mode,
  at: v.string(),
  // sessions of older versions kept the answer and review here; they move to the practice
  // record when read. Checked on its own: a bad detail costs the answer text, not the attempt
  detail: v.optional(v.unknown()),
});

const DeliverySchema = v.variant('kind', [
  v.object({ kind: v.literal('text'), chars: v.number(), overtimeSeconds: v.optional(v.number()) }),
  v.object({ kind: v.literal('voice'), chars: v.number(), seconds: v.number(), fillers: v.optional(v.number()) }),
]);

/** The stored review: the fields the views read are checked, the rest kept as they are. */
const StoredReviewSchema = v.looseObject({
  question: v.string(),
  type: v.picklist(QUESTION_TYPES),
  total: v.number(),
  band,
  mode,
  dimensions: v.array(v.looseObject({ key: v.picklist(['D1', 'D2', 'D3', 'D4', 'D5']), name: v.string(), score: v.number(), weight: v.number() })),
  hits: v.array(v.looseObject({ point: v.string(), evidence: v.string(), status: v.string() })),
  misses: v.array(v.looseObject({ pointId: v.string(), point: v.string(), weight: v.number() })),
  feedback: v.array(v.string()),
  notices: v.array(v.string()),
  cliches: v.array(v.string()),
});

const AttemptDetailSchema = v.object({
  review: StoredReviewSchema,
  answer: v.string(),
  delivery: DeliverySchema,
  followUp: v.optional(
    v.looseObject({
      question: v.string(),
      answered: v.boolean(),
      covered: v.array(v.looseObject({ point: v.string(), evidence: v.string(), status: v.picklist(['hit', 'partial']) })),
      remaining: v.array(v.string()),
    }),
  ),
  modelAnswer: v.optional(v.string()),
});

const ScheduleSchema = v.object({ ease: v.number(), interval: v.number(), reps: v.number(), due: v.string(), last: v.number() });

/** One user's practice record: the answers and reviews of their latest attempts, by the attempt's time. */
const PracticeRecordSchema = v.object({
  details: v.array(v.object({ at: v.string(), detail: v.unknown() })),
});

/** The stored drill, or undefined when it is not one (it is then dropped, not half-used). */
export function readDrillSession(value: unknown): DrillSession | undefined {
  const result = v.safeParse(DrillSessionSchema, value);
  return result.success ? (result.output as DrillSession) : undefined;
}

/** The stored history, keeping every attempt and schedule entry that is well formed. */
export function readHistory(value: unknown): DrillHistory | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const raw = value as { attempts?: unknown; schedule?: unknown };
  if (!Array.isArray(raw.attempts) || typeof raw.schedule !== 'object' || raw.schedule === null) return undefined;
  const attempts = raw.attempts.flatMap((a) => {
    const parsed = v.safeParse(AttemptSchema, a);
    if (!parsed.success) return [];
    const { detail, ...scores } = parsed.output;
    const checked = readAttemptDetail(detail);
    return [(checked ? { ...scores, detail: checked } : scores) as Attempt];
  });
  const schedule: Record<string, ReviewSchedule> = {};
  for (const [id, entry] of Object.entries(raw.schedule as Record<string, unknown>)) {
    const parsed = v.safeParse(ScheduleSchema, entry);
    if (parsed.success) schedule[id] = parsed.output;
  }
  return { attempts, schedule };
}

function readAttemptDetail(value: unknown): AttemptDetail | undefined {
  if (value === undefined) return undefined;
  const checked = v.safeParse(AttemptDetailSchema, value);
  return checked.success ? (checked.output as unknown as AttemptDetail) : undefined;
}

/** The stored practice record as attempt time → detail, keeping every well-formed entry. */
export function readPracticeRecord(value: unknown): Map<string, AttemptDetail> {
  const details = new Map<string, AttemptDetail>();
  const parsed = v.safeParse(PracticeRecordSchema, value);
  if (!parsed.success) return details;
  for (const entry of parsed.output.details) {
    const detail = readAttemptDetail(entry.detail);
    if (detail) details.set(entry.at, detail);
  }
  return details;
}
