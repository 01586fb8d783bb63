export const QUESTION_TYPES = ['综合分析', '组织管理', '应急应变', '人际沟通', '现场模拟'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export interface KeyPoint {
  /** `${questionId}-${n}` */
  id: string;
  point: string;
  /** 1–3; a missed 3 triggers the 追问 */
  weight: number;
  keywords: string[];
  /** chunk ids of the essay passages that support the point (may be empty for attitude points) */
  chunks: string[];
  /** a phrase from one of those chunks that proves the point */
  evidence?: string;
}

export interface AnswerOutline {
  表态: string;
  分析: string;
  对策: string[];
  总结: string;
}

export interface InterviewQuestion {
  id: string;
  type: QuestionType;
  ability: string;
  topic: string;
  stem: string;
  keyPoints: KeyPoint[];
  outline: AnswerOutline;
  followUps: string[];
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
  total: number;
  band: Band;
  dimensions: DimensionScore[];
  points: PointResult[];
  hits: Array<{ point: string; evidence: string; status: PointStatus }>;
  misses: Array<{ pointId: string; point: string; weight: number; citation?: PointCitation }>;
  /** one or two concrete improvements */
  feedback: string[];
  followUp?: string;
  mode: ScoringMode;
  /** plain notes: why a score was capped, that the model failed and this is offline, … */
  notices: string[];
  cliches: string[];
  /** the reference outline, shown only after the attempt */
  modelAnswer: string;
}
