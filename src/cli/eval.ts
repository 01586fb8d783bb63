import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createApp } from '../app.ts';
import { BigramBaseline } from '../eval/baseline.ts';
import { evaluateSplit, gateFailures, type SplitReport } from '../eval/evaluate.ts';
import { loadQuestions, SPLITS } from '../eval/questions.ts';
import { formatReports } from '../eval/report.ts';
import { drillGateFailures, evaluateDrill, formatDrillReports, type DrillReport } from '../eval/drill.ts';
import { loadBank } from '../interview/bank.ts';
import { CALIBRATION_SPLITS, loadCalibration } from '../interview/calibration.ts';

/** `eval`: dev and test splits side by side with the baseline; exits 1 when the test split misses a gate. */
export async function runEval(args: string[], config: Config, logger: Logger): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, questions: { type: 'string' } },
  });
  const app = await createApp(config, logger);
  const retriever = app.index.retriever;
  const baseline = await BigramBaseline.build(retriever.essays);
  const splits: Array<[string, readonly string[]]> = values.questions ? [['custom', [values.questions]]] : Object.entries(SPLITS);
  const reports: SplitReport[] = [];
  for (const [name, paths] of splits) reports.push(await evaluateSplit(name, loadQuestions(...paths), retriever, app.answerer, baseline));
  const gated = reports.find((r) => r.split === 'test' || r.split === 'custom');
  const failures = gated ? gateFailures(gated) : [];
  // the drill examiner on the calibration answers, dev and test side by side (offline scorer)
  const drillReports: DrillReport[] = [];
  if (!values.questions) {
    const bank = app.bank ?? loadBank();
    for (const split of Object.keys(CALIBRATION_SPLITS) as Array<keyof typeof CALIBRATION_SPLITS>) {
      drillReports.push(await evaluateDrill(split, loadCalibration(split), bank, retriever));
    }
    const drillTest = drillReports.find((r) => r.split === 'test');
    if (drillTest) failures.push(...drillGateFailures(drillTest));
  }
  if (values.json) console.log(JSON.stringify({ reports, drillReports, failures }));
  else {
    console.log(`模式:${app.answerer.mode === 'llm' ? '大模型' : '摘录'};向量:${retriever.embedder.label}\n`);
    console.log(formatReports(reports));
    if (drillReports.length > 0) console.log(`\n${formatDrillReports(drillReports)}`);
    console.log(failures.length === 0 ? '\n测试集全部达到门槛。' : `\n测试集未达门槛:\n- ${failures.join('\n- ')}`);
  }
  return failures.length === 0 ? 0 : 1;
}
