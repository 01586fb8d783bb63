import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import { describe, expect, it } from 'vitest';
import { startWorkerSegmenter, type Segmenter } from '../../src/retrieval/segmenter-worker.ts';

const dictPath = createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt');
const local = Jieba.withDict(readFileSync(dictPath));
const noFallback = (): Segmenter => {
  throw new Error('fell back to this thread');
};

describe('jieba in a worker thread', () => {
  it('gives the same words and tags as the dictionary loaded here, for long texts and odd characters too', () => {
    const worker = startWorkerSegmenter({ dictPath, fallback: noFallback }).get();
    expect(worker).toBeDefined();
    const essay = readFileSync(`knowledge/${readdirSync('knowledge').sort()[0]}`, 'utf8');
    // longer than the first shared buffer (64 KB): it grows
    const texts = ['北辰区的基层治理经验是什么?', essay, ...essay.split('\n').slice(0, 40), '', ' \r\n\t', 'a\ud800b\udc00c', 'ＡＢＣ 12.5% e-mail', '网格'.repeat(40_000)];
    for (const text of texts) {
      for (const hmm of [false, true]) {
        expect(worker!.cut(text, hmm)).toEqual(local.cut(text, hmm));
        expect(worker!.tag(text, hmm).map(({ word, tag }) => [word, tag])).toEqual(local.tag(text, hmm).map(({ word, tag }) => [word, tag]));
      }
    }
    // many texts in one trip: each one's words, as cut one by one
    expect(worker!.cutMany(texts)).toEqual(texts.map((text) => local.cut(text, false)));
    expect(worker!.cutMany(['a\u0000b'])).toBeUndefined();
  });

  it('is not used when it cannot load its dictionary', () => {
    expect(startWorkerSegmenter({ dictPath: '/nonexistent/dict.txt', fallback: noFallback }).get()).toBeUndefined();
  });
});
