import { describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../../src/knowledge/clean.ts';
import { contentLength } from '../../src/interview/answer-analysis.ts';
import { parseBank } from '../../src/interview/bank.ts';
import { CALIBRATION_SPLITS, citationFor, loadCalibration, loadBank, modelAnswerWithSources, passagesFor, QUESTION_TYPES } from '../../src/interview/index.ts';
import { excerptAround } from '../../src/interview/grounding.ts';
import { sharedIndex } from '../helpers/knowledge.ts';

const bank = loadBank();

describe('question bank', () => {
  it('has at least 36 questions across the four common types plus 现场模拟', () => {
    expect(bank.length).toBeGreaterThanOrEqual(36);
    for (const type of ['综合分析', '组织管理', '应急应变', '人际沟通'] as const) {
      expect(bank.filter((q) => q.type === type).length, type).toBeGreaterThanOrEqual(6);
    }
    expect(bank.filter((q) => q.type === '现场模拟').length).toBeGreaterThanOrEqual(2);
    expect(new Set(bank.map((q) => q.type))).toEqual(new Set(QUESTION_TYPES));
  });

  it('gives every question 4–6 key points, an outline and 1–2 follow-ups', () => {
    for (const q of bank) {
      expect(q.keyPoints.length, q.id).toBeGreaterThanOrEqual(4);
      expect(q.keyPoints.length, q.id).toBeLessThanOrEqual(6);
      expect(q.followUps.length, q.id).toBeGreaterThanOrEqual(1);
      expect(q.followUps.length, q.id).toBeLessThanOrEqual(2);
      expect(q.outline.表态 && q.outline.分析 && q.outline.总结, q.id).toBeTruthy();
      expect(q.outline.对策.length, q.id).toBeGreaterThanOrEqual(3);
    }
  });

  it('gives every question a spoken model answer of 3 minutes (500–700 characters) with citations', () => {
    for (const q of bank) {
      expect(q.modelAnswer, q.id).toBeTruthy();
      const length = contentLength(q.modelAnswer ?? '');
      expect(length, q.id).toBeGreaterThanOrEqual(500);
      expect(length, q.id).toBeLessThanOrEqual(700);
      expect(q.modelAnswer, q.id).toMatch(/\[\d+\]/);
    }
  });

  it('finds the passage of every key point by its verbatim evidence, whatever the chunking', async () => {
    const { retriever } = await sharedIndex();
    for (const q of bank) {
      const grounded = q.keyPoints.filter((p) => p.evidence);
      expect(grounded.length, q.id).toBeGreaterThanOrEqual(3);
      for (const point of grounded) {
        const passages = passagesFor(point, retriever);
        expect(passages.length, `${point.id}: ${point.evidence}`).toBeGreaterThan(0);
        expect(point.essays).toContain(passages[0].essayId);
      }
    }
  });

  it('resolves every [n] of the model answers to a passage that holds the cited point', async () => {
    const { retriever } = await sharedIndex();
    for (const q of bank) {
      const raw = [...(q.modelAnswer ?? '').matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
      for (const n of raw) expect(q.keyPoints[n - 1]?.evidence, `${q.id} [${n}]`).toBeTruthy();
      const { text, sources } = modelAnswerWithSources(q, retriever);
      expect(sources.length, q.id).toBeGreaterThan(0);
      // numbered 1..k in reading order, no dangling marker
      const shown = [...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
      expect(Math.max(...shown)).toBe(sources.length);
      expect(new Set(shown).size).toBe(sources.length);
      for (const source of sources) expect(retriever.chunk(source.citation.chunkId)?.text).toBe(source.citation.quote);
    }
  });

  it('quotes a missed point by the sentence that says it, verbatim, not by the opening of its passage', async () => {
    const { retriever } = await sharedIndex();
    const text = '开头一句。中间讲别的事情。要点就在这一句里,后面还有话。紧跟的一句。';
    expect(excerptAround(text, '要点就在这一句')).toBe('要点就在这一句里,后面还有话。紧跟的一句。');
    expect(excerptAround(text, '没有的话')).toBe(text);
    for (const q of loadBank()) {
      for (const point of q.keyPoints.filter((p) => p.evidence)) {
        const citation = citationFor(point, retriever, { excerpt: true });
        if (!citation) continue;
        expect(retriever.chunk(citation.chunkId)?.text, `${q.id} ${point.id}`).toContain(citation.quote);
        expect(normalizeForMatch(citation.quote), `${q.id} ${point.id}`).toContain(normalizeForMatch(point.evidence ?? '').slice(0, 4));
        expect(citation.quote.length, `${q.id} ${point.id}`).toBeLessThan(400);
      }
    }
  });

  it('rejects a bank entry that breaks the schema, naming where', () => {
    expect(() => parseBank('questions:\n  - id: x\n    type: 闲聊\n    ability: a\n    stem: s\n    keyPoints: [{point: p}]\n')).toThrow(/type/);
    expect(() => parseBank('questions:\n  - id: x\n    type: 综合分析\n    ability: a\n    stem: s\n    keyPoints: [{point: p, weight: 7}]\n')).toThrow(/weight/);
  });
});

describe('calibration splits', () => {
  it('has dev and test splits with every kind of answer, tied to bank questions or to stems of their own', () => {
    const ids = new Set(bank.map((q) => q.id));
    for (const split of Object.keys(CALIBRATION_SPLITS) as Array<keyof typeof CALIBRATION_SPLITS>) {
      const answers = loadCalibration(split);
      for (const kind of ['strong', 'medium', 'weak', 'stuffed', 'rambling', 'offtopic', 'short', 'overtime']) {
        expect(answers.some((a) => a.kind === kind), `${split} ${kind}`).toBe(true);
      }
      expect(answers.some((a) => a.stem), `${split} own questions`).toBe(true);
      for (const a of answers) if (a.question) expect(ids.has(a.question), a.id).toBe(true);
      // the splits share no answer
      expect(new Set(answers.map((a) => a.id)).size).toBe(answers.length);
    }
    const dev = new Set(loadCalibration('dev').map((a) => normalizeForMatch(a.text)));
    expect(loadCalibration('test').some((a) => dev.has(normalizeForMatch(a.text)))).toBe(false);
  });
});
