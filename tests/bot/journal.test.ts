import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Update } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { UpdateJournal } from '../../src/bot/journal.ts';
import { createLogger, silentLogger } from '../../src/log.ts';

const update = (id: number): Update => ({ update_id: id, message: { message_id: id, date: 0, chat: { id: 1, type: 'private', first_name: 'a' }, text: `q${id}` } }) as Update;

const dirs: string[] = [];
function dir(): string {
  const path = mkdtempSync(join(tmpdir(), 'zhili-journal-'));
  dirs.push(path);
  return path;
}
afterEach(() => {
  for (const path of dirs.splice(0)) rmSync(path, { recursive: true, force: true });
});

describe('the update journal', () => {
  it('keeps what was fetched until it is handled, across a restart, oldest first', () => {
    const path = dir();
    const journal = new UpdateJournal(path, silentLogger);
    expect(journal.record([update(11), update(12), update(13)]).map((u) => u.update_id)).toEqual([11, 12, 13]);
    journal.done(12);
    const restarted = new UpdateJournal(path, silentLogger);
    expect(restarted.pending().map((u) => u.update_id)).toEqual([11, 13]);
    // Telegram redelivers what it has not seen confirmed: not handled a second time
    expect(restarted.record([update(12), update(13), update(14)]).map((u) => u.update_id)).toEqual([14]);
    expect(readdirSync(path).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('confirms a batch of redeliveries only, instead of handing the runner the same batch forever', async () => {
    const journal = new UpdateJournal(dir(), silentLogger);
    journal.record([update(1), update(2)]);
    const offsets: unknown[] = [];
    const prev = async (_method: string, payload: Record<string, unknown>) => {
      offsets.push(payload['offset']);
      return { ok: true as const, result: Number(payload['offset']) > 2 ? [update(3)] : [update(1), update(2)] };
    };
    const result = await journal.transformer()(prev as never, 'getUpdates', { offset: 0 } as never);
    expect(offsets).toEqual([0, 3]);
    expect((result as { result: Update[] }).result.map((u) => u.update_id)).toEqual([3]);
  });

  it('an unwritable journal is reported once and the updates still go through', () => {
    // a directory under a regular file cannot be made, even by root
    const file = join(dir(), 'not-a-dir');
    writeFileSync(file, '');
    const path = join(file, 'journal');
    const lines: string[] = [];
    const journal = new UpdateJournal(path, createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line).event) }));
    expect(journal.record([update(1)]).length).toBe(1);
    expect(journal.record([update(2)]).length).toBe(1);
    expect(lines.filter((e) => e === 'journal.write_failed')).toHaveLength(1);
  });
});
