import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import { startWorkerSegmenter } from '../src/retrieval/segmenter-worker.ts';
const dictPath = createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt');
const local = Jieba.withDict(readFileSync(dictPath));
const w = startWorkerSegmenter({ dictPath, fallback: () => { throw new Error('fell back'); } }).get()!;
const texts: string[] = [];
for (const f of readdirSync('knowledge')) { const t = readFileSync('knowledge/' + f, 'utf8'); texts.push(t, ...t.split(/\n+/)); }
for (const f of readdirSync('eval')) if (f.endsWith('.jsonl')) for (const l of readFileSync('eval/' + f, 'utf8').split('\n')) if (l.trim()) texts.push(JSON.parse(l).question ?? '');
texts.push('', ' ', 'a\ud800b\udc00', 'x'.repeat(200000), '北辰区'.repeat(50000), '\r\n\t  ABC def 123.45%');
let n = 0;
for (const t of texts) {
  for (const hmm of [false, true]) {
    const a = JSON.stringify(local.cut(t, hmm)), b = JSON.stringify(w.cut(t, hmm));
    if (a !== b) throw new Error('cut differs: ' + t.slice(0, 50));
    const c = JSON.stringify(local.tag(t, hmm).map((x) => [x.word, x.tag])), d = JSON.stringify(w.tag(t, hmm).map((x) => [x.word, x.tag]));
    if (c !== d) throw new Error('tag differs: ' + t.slice(0, 50));
    n++;
  }
}
console.log('identical over', n, 'texts×hmm');
