// Structured logs: one JSON line per event on stderr (stdout stays clean for --json output),
// written by pino. Secrets are taken out of every line before it is written, whatever field
// they hide in (an URL, an error message), and child loggers carry context such as the chat id.
import { createRequire } from 'node:module';
import type pino from 'pino';

// pino (a CommonJS package of a dozen files, ~0.1 s to load) is required when the first logger
// is created: a command that never logs, or a cached start measured alone, does not load it
const requirePino = (): typeof pino => createRequire(import.meta.url)('pino') as typeof pino;

type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  /** a logger whose every line also carries these fields (e.g. { chatId }) */
  child(bindings: Record<string, unknown>): Logger;
}

export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join('[REDACTED]');
  // bot tokens in URLs even when we were not told about them
  return out.replace(/bot\d{5,}:[\w-]{20,}/g, 'bot[REDACTED]').replace(/sk-[\w-]{16,}/g, 'sk-[REDACTED]');
}

/** Errors as { name, message }: a stack would only add noise (and paths) to an event log. */
function serializeError(value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}

function wrap(base: pino.Logger): Logger {
  const emit = (level: Level, event: string, fields: Record<string, unknown> = {}): void => {
    if (!base.isLevelEnabled(level)) return;
    const entry: Record<string, unknown> = { event };
    for (const [key, value] of Object.entries(fields)) entry[key] = serializeError(value);
    base[level](entry);
  };
  return {
    debug: (event, fields) => emit('debug', event, fields),
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
    child: (bindings) => wrap(base.child(bindings)),
  };
}

export function createLogger(options: { level?: Level; secrets?: string[]; write?: (line: string) => void } = {}): Logger {
  const secrets = options.secrets ?? [];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  // a synchronous destination: a line is out before the call returns (tests read it, crashes keep it)
  const destination = { write: (line: string) => write(line.replace(/\n$/, '')) };
  const pino = requirePino();
  const base = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: (line) => redact(line, secrets) },
    },
    destination,
  );
  return wrap(base);
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };
