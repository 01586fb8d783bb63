export type AnswerMode = 'extractive' | 'llm';
export type Coverage = 'covered' | 'partial' | 'none';

export interface Citation {
  /** the [n] marker in the answer text, 1..k in order of first use */
  n: number;
  chunkId: string;
  essayId: string;
  title: string;
  authors: string[];
  publication?: string;
  issue?: string;
  section: string;
  /** the excerpt, verbatim from the cleaned essay */
  quote: string;
}

export interface Answer {
  question: string;
  /** false when the knowledge base does not cover the question: then there are no citations */
  grounded: boolean;
  /**
   * covered: the essays answer it; partial: they touch it, and `gaps` says what they do not say;
   * none: not covered (no citations)
   */
  coverage: Coverage;
  /** partial coverage: a plain sentence on what the essays do and do not say */
  gaps?: string;
  mode: AnswerMode;
  /** plain text; every sentence ends with its [n] markers */
  answer: string;
  citations: Citation[];
  /** a plain note for the user, e.g. that the model failed and this is an extractive answer */
  notice?: string;
  /** LLM mode: sentences the model wrote without a citation */
  uncitedSentences: string[];
  /** not covered: a bank drill on the topic, offered instead */
  relatedDrill?: { id: string; topic: string };
  /** extractive: keys of the sentences quoted, so a follow-up can bring new ones */
  quoted?: string[];
  /** example questions offered when the question is out of scope */
  suggestions: string[];
  ms: number;
}
