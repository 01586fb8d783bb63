// Who "我镇", "我市" is: a first-person essay sentence is quoted with the place that speaks
// ("鹅公镇的做法:"), found in the essay's title or in its part before it first says "我镇".
import type { Essay, ParagraphSpan } from '../knowledge/types.ts';
import { words } from '../retrieval/tokenize.ts';
import { formStrength } from './question-form.ts';
import { FIRST_PERSON } from './sentences.ts';

/** a sentence this strong in giving measures is a 做法, otherwise a 情况 */
const GIVES_MEASURES = 0.5;

export function paragraphAt(essay: Essay, offset: number): ParagraphSpan | undefined {
  return essay.paragraphs.find((p) => offset >= p.start && offset < p.end + 1);
}

const GENERIC_PLACE =
  /^(全|各|本|该|每|我|贵|此|两|多|新|行政|试点|示范|重点|中心|自治|居住|集聚|试验|开发|发达|城乡|农村|乡村|城市|社区|小区|园区|辖区|山区|地区|城区|乡镇|城镇|村镇)/;

/** The last place of the given kind ("镇") named in `text`, if any. */
function placeBefore(text: string, kind: string): string | undefined {
  const tokens = words(text);
  let found: string | undefined;
  tokens.forEach((token, i) => {
    let name: string | undefined;
    if (token.length >= kind.length + 2 && token.endsWith(kind)) name = token;
    else if (token === kind) {
      // a name the dictionary does not know comes as single characters: 鹅 公 镇
      let j = i;
      while (j > 0 && i - j < 3 && /^[\u4e00-\u9fff]$/.test(tokens[j - 1])) j -= 1;
      const head = i - j >= 2 ? tokens.slice(j, i).join('') : i > 0 && /^[\u4e00-\u9fff]{2}$/.test(tokens[i - 1]) ? tokens[i - 1] : '';
      if (head) name = head + kind;
    }
    if (name && !GENERIC_PLACE.test(name)) found = name;
  });
  return found;
}

/**
 * "鹅公镇的做法:" for a sentence that says "我镇…": the place is looked for in the essay title and
 * in the essay's part (its top-level section) before that part first says "我镇".
 */
export function attributionFor(essay: Essay, start: number, text: string): string | undefined {
  const person = FIRST_PERSON.exec(text);
  if (!person) return undefined;
  const kind = person[1];
  const what = formStrength('how', text) >= GIVES_MEASURES ? '做法' : '情况';
  const part = (offset: number): string => (paragraphAt(essay, offset)?.section ?? '').split(' › ')[0];
  const here = part(start);
  const opening = essay.paragraphs.find((p) => p.start <= start && part(p.start) === here)?.start ?? 0;
  const firstMention = essay.text.slice(opening).search(new RegExp(`我们?${kind}`));
  const before = essay.text.slice(opening, firstMention >= 0 ? opening + firstMention : start);
  const place = placeBefore(`${essay.title}\n${before}`, kind);
  return `${place ?? '文中作者所在地'}的${what}:`;
}
