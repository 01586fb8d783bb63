// The model examiner: temperature 0, strict JSON checked here, quotes verified against the
// answer, D3 and the total computed in code. Any failure falls back to the offline examiner,
// labelled as such: a made-up score is never shown.
import { normalizeForMatch } from '../knowledge/clean.ts';
import type { ChatModel } from '../answer/llm.ts';
import { describeLlmError } from '../answer/llm.ts';
import { loadPrompt, renderPrompt } from '../answer/prompts.ts';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import { stripInjections } from '../answer/injection.ts';
import { INJECTION_NOTICE, scoreOffline, type ScoringContext } from './offline.ts';
import { buildReview } from './review.ts';
import { assess, CORE_ABILITY } from './scorer.ts';
import type { DimensionKey, InterviewQuestion, PointResult, PointStatus, Review } from './types.ts';

export class ExaminerFormatError extends Error {}

interface ModelVerdict {
  dimensions: Record<'D1' | 'D2' | 'D4' | 'D5', number>;
  keyPoints: Array<{ id: string; status: PointStatus; quote?: string }>;
  cliches: string[];
  strengths: string[];
  fixes: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()) : [];
}

/** Parses and validates the examiner's JSON; throws ExaminerFormatError on anything off-schema. */
export function parseVerdict(raw: string, question: InterviewQuestion): ModelVerdict {
  const json = raw.trim().replace(/^```(?:json)?\s*|\s*```$/g, '');
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new ExaminerFormatError('not JSON');
  }
  if (!isRecord(data) || !isRecord(data.dimensions) || !Array.isArray(data.keyPoints)) throw new ExaminerFormatError('missing dimensions or keyPoints');
  const dims = data.dimensions;
  const dimensions = {} as ModelVerdict['dimensions'];
  for (const key of ['D1', 'D2', 'D4', 'D5'] as const) {
    const value = dims[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 10) throw new ExaminerFormatError(`${key} must be a number 0–10`);
    dimensions[key] = value;
  }
  const known = new Set(question.keyPoints.map((p) => p.id));
  const keyPoints: ModelVerdict['keyPoints'] = [];
  for (const item of data.keyPoints) {
    if (!isRecord(item) || typeof item.id !== 'string' || !known.has(item.id)) throw new ExaminerFormatError('unknown key point id');
    if (item.status !== 'hit' && item.status !== 'partial' && item.status !== 'miss') throw new ExaminerFormatError('bad status');
    keyPoints.push({ id: item.id, status: item.status, quote: typeof item.quote === 'string' ? item.quote : undefined });
  }
  return { dimensions, keyPoints, cliches: textList(data.cliches), strengths: textList(data.strengths), fixes: textList(data.fixes) };
}

/** A claimed hit must come with a real quote from the answer; without one it is not credited. */
export function verifyQuotes(question: InterviewQuestion, verdict: ModelVerdict, answer: string): PointResult[] {
  const haystack = normalizeForMatch(answer);
  return question.keyPoints.map((point) => {
    const claim = verdict.keyPoints.find((k) => k.id === point.id);
    if (!claim || claim.status === 'miss') return { point, status: 'miss' };
    const quote = claim.quote?.trim() ?? '';
    const normalized = normalizeForMatch(quote);
    const verified = normalized.length >= 4 && haystack.includes(normalized);
    return verified ? { point, status: claim.status, evidence: quote } : { point, status: 'miss' };
  });
}

export interface ExaminerDeps extends ScoringContext {
  chat?: ChatModel;
  logger?: Logger;
}

/**
 * Scores with the model when one is configured, else (or on any failure) offline. The model judges
 * the points (with verbatim quotes) and four dimensions; 要点覆盖, time, caps and the total are
 * computed here exactly as offline, so both examiners are held to the same rules.
 */
export async function scoreAnswer(question: InterviewQuestion, rawAnswer: string, deps: ExaminerDeps): Promise<Review> {
  const logger = deps.logger ?? silentLogger;
  const context: ScoringContext = { retriever: deps.retriever, time: deps.time, typeSource: deps.typeSource };
  if (!deps.chat) return scoreOffline(question, rawAnswer, context);
  const { text: answer, removed } = stripInjections(rawAnswer);
  const notices = removed.length > 0 ? [INJECTION_NOTICE] : [];
  try {
    const keyPoints = question.keyPoints.map((p) => `${p.id}:${p.point}`).join('\n');
    const raw = await deps.chat.complete(
      [
        { role: 'system', content: renderPrompt(loadPrompt('examiner-system'), { ability: CORE_ABILITY[question.type] }) },
        { role: 'user', content: renderPrompt(loadPrompt('examiner-user'), { type: question.type, stem: question.stem, keyPoints, answer }) },
      ],
      { temperature: 0, json: true },
    );
    const verdict = parseVerdict(raw, question);
    const points = verifyQuotes(question, verdict, answer);
    const assessment = assess(question, answer, { time: deps.time, points });
    const scores: Record<DimensionKey, number> = { ...verdict.dimensions, D3: assessment.scores.D3 };
    // the model's advice only when it quotes nothing the answer does not hold
    const fixes = verdict.fixes.filter((f) => !/「|“/.test(f) || quotesHold(f, answer)).slice(0, 3);
    return buildReview(question, { ...assessment, scores }, { mode: 'llm', retriever: deps.retriever, notices, typeSource: deps.typeSource, feedback: fixes.length > 0 ? fixes : undefined });
  } catch (error) {
    logger.warn('examiner.failed', { reason: error instanceof ExaminerFormatError ? `format: ${error.message}` : describeLlmError(error) });
    const reason = error instanceof ExaminerFormatError ? '评分模型返回的结果格式无效' : '评分模型暂时不可用';
    return scoreOffline(question, rawAnswer, context, [`${reason},本次为离线规则评分(离线模式)。`]);
  }
}

/** Every quoted stretch of the advice is really in the answer. */
function quotesHold(advice: string, answer: string): boolean {
  const haystack = normalizeForMatch(answer);
  return [...advice.matchAll(/[「“]([^」”]{2,})[」”]/g)].every((m) => haystack.includes(normalizeForMatch(m[1])));
}
