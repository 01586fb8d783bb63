// The CLI's logger, created when it first has something to write.
import type { Logger } from '../log.ts';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

/**
 * A logger that creates the real one (pino, ~0.1 s to load) at its first line at or above
 * `level`: a command that logs nothing at that level, such as `ask` on a cached index, never
 * loads pino. Lines below the level are dropped, as the real logger drops them.
 */
export function lazyLogger(level: Level, create: () => Logger): Logger {
  let real: Logger | undefined;
  const enabled = (at: Level): boolean => LEVELS.indexOf(at) >= LEVELS.indexOf(level);
  const get = (): Logger => (real ??= create());
  const at =
    (which: Level) =>
    (event: string, fields?: Record<string, unknown>): void => {
      if (enabled(which)) get()[which](event, fields);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (bindings) => lazyLogger(level, () => get().child(bindings)),
  };
}
