// The text splitter behind chunkEssay, in its own module so it is imported only when chunking.
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { ChunkingOptions } from './chunk.ts';

// Paragraphs first, then sentence ends, then clause breaks, then characters.
const SEPARATORS = ['\n', '。', '！', '？', '；', '!', '?', ';', '，', ',', '、', ''];
const CLOSERS = '"”’」』)）】';

function escapeRegExp(text: string): string {
  return text.replace(/[/\-\\^$*+?.()|[\]{}]/g, '\\$&');
}

/**
 * The stock `keepSeparator` splits *before* a separator, so a sentence's 。 would start the
 * next chunk. This splitter cuts *after* it (and after any closing quote that follows), so
 * every sentence keeps its own punctuation.
 */
export class ChineseSentenceSplitter extends RecursiveCharacterTextSplitter {
  constructor(options: ChunkingOptions) {
    super({ ...options, separators: SEPARATORS, keepSeparator: true });
  }

  override splitOnSeparator(text: string, separator: string): string[] {
    if (separator === '') return text.split('').filter((s) => s !== '');
    const sep = escapeRegExp(separator);
    const closers = `[${escapeRegExp(CLOSERS)}]`;
    const after = new RegExp(`(?<=${sep}${closers}*)(?!${closers})`);
    return text.split(after).filter((s) => s !== '');
  }
}

