// Every log line the in-process bots and apps of the suite write is appended to a file; the
// global teardown (tests/global-setup.ts) greps them all for the tokens and keys the tests use.
import { appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secretsOf, type Config } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/log.ts';

export const LOG_DIR = process.env.ZHILI_TEST_LOG_DIR ?? join(tmpdir(), 'zhili-test-logs');

/** The logger production builds from this config (same redaction), writing to the suite's log file. */
export function captureLogger(config: Config): Logger {
  mkdirSync(LOG_DIR, { recursive: true });
  const file = join(LOG_DIR, `${process.pid}.log`);
  return createLogger({ level: 'debug', secrets: secretsOf(config), write: (line) => appendFileSync(file, `${line}\n`) });
}
