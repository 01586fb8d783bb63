import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadCalibration } from '../../src/interview/index.ts';
import { tempDataDir } from '../helpers/knowledge.ts';

function cli(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, DATA_DIR: tempDataDir(), OPENAI_API_KEY: '', TELEGRAM_BOT_TOKEN: '', LOG_LEVEL: '' };
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { input, env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('drill CLI', () => {
  it('lists the bank as JSON', () => {
    const { status, stdout } = cli(['drill', 'list', '--json']);
    expect(status).toBe(0);
    const list = JSON.parse(stdout) as Array<{ id: string; type: string }>;
    expect(list.length).toBeGreaterThanOrEqual(36);
  });

  it('scores an answer read from stdin and prints the JSON contract', () => {
    const answer = loadCalibration().find((a) => a.question === 'zz-01' && a.kind === 'strong')!.text;
    const { status, stdout } = cli(['drill', 'score', '--question', 'zz-01', '--json'], answer);
    expect(status).toBe(0);
    const review = JSON.parse(stdout);
    for (const key of ['question', 'total', 'band', 'dimensions', 'hits', 'misses', 'feedback', 'followUp', 'mode']) expect(review).toHaveProperty(key);
    expect(review.mode).toBe('offline');
    expect(review.dimensions).toHaveLength(5);
    expect(review.dimensions[0]).toEqual({ name: '审题立意', score: expect.any(Number), max: 10 });
  });

  it('scores an answer to a free question, grounded in retrieved passages', () => {
    const { status, stdout } = cli(['drill', 'score', '--question', '如何调动村民参与村级事务的积极性?', '--json'], '我认为要发挥村民议事会的作用,推行信息公开。一是建立村民议事会,让村民自己商量村里的大事。二是定期召开信息公开会议,公开公服资金使用明细,接受群众监督。三是对积极参与的村民给予表扬。总之,要让村民感到说了有用,才能调动积极性。');
    expect(status).toBe(0);
    const review = JSON.parse(stdout);
    expect(review.hits.length + review.misses.length).toBeGreaterThan(0);
    expect(review.misses.every((m: { citation: unknown }) => m.citation !== undefined)).toBe(true);
  });

  it('offers a free question’s essay points as practices to borrow, not as requirements missed', () => {
    const stem = '近年来一些地方推进“扩权强镇”改革,把部分执法权下放到乡镇,但有乡镇干部反映“接不住、用不好”。对此,请谈谈你的看法。';
    const { status, stdout } = cli(['drill', 'score', '--question', stem], '放权方向是对的,乡镇离问题最近。接不住,主要是人财物没跟着走、培训跟不上。建议编制经费随事转移,县级部门跟班指导,一年后评估调整。');
    expect(status).toBe(0);
    expect(stdout).toContain('文章里可以借用的做法');
    expect(stdout).not.toContain('没答到的要点');
    expect(stdout).not.toContain('没谈到“');
  });

  it('runs a whole drill in the terminal: the question, the review, the 追问 and its answer', () => {
    const medium = loadCalibration().find((a) => a.question === 'zh-01' && a.kind === 'medium')!.text.replace(/\n/g, '');
    const input = `${medium}\n\n我会让街道牵头建立网格事项准入清单,部门派任务要随责随权随费下沉,做到责权利相匹配。\n\n`;
    const { status, stdout } = cli(['drill', 'run', '--question', 'zh-01'], input);
    expect(status).toBe(0);
    expect(stdout).toContain('【综合分析】(zh-01)');
    expect(stdout).toMatch(/总分 [\d.]+ \/ 100/);
    expect(stdout).toContain('追问回答反馈');
    expect(stdout).toContain('补上了');
  });
});
