export interface ParagraphSpan {
  start: number;
  end: number;
  heading: boolean;
  /** section path in effect for this paragraph, e.g. "一、当前… › (一)农村…" */
  section: string;
}

export interface Essay {
  id: string;
  /** 篇 number in the original collection, when the essay came from it */
  pian?: number;
  title: string;
  authors: string[];
  institution?: string;
  publication?: string;
  issue?: string;
  pages?: string;
  keywords: string[];
  note?: string;
  /** file name relative to the knowledge directory */
  file: string;
  /** cleaned text: paragraphs joined by "\n"; every quote is a slice of it */
  text: string;
  paragraphs: ParagraphSpan[];
}

export interface Chunk {
  /** stable id: `${essayId}#${ordinal}` with a two-digit ordinal, e.g. "p04#03" */
  id: string;
  essayId: string;
  ordinal: number;
  section: string;
  /** offsets into the essay's cleaned text: text === essay.text.slice(start, end) */
  start: number;
  end: number;
  text: string;
}

export interface KnowledgeBase {
  essays: Essay[];
  chunks: Chunk[];
  /** friendly Chinese warnings for files that were skipped, each naming the file */
  warnings: string[];
}
