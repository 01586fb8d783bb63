// The practice record PDF: it opens (unpdf parses it), holds the Chinese text of the answers and
// reviews, the dimension table and 常漏要点, embeds the chart, and stays small (font subset).
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { emptyHistory, loadBank, recordAttempt, type Review } from '../../src/interview/index.ts';
import { renderPracticePdf } from '../../src/interview/practice-pdf.ts';
import { attemptDetailOf } from '../../src/interview/review-record.ts';

const bank = loadBank();
const byId = new Map(bank.map((q) => [q.id, q]));
const question = bank.find((q) => q.id === 'zh-01')!;

function review(total: number): Review {
  return {
    questionId: question.id,
    question: question.stem,
    type: question.type,
    total,
    band: total >= 75 ? '好' : total >= 45 ? '中' : '差',
    dimensions: [
      { key: 'D1', name: '审题立意', score: 6, max: 10, weight: 1.5 },
      { key: 'D2', name: '综合分析能力', score: 5.5, max: 10, weight: 3 },
      { key: 'D3', name: '要点覆盖与联系实际', score: 5, max: 10, weight: 2.5 },
      { key: 'D4', name: '逻辑结构', score: 6, max: 10, weight: 1.5 },
      { key: 'D5', name: '言语表达', score: 7, max: 10, weight: 1.5 },
    ],
    points: [],
    hits: [{ point: question.keyPoints[0]!.point, evidence: '我认为要把群众组织起来共同参与', status: 'hit' }],
    misses: [{ pointId: question.keyPoints[1]!.id, point: question.keyPoints[1]!.point, weight: 3 }],
    feedback: ['对策要落到具体的人和事上,比如由网格员牵头入户走访。'],
    mode: 'offline',
    notices: [],
    cliches: [],
    modelAnswer: '',
  };
}

async function textOf(pdf: Buffer): Promise<string> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(doc, { mergePages: true });
  return text.replace(/\s+/g, '');
}

describe('the practice record PDF', () => {
  it('holds the answers, reviews, the dimension table and 常漏要点 in Chinese, with the chart, and is small', async () => {
    let history = emptyHistory();
    const answer = '各位考官,对于网格化治理,我认为关键在于把群众组织起来,让居民议事会真正发挥作用。';
    history = recordAttempt(history, review(52), new Date('2025-06-01T12:30:00Z'), attemptDetailOf(review(52), answer, { kind: 'text', chars: answer.length }));
    history = recordAttempt(history, review(68), new Date('2025-06-03T12:30:00Z'), attemptDetailOf(review(68), `${answer}第二次`, { kind: 'text', chars: 40 }));
    const pdf = await renderPracticePdf({ history, byId, now: new Date('2025-06-04T00:00:00Z') });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(1_500_000);
    const text = await textOf(pdf);
    expect(text).toContain('结构化面试练习记录');
    expect(text).toContain(answer.replace(/\s+/g, ''));
    expect(text).toContain('对策要落到具体的人和事上');
    expect(text).toContain('各维度得分变化');
    expect(text).toContain('常漏要点');
    expect(text).toContain(question.keyPoints[1]!.point.replace(/\s+/g, '').slice(0, 10));
    expect(text).toContain(question.stem.replace(/\s+/g, '').slice(0, 15));
    // the progress chart and the dimensions over time (each PNG may bring its alpha mask as a second image)
    expect(pdf.toString('latin1').match(/\/Subtype \/Image/g)?.length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('an empty record still opens and says so', async () => {
    const text = await textOf(await renderPracticePdf({ history: emptyHistory(), byId, now: new Date() }));
    expect(text).toContain('还没有练习记录');
  });
});
