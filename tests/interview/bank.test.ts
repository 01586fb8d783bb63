import { describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../../src/knowledge/clean.ts';
import { loadBank, loadCalibration, modelAnswerText, QUESTION_TYPES } from '../../src/interview/index.ts';
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
      expect(modelAnswerText(q)).toContain('【对策】');
    }
  });

  it('ties key points to passages that exist and really say it', async () => {
    const { retriever } = await sharedIndex();
    for (const q of bank) {
      const grounded = q.keyPoints.filter((p) => p.chunks.length > 0);
      expect(grounded.length, q.id).toBeGreaterThanOrEqual(3);
      for (const point of grounded) {
        const texts = point.chunks.map((id) => {
          const chunk = retriever.chunk(id);
          expect(chunk, `${point.id}: chunk ${id}`).toBeDefined();
          return normalizeForMatch(chunk?.text ?? '');
        });
        expect(point.evidence, point.id).toBeTruthy();
        expect(texts.some((t) => t.includes(normalizeForMatch(point.evidence ?? ''))), `${point.id}: ${point.evidence}`).toBe(true);
      }
      // citations inside the outline point at real passages too
      for (const step of q.outline.对策) {
        for (const [, id] of step.matchAll(/\[(p\d+#\d+)\]/g)) expect(retriever.chunk(id), `${q.id}: ${id}`).toBeDefined();
      }
    }
  });

  it('has a calibration set: strong, middling and weak answers for at least 8 questions', () => {
    const calibration = loadCalibration();
    const ids = new Set(bank.map((q) => q.id));
    const complete = [...new Set(calibration.map((a) => a.question))].filter((id) =>
      ['strong', 'middling', 'weak'].every((level) => calibration.some((a) => a.question === id && a.level === level)),
    );
    expect(complete.length).toBeGreaterThanOrEqual(8);
    for (const a of calibration) expect(ids.has(a.question), a.question).toBe(true);
  });
});
