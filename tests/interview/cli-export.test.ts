// `drill run` keeps the terminal's practice record; `drill export --out` writes it as the same
// PDF as the bot's /export (it opens and holds the answer in Chinese).
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { loadCalibration } from '../../src/interview/index.ts';
import { tempDataDir } from '../helpers/knowledge.ts';

const dataDir = tempDataDir();
function cli(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, DATA_DIR: dataDir, OPENAI_API_KEY: '', TELEGRAM_BOT_TOKEN: '', REDIS_URL: '', LOG_LEVEL: '' };
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { input, env, encoding: 'utf8', timeout: 90_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('drill export', () => {
  it('writes the practice record of `drill run` as a PDF', async () => {
    const answer = loadCalibration().find((a) => a.question === 'zh-01' && a.kind === 'strong')!.text.replace(/\n/g, '');
    expect(cli(['drill', 'run', '--question', 'zh-01'], `${answer}\n\n`).status).toBe(0);
    const out = join(dataDir, '练习记录.pdf');
    const result = cli(['drill', 'export', '--out', out]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('1 次练习');
    const pdf = await getDocumentProxy(new Uint8Array(await readFile(out)));
    const text = (await extractText(pdf, { mergePages: true })).text.replace(/\s+/g, '');
    expect(text).toContain('结构化面试练习记录');
    expect(text).toContain(answer.replace(/\s+/g, '').slice(0, 120));
  }, 120_000);

  it('without --out, says how to call it', () => {
    const result = cli(['drill', 'export']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--out');
  });
});
