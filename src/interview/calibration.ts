// Calibration answers: written for scoring, each with the band a fair examiner would give.
// dev is what the scorer is tuned on; test was written first, by someone who never saw the
// scorer, and is only reported.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';
import { BankError, INTERVIEW_DIR } from './bank.ts';
import { QUESTION_TYPES } from './types.ts';

export const ANSWER_KINDS = ['strong', 'medium', 'weak', 'stuffed', 'rambling', 'offtopic', 'short', 'overtime', 'wrongdoing', 'copy'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

const text = v.pipe(v.string(), v.trim(), v.nonEmpty());

const CalibrationAnswerSchema = v.pipe(
  v.object({
    id: text,
    /** a bank question id … */
    question: v.optional(text),
    /** … or a question of the writer's own, with the type it was written as */
    stem: v.optional(text),
    type: v.optional(v.picklist(QUESTION_TYPES)),
    kind: v.picklist(ANSWER_KINDS),
    band: v.picklist(['好', '中', '差']),
    text,
  }),
  v.check((a) => (a.question === undefined) !== (a.stem === undefined), 'needs exactly one of question / stem'),
);

export type CalibrationAnswer = v.InferOutput<typeof CalibrationAnswerSchema>;

const CALIBRATION_DIR = join(INTERVIEW_DIR, 'calibration');

export const CALIBRATION_SPLITS = {
  dev: ['dev-original.yaml', 'dev-new.yaml', 'dev-fresh.yaml', 'dev-fresh2.yaml', 'dev-fresh3.yaml', 'dev-fresh4.yaml', 'dev-fresh5.yaml', 'dev-fresh6.yaml', 'dev-fresh7.yaml', 'dev-fresh8.yaml', 'dev-fresh9.yaml', 'dev-fresh10.yaml', 'dev-fresh11.yaml', 'dev-fresh13.yaml', 'dev-fresh14.yaml', 'dev-fresh15.yaml', 'dev-fresh16.yaml', 'dev-fresh17.yaml', 'dev-fresh18.yaml', 'dev-fresh19.yaml'],
  test: ['test-bank.yaml', 'test-own.yaml', 'test-fresh.yaml', 'test-fresh2.yaml', 'test-fresh3.yaml', 'test-fresh4.yaml', 'test-fresh5.yaml', 'test-fresh6.yaml', 'test-fresh7.yaml', 'test-fresh8.yaml', 'test-fresh9.yaml', 'test-fresh10.yaml'],
} as const;

export function parseCalibration(yamlText: string, source: string): CalibrationAnswer[] {
  const result = v.safeParse(v.object({ answers: v.array(CalibrationAnswerSchema) }), parseYaml(yamlText));
  if (!result.success) {
    const issue = result.issues[0];
    throw new BankError(`${source} (${v.getDotPath(issue) ?? ''}): ${issue.message}`);
  }
  return result.output.answers;
}

export function loadCalibration(split: keyof typeof CALIBRATION_SPLITS = 'dev', dir = CALIBRATION_DIR): CalibrationAnswer[] {
  return CALIBRATION_SPLITS[split].flatMap((file) => parseCalibration(readFileSync(join(dir, file), 'utf8'), file));
}
