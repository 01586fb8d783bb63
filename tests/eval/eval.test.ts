import { describe, expect, it } from 'vitest';
import { Answerer } from '../../src/answer/answerer.ts';
import { evaluate, loadQuestions, targetFailures } from '../../src/eval/evaluate.ts';
import { normalizeForMatch } from '../../src/knowledge/clean.ts';
import { sharedIndex } from '../helpers/knowledge.ts';

const questions = loadQuestions('eval/questions.jsonl');

describe('evaluation set', () => {
  it('is large and varied enough: ≥60 questions, ≥1/3 natural, ≥8 out of scope', () => {
    expect(questions.length).toBeGreaterThanOrEqual(60);
    expect(questions.filter((q) => q.style === 'natural').length * 3).toBeGreaterThanOrEqual(questions.length);
    expect(questions.filter((q) => q.outOfScope).length).toBeGreaterThanOrEqual(8);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
  });

  it('has evidence phrases copied from the essays they name', async () => {
    const { retriever } = await sharedIndex();
    for (const q of questions.filter((item) => !item.outOfScope)) {
      expect(q.evidence.length, q.id).toBeGreaterThan(0);
      const texts = q.essays.map((id) => normalizeForMatch(retriever.essay(id)?.text ?? ''));
      for (const phrase of q.evidence) {
        expect(texts.some((text) => text.includes(normalizeForMatch(phrase))), `${q.id}: ${phrase}`).toBe(true);
      }
    }
  });

  it('meets every target and beats the baseline on every figure', async () => {
    const { retriever } = await sharedIndex();
    const report = await evaluate(questions, retriever, new Answerer({ retriever }));
    expect(targetFailures(report)).toEqual([]);
  }, 60_000);
});
