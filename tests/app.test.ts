import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { loadBank } from '../src/interview/bank.ts';
import { silentLogger } from '../src/log.ts';

describe('the app', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'zhili-app-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const config = parseConfig({ KNOWLEDGE_DIR: resolve('knowledge'), DATA_DIR: dataDir });

  it('reads the question bank when it is first used: for a drill on a question the essays do not cover, or by the bot', async () => {
    const app = await createApp(config, silentLogger);
    const answer = await app.answerer.answer('党的二十大对基层治理提了哪些新要求?');
    expect(answer.grounded).toBe(false);
    expect(answer.relatedDrill).toBeDefined();
    expect(app.bank).toEqual(loadBank());
    expect(app.bank?.some((q) => q.id === answer.relatedDrill?.id)).toBe(true);
  });
});
