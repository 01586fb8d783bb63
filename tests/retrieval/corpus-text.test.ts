import { describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../../src/knowledge/clean.ts';
import { loadEssays } from '../../src/knowledge/load.ts';
import { CorpusText, metadataText } from '../../src/retrieval/corpus-text.ts';

const { essays } = await loadEssays('knowledge');
const bodies = essays.map((essay) => normalizeForMatch(essay.text));
const metadata = essays.map((essay) => normalizeForMatch(metadataText(essay)));

/** What the index must answer: every essay tested with includes(). */
function naive(needle: string, where: 'body' | 'any'): string[] {
  return essays.filter((_, i) => bodies[i].includes(needle) || (where === 'any' && metadata[i].includes(needle))).map((essay) => essay.id);
}

// a small deterministic generator, so a failure can be replayed
let seed = 7;
const next = (n: number): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed % n;
};

describe('the character-pair index over the normalised corpus', () => {
  const corpus = CorpusText.build(essays);

  it('finds exactly the essays whose text (or metadata) contains a string', () => {
    const needles = ['', '基', '北辰', '网格化管理', '甘肃', '没有这样的话', '社会治理', '2016', 'abc', '治理社会'];
    for (let i = 0; i < 300; i += 1) {
      const source = next(3) === 0 ? metadata[next(metadata.length)] : bodies[next(bodies.length)];
      const at = next(Math.max(1, source.length));
      const needle = source.slice(at, at + 1 + next(6));
      needles.push(needle, `${needle}镇`);
    }
    for (const needle of needles) {
      for (const where of ['body', 'any'] as const) {
        const expected = naive(needle, where);
        expect(corpus.essaysWith(needle, where, 100), `${where} ${needle}`).toEqual(expected);
        // with a limit: all of them when there are that few, else that many of them
        const some = corpus.essaysWith(needle, where, 3);
        if (expected.length <= 3) expect(some).toEqual(expected);
        else expect(some.length === 3 && some.every((id) => expected.includes(id))).toBe(true);
        expect(corpus.has(needle, where)).toBe(expected.length > 0);
      }
    }
  });

  it('gives the same answers with essays added as a second run', () => {
    const grown = CorpusText.build(essays.slice(0, 6)).withEssays(essays.slice(6, 9), () => undefined).withEssays(essays.slice(9), (id) => essays.find((e) => e.id === id));
    for (const needle of ['北辰', '网格化管理', '甘肃', '社会治理', metadata[10].slice(0, 4), bodies[7].slice(100, 104)]) {
      expect([...grown.essaysWith(needle, 'any', 100)].sort()).toEqual([...naive(needle, 'any')].sort());
      expect([...grown.essaysWith(needle, 'body', 100)].sort()).toEqual([...naive(needle, 'body')].sort());
    }
  });

  it('finds a name written with one character changed, and which character it was', () => {
    const at = bodies[1].indexOf('北辰区');
    expect(at).toBeGreaterThanOrEqual(0);
    const name = bodies[1].slice(at, at + 5);
    const typed = `${name.slice(0, 4)}${name[4] === '甲' ? '乙' : '甲'}`;
    expect(corpus.oneCharacterOff(typed, 'body')).toContainEqual([typed[4], name[4]]);
    expect(corpus.oneCharacterOff(name, 'body').every(([a, b]) => a !== b)).toBe(true);
    expect(corpus.oneCharacterOff('甲乙丙丁戊', 'any')).toEqual([]);
  });
});
