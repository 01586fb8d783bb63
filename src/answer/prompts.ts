import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROMPTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prompts');
const cache = new Map<string, string>();

/** Reads prompts/<name>.md once. */
export function loadPrompt(name: string, dir = PROMPTS_DIR): string {
  const key = join(dir, name);
  let text = cache.get(key);
  if (text === undefined) {
    text = readFileSync(join(dir, `${name}.md`), 'utf8').trim();
    cache.set(key, text);
  }
  return text;
}

/** Fills {{name}} placeholders; unknown placeholders are an error, not silent blanks. */
export function renderPrompt(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`prompt placeholder {{${name}}} has no value`);
    return value;
  });
}
