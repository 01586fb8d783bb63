// Runs once around the whole suite: collects the log lines written by the tests and fails the
// run if any of them contains a token, key or webhook secret.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TEST_SECRETS = [
  '123456789:TEST-zhili-token-for-bot-tests',
  'TEST-zhili-token-for-bot-tests',
  'sk-test-key-not-real',
  'sk-test-0123456789abcdef',
  'test-webhook-secret-0123456789',
];

export default function setup(): () => void {
  const dir = join(tmpdir(), `zhili-test-logs-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.env.ZHILI_TEST_LOG_DIR = dir;
  return () => {
    let lines = 0;
    const leaks: string[] = [];
    for (const name of readdirSync(dir)) {
      for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
        if (!line) continue;
        lines += 1;
        for (const secret of TEST_SECRETS) if (line.includes(secret)) leaks.push(`${secret.slice(0, 12)}… in ${line.slice(0, 160)}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    if (leaks.length > 0) throw new Error(`secrets found in ${leaks.length} log line(s):\n${leaks.slice(0, 5).join('\n')}`);
    console.log(`日志检查:测试共写出 ${lines} 行日志,未发现令牌或密钥。`);
  };
}
