export const QUESTION_TYPES = ['综合分析', '组织管理', '应急应变', '人际沟通', '现场模拟'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export interface KeyPoint {
  /** `${questionId}-${n}` */
  id: string;
  point: string;
  /** 1–3; a missed 3 triggers the 追问 */
  weight: number;
  keywords: string[];
  /** ids of the essays that support the point (empty for attitude points) */
  essays: string[];
  /** a verbatim phrase of one of those essays that proves the point; its passage is found at run time */
  evidence?: string;
}

export interface AnswerOutline {
  表态: string;
  分析: string;
  对策: string[];
  总结: string;
}

/** The id of a question the candidate brings: not in the bank, its points guessed from the essays. */
export const OWN_QUESTION_ID = 'free';

export interface InterviewQuestion {
  id: string;
  type: QuestionType;
  ability: string;
  topic: string;
  stem: string;
  keyPoints: KeyPoint[];
  outline: AnswerOutline;
  followUps: string[];
  /** a spoken 3-minute answer; [n] cites key point n's evidence */
  modelAnswer?: string;
}

export type Band = '好' | '中' | '差';
export type DimensionKey = 'D1' | 'D2' | 'D3' | 'D4' | 'D5';

export interface DimensionScore {
  key: DimensionKey;
  name: string;
  /** 0–10, one decimal */
  score: number;
  max: 10;
  weight: number;
}

export type PointStatus = 'hit' | 'partial' | 'miss';

export interface PointResult {
  point: KeyPoint;
  status: PointStatus;
  /** the sentence of the user's answer that makes the point (hit/partial) */
  evidence?: string;
}

export interface PointCitation {
  chunkId: string;
  essayId: string;
  title: string;
  section: string;
  quote: string;
}

export type ScoringMode = 'offline' | 'llm';

export interface Review {
  questionId?: string;
  question: string;
  type: QuestionType;
  /** how the type was decided: from the bank, read from the stem, or chosen by the candidate */
  typeSource?: 'bank' | 'detected' | 'chosen';
  total: number;
  band: Band;
  dimensions: DimensionScore[];
  points: PointResult[];
  /** each point once: hit or partial here, miss in `misses` */
  hits: Array<{ point: string; evidence: string; status: PointStatus }>;
  misses: Array<{ pointId: string; point: string; weight: number; citation?: PointCitation }>;
  /** the type's moves (审题、原因、对策…) and whether the answer made them */
  moves?: Array<{ point: string; made: boolean }>;
  /** at most three improvements, each about this answer */
  feedback: string[];
  followUp?: string;
  mode: ScoringMode;
  /** plain notes: why a score was capped, that the model failed and this is offline, … */
  notices: string[];
  /** the 套话 found, as labels */
  cliches: string[];
  /** estimated speaking time against the limit */
  timing?: { seconds: number; limitSeconds: number; verdict: 'under' | 'ok' | 'over'; penalty: number };
  /** the model answer (spoken, or the outline), its [n] numbered in reading order; shown only after the attempt */
  modelAnswer: string;
  /** the passages the model answer's [n] cite, n = position + 1 */
  modelAnswerSources?: PointCitation[];
}
