import { config as loadDotenv } from 'dotenv';

export interface OpenAIConfig {
  apiKey: string;
  baseURL?: string;
  model: string;
  embeddingModel?: string;
  transcriptionModel?: string;
  timeoutMs: number;
  maxRetries: number;
}

export interface Config {
  telegramToken?: string;
  telegramApiRoot?: string;
  openai?: OpenAIConfig;
  knowledgeDir: string;
  dataDir: string;
  topK: number;
  chunkSize: number;
  chunkOverlap: number;
  lsaDimensions: number;
  redisUrl?: string;
  allowedUserIds: number[];
  adminUserIds: number[];
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** webhook mode (several instances behind a load balancer) instead of long polling */
  webhook?: { url: string; secret: string; port: number; host: string };
  rateLimit: { burst: number; perMinute: number };
  /** model answers per user per day; 0 = unlimited. Past it, answers are extractive. */
  dailyLlmBudget: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `expected a whole number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function url(env: Env, name: string): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  try {
    const parsed = new URL(raw);
    if (!/^https?:$/.test(parsed.protocol) && !/^rediss?:$/.test(parsed.protocol)) throw new Error('protocol');
  } catch {
    throw new ConfigError(name, `expected a URL such as https://example.com, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function idList(env: Env, name: string): number[] {
  const raw = text(env, name);
  if (raw === undefined) return [];
  return raw.split(/[,\s]+/).filter(Boolean).map((part) => {
    if (!/^-?\d+$/.test(part)) throw new ConfigError(name, `expected comma-separated numeric Telegram user ids, got "${part}"`);
    return Number(part);
  });
}

/** Parses the environment once into a typed Config; throws ConfigError naming the bad variable. */
export function parseConfig(env: Env): Config {
  const token = text(env, 'TELEGRAM_BOT_TOKEN');
  if (token !== undefined && !/^\d+:[\w-]{20,}$/.test(token)) {
    throw new ConfigError('TELEGRAM_BOT_TOKEN', 'does not look like a BotFather token (digits:letters)');
  }
  const apiKey = text(env, 'OPENAI_API_KEY');
  const logLevel = text(env, 'LOG_LEVEL') ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `expected debug, info, warn or error, got "${logLevel}"`);
  }
  const chunkSize = integer(env, 'CHUNK_SIZE', 500, 80, 4000);
  const chunkOverlap = integer(env, 'CHUNK_OVERLAP', 80, 0, 1000);
  if (chunkOverlap >= chunkSize) throw new ConfigError('CHUNK_OVERLAP', 'must be smaller than CHUNK_SIZE');
  return {
    telegramToken: token,
    telegramApiRoot: url(env, 'TELEGRAM_API_ROOT'),
    openai: apiKey
      ? {
          apiKey,
          baseURL: url(env, 'OPENAI_BASE_URL'),
          model: text(env, 'OPENAI_MODEL') ?? 'gpt-4o-mini',
          embeddingModel: text(env, 'OPENAI_EMBEDDING_MODEL'),
          transcriptionModel: text(env, 'OPENAI_TRANSCRIPTION_MODEL'),
          timeoutMs: integer(env, 'OPENAI_TIMEOUT_MS', 20_000, 1_000, 600_000),
          maxRetries: integer(env, 'OPENAI_MAX_RETRIES', 1, 0, 10),
        }
      : undefined,
    knowledgeDir: text(env, 'KNOWLEDGE_DIR') ?? 'knowledge',
    dataDir: text(env, 'DATA_DIR') ?? '.data',
    topK: integer(env, 'RETRIEVAL_TOP_K', 5, 1, 20),
    chunkSize,
    chunkOverlap,
    lsaDimensions: integer(env, 'LSA_DIMENSIONS', 64, 8, 512),
    redisUrl: url(env, 'REDIS_URL'),
    allowedUserIds: idList(env, 'ALLOWED_USER_IDS'),
    adminUserIds: idList(env, 'ADMIN_USER_IDS'),
    logLevel: logLevel as Config['logLevel'],
    webhook: webhookConfig(env),
    rateLimit: { burst: integer(env, 'RATE_LIMIT_BURST', 10, 1, 1000), perMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 30, 1, 10_000) },
    dailyLlmBudget: integer(env, 'DAILY_LLM_BUDGET', 0, 0, 1_000_000),
  };
}

function webhookConfig(env: Env): Config['webhook'] {
  const webhookUrl = url(env, 'WEBHOOK_URL');
  const secret = text(env, 'WEBHOOK_SECRET');
  if (!webhookUrl) {
    if (secret) throw new ConfigError('WEBHOOK_URL', 'WEBHOOK_SECRET is set but WEBHOOK_URL is not');
    return undefined;
  }
  if (!secret || !/^[A-Za-z0-9_-]{16,256}$/.test(secret)) {
    throw new ConfigError('WEBHOOK_SECRET', 'required with WEBHOOK_URL: 16–256 characters of A-Z, a-z, 0-9, _ and -');
  }
  return { url: webhookUrl, secret, port: integer(env, 'WEBHOOK_PORT', 8080, 1, 65535), host: text(env, 'WEBHOOK_HOST') ?? '0.0.0.0' };
}

/** Reads `.env` (if present) into process.env, then parses. Call once, at start-up. */
export function loadConfig(): Config {
  loadDotenv({ quiet: true });
  return parseConfig(process.env);
}

/** Secrets to keep out of logs and replies. */
export function secretsOf(config: Config): string[] {
  return [config.telegramToken, config.openai?.apiKey, config.webhook?.secret].filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/** loadConfig for entry points: a bad value is explained in one Chinese line and undefined returned. */
export function loadConfigOrExplain(): Config | undefined {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`配置错误:环境变量 ${error.variable} 的值无效。${error.message}`);
    return undefined;
  }
}
