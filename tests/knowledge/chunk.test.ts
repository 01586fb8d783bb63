import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chunkEssay, DEFAULT_CHUNKING, surroundingParagraph } from '../../src/knowledge/chunk.ts';
import { ChineseSentenceSplitter } from '../../src/knowledge/sentence-splitter.ts';
import { normalizeForMatch } from '../../src/knowledge/clean.ts';
import { loadEssays } from '../../src/knowledge/load.ts';

const { essays } = await loadEssays('knowledge');
// the scraped original sits beside the repository (../shared); compare against it when present
const SOURCE_FILE = '../shared/knowledge-source/000_0c20a2d3c8e53b3e.txt';
const source = existsSync(SOURCE_FILE) ? normalizeForMatch(readFileSync(SOURCE_FILE, 'utf8')) : '';

describe('chunking', () => {
  it('keeps each sentence-ending mark with its own sentence', () => {
    const splitter = new ChineseSentenceSplitter({ chunkSize: 20, chunkOverlap: 0 });
    expect(splitter.splitOnSeparator('第一句。“第二句。”第三句', '。')).toEqual(['第一句。', '“第二句。”', '第三句']);
  });

  it('makes chunks that are verbatim slices of the cleaned essay, with ids, sections and a modest size', async () => {
    for (const essay of essays) {
      const chunks = await chunkEssay(essay);
      expect(chunks.length).toBeGreaterThan(0);
      chunks.forEach((chunk, i) => {
        expect(chunk.text).toBe(essay.text.slice(chunk.start, chunk.end));
        expect(chunk.id).toBe(`${essay.id}#${String(i).padStart(2, '0')}`);
        expect(chunk.text.length).toBeLessThanOrEqual(DEFAULT_CHUNKING.chunkSize + 80);
      });
    }
  });

  it('never ends a chunk in the middle of a sentence when a sentence end is near', async () => {
    const essay = essays.find((e) => e.id === 'p05');
    const chunks = await chunkEssay(essay!);
    const clean = chunks.filter((c) => /[。！？；;]$/.test(c.text) || essay!.text[c.end] === '\n' || c.end === essay!.text.length);
    expect(clean.length / chunks.length).toBeGreaterThan(0.9);
  });

  it('records the section heading a passage sits under', async () => {
    const essay = essays.find((e) => e.id === 'p04')!;
    const chunks = await chunkEssay(essay);
    const problem = chunks.find((c) => c.text.includes('二是信息管理及信息利用率不到位'));
    expect(problem?.section).toContain('一、当前农村基层治理体制机制存在的问题');
  });

  it.runIf(source !== '')('keeps every word of the source: every cleaned paragraph occurs in the scraped file', () => {
    for (const essay of essays) {
      for (const p of essay.paragraphs) {
        const para = normalizeForMatch(essay.text.slice(p.start, p.end));
        // compare in pieces: a few headings were split off the text they were glued to
        for (let i = 0; i + 12 <= para.length; i += 12) {
          const piece = para.slice(i, i + 12);
          if (!source.includes(piece)) {
            // the only allowed repairs: rejoined page breaks and one heading the scrape split in two
            expect(['p07', 'p10']).toContain(essay.id);
          }
        }
      }
    }
  });

  it('expands a chunk to its surrounding paragraph', async () => {
    const essay = essays.find((e) => e.id === 'p10')!;
    const chunk = (await chunkEssay(essay))[5];
    const around = surroundingParagraph(essay, chunk);
    expect(around.text).toContain(chunk.text.slice(0, 20));
    expect(around.start).toBeLessThanOrEqual(chunk.start);
    expect(around.end).toBeGreaterThanOrEqual(chunk.end);
  });

  it('shows more than the excerpt as its context: the paragraph before or after it joins', async () => {
    let longer = 0;
    let total = 0;
    for (const essay of essays) {
      for (const chunk of await chunkEssay(essay)) {
        const around = surroundingParagraph(essay, chunk);
        expect(around.text).toBe(essay.text.slice(around.start, around.end));
        expect(around.end - around.start).toBeLessThanOrEqual(Math.max(1600, chunk.end - chunk.start + 1));
        total += 1;
        if (around.end - around.start > chunk.end - chunk.start + 20) longer += 1;
      }
    }
    expect(longer / total).toBeGreaterThan(0.6);
  });
});
