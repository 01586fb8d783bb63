import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { QUESTION_TYPES, type Band, type InterviewQuestion, type KeyPoint, type QuestionType } from './types.ts';

// the bank ships with the code: find it next to it, whatever the working directory
const INTERVIEW_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'interview');

export class BankError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new BankError(`${where}: expected text`);
  return value.trim();
}

function strList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new BankError(`${where}: expected a list of text`);
  return value.map((v) => v.trim()).filter(Boolean);
}

function parseQuestion(raw: unknown, index: number): InterviewQuestion {
  if (!isRecord(raw)) throw new BankError(`question #${index + 1}: expected a mapping`);
  const id = str(raw.id, `question #${index + 1} id`);
  const type = str(raw.type, `${id} type`) as QuestionType;
  if (!QUESTION_TYPES.includes(type)) throw new BankError(`${id}: unknown type ${type}`);
  if (!Array.isArray(raw.keyPoints)) throw new BankError(`${id}: keyPoints missing`);
  const keyPoints: KeyPoint[] = raw.keyPoints.map((kp: unknown, i: number) => {
    if (!isRecord(kp)) throw new BankError(`${id} key point ${i + 1}: expected a mapping`);
    const weight = Number(kp.weight ?? 1);
    if (!Number.isFinite(weight) || weight < 1 || weight > 3) throw new BankError(`${id} key point ${i + 1}: weight must be 1–3`);
    return {
      id: `${id}-${i + 1}`,
      point: str(kp.point, `${id} key point ${i + 1}`),
      weight,
      keywords: strList(kp.keywords, `${id} key point ${i + 1} keywords`),
      chunks: strList(kp.chunks, `${id} key point ${i + 1} chunks`),
      evidence: typeof kp.evidence === 'string' && kp.evidence.trim() ? kp.evidence.trim() : undefined,
    };
  });
  const outline = isRecord(raw.outline) ? raw.outline : {};
  return {
    id,
    type,
    ability: str(raw.ability, `${id} ability`),
    topic: typeof raw.topic === 'string' ? raw.topic : '',
    stem: str(raw.stem, `${id} stem`),
    keyPoints,
    outline: {
      表态: typeof outline['表态'] === 'string' ? outline['表态'] : '',
      分析: typeof outline['分析'] === 'string' ? outline['分析'] : '',
      对策: strList(outline['对策'], `${id} outline 对策`),
      总结: typeof outline['总结'] === 'string' ? outline['总结'] : '',
    },
    followUps: strList(raw.followUps, `${id} followUps`),
  };
}

export function parseBank(yamlText: string): InterviewQuestion[] {
  const doc: unknown = parseYaml(yamlText);
  if (!isRecord(doc) || !Array.isArray(doc.questions)) throw new BankError('question bank: expected a `questions:` list');
  const questions = doc.questions.map(parseQuestion);
  const ids = new Set<string>();
  for (const q of questions) {
    if (ids.has(q.id)) throw new BankError(`question bank: duplicate id ${q.id}`);
    ids.add(q.id);
  }
  return questions;
}

export function loadBank(path = join(INTERVIEW_DIR, 'questions.yaml')): InterviewQuestion[] {
  return parseBank(readFileSync(path, 'utf8'));
}

export interface CalibrationAnswer {
  question: string;
  level: 'strong' | 'middling' | 'weak' | 'offtopic' | 'copy';
  band: Band;
  text: string;
}

export function loadCalibration(path = join(INTERVIEW_DIR, 'calibration.yaml')): CalibrationAnswer[] {
  const doc: unknown = parseYaml(readFileSync(path, 'utf8'));
  if (!isRecord(doc) || !Array.isArray(doc.answers)) throw new BankError('calibration: expected an `answers:` list');
  return doc.answers.map((raw: unknown, i: number) => {
    if (!isRecord(raw)) throw new BankError(`calibration #${i + 1}: expected a mapping`);
    return {
      question: str(raw.question, `calibration #${i + 1} question`),
      level: str(raw.level, `calibration #${i + 1} level`) as CalibrationAnswer['level'],
      band: str(raw.band, `calibration #${i + 1} band`) as Band,
      text: str(raw.text, `calibration #${i + 1} text`),
    };
  });
}

/** Renders the reference outline as the model answer (shown only after an attempt). */
export function modelAnswerText(question: InterviewQuestion): string {
  const { outline } = question;
  const steps = outline.对策.map((step, i) => `${i + 1}. ${step}`).join('\n');
  return [`【表态】${outline.表态}`, `【分析】${outline.分析}`, `【对策】\n${steps}`, `【总结】${outline.总结}`]
    .filter((line) => !/】$/.test(line))
    .join('\n');
}
