import { describe, expect, it } from 'vitest';
import { translateEnglish } from '../../src/retrieval/english.ts';
import { analyzeQuery } from '../../src/retrieval/query.ts';
import { GLOSSARY_PHRASES, GLOSSARY_WORDS } from '../../src/retrieval/english-glossary.ts';

describe('English glossary', () => {
  it('finds the essays’ terms for the field’s everyday English, through plurals and -ed/-ing forms', () => {
    const { chinese } = translateEnglish('How much allowance do members of the deliberative council get?');
    expect(chinese).toEqual(expect.arrayContaining(['补贴', '议事会']));
    expect(translateEnglish('How are reserve cadres trained and supervised?').chinese).toEqual(expect.arrayContaining(['后备干部', '培训', '监督']));
    expect(translateEnglish('villagers').chinese).toContain('村民');
  });

  it('reads a word in quotation marks or with a plural possessive as the word itself', () => {
    const { chinese, unknown } = translateEnglish("What kinds of 'leadership' do villagers' councils need?");
    expect(chinese).toContain('引领');
    expect(chinese).toContain('村民');
    expect(unknown.some((w) => w.includes("'"))).toBe(false);
  });

  it('finds a phrase in the plural and across punctuation', () => {
    expect(translateEnglish('What should township Party committees plan?').chinese).toContain('党委');
    expect(translateEnglish('What is the provincial "No. 1 project"?').chinese).toContain('一号工程');
  });

  it('knows an English question that names the essay it asks about', () => {
    expect(analyzeQuery('What measures does the Beijing civil affairs bureau abstract recommend?').mentionsEssay).toBe(true);
    expect(analyzeQuery('What measures should township governments take?').mentionsEssay).toBe(false);
  });

  it('prefers a longer phrase over its single words', () => {
    const { chinese } = translateEnglish('What is grid management?');
    expect(chinese).toContain('网格化管理');
    expect(chinese).not.toContain('管理');
  });

  it('maps every key, lower-case, to Chinese', () => {
    for (const [phrase, zh] of GLOSSARY_PHRASES) {
      expect(phrase).toBe(phrase.toLowerCase());
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(zh).not.toMatch(/[a-z]/i);
    }
    for (const [word, zh] of Object.entries(GLOSSARY_WORDS)) {
      expect(word).toBe(word.toLowerCase());
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(zh).not.toMatch(/[a-z]/i);
    }
  });
});

describe('English question with Chinese in it', () => {
  it('keeps what the user wrote in Chinese as search and judging terms', () => {
    const analyzed = analyzeQuery('What does 网格化管理 mean in Tianjin?');
    expect(analyzed.language).toBe('en');
    expect(analyzed.text).toContain('网格化管理');
    expect(analyzed.groups.some((g) => g.term === '网格化' || g.term === '网格化管理')).toBe(true);
  });

  it('treats a quoted Chinese name in an English question as a specific the essays must have', () => {
    expect(analyzeQuery('What is the “街乡吹哨” mechanism?').specifics).toContain('街乡吹哨');
  });
});
