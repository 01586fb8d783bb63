// A one-character word of the question ("得拿到啥证", "自己揽着干") is no index term, so without
// this the sentence that says 证书 or 大包大揽 matches nothing of it. Such words are matched as
// characters inside the sentences, weighed by how few of the retrieved sentences hold them.
import { isBigramTerm, taggedWords } from '../retrieval/tokenize.ts';

/** one-character words too general to tell sentences apart */
const GENERIC_CHARACTER = /^[是有要做干搞说让给会能想看去来到用找弄整办得还就都也在把被对从向跟和与及并叫讲问算行上下多少好大小新老人事]$/;
/** a character word weighs as much as a word of this idf would (termWeight doubles a word's idf) */
const CHARACTER_SCALE = 2;

/** The question's one-character nouns and verbs that none of its longer terms already holds. */
export function singleCharacterWords(asked: string, terms: readonly string[]): string[] {
  const covered = terms.filter((term) => !isBigramTerm(term)).join('');
  const out = new Set<string>();
  for (const { word, tag } of taggedWords(asked)) {
    if (word.length !== 1 || !/^[nv]/.test(tag) || !/[\u3400-\u9fff]/.test(word) || GENERIC_CHARACTER.test(word) || covered.includes(word)) continue;
    out.add(word);
  }
  return [...out];
}

/** Each character's weight: an idf over the sentences it can be found in (0 when none holds it). */
export function characterWeights(characters: readonly string[], sentences: readonly string[]): Map<string, number> {
  const weights = new Map<string, number>();
  for (const character of characters) {
    const holding = sentences.filter((sentence) => sentence.includes(character)).length;
    weights.set(character, holding === 0 ? 0 : CHARACTER_SCALE * Math.log((sentences.length + 1) / (holding + 0.5)));
  }
  return weights;
}
