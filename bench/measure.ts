// Shared by the benchmark's child processes: the questions asked, percentiles, and what a child
// reports about itself (peak RSS as the kernel counts it, CPU time).

/** The question a cached start answers first (in the bench child and through the CLI). */
export const FIRST_QUESTION = '北辰区的基层治理经验是什么?';
/** One with a word the essays never use (网格员), asked next: it is looked up by its pinyin. */
export const UNKNOWN_WORD_QUESTION = '网格员的职责有哪些?';

export function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Asks every question `rounds` times after a warm-up; latencies in ms, sorted. */
export async function latencies(ask: (question: string) => Promise<unknown> | unknown, questions: string[], rounds = 3): Promise<number[]> {
  for (const q of questions.slice(0, 10)) await ask(q);
  const out: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const q of questions) {
      const started = performance.now();
      await ask(q);
      out.push(performance.now() - started);
    }
  }
  return out.sort((a, b) => a - b);
}

/** The process's own figures: peak RSS (getrusage) and CPU seconds, user + system. */
export function selfReport(): { peakRssMb: number; cpuS: number } {
  const usage = process.resourceUsage();
  return { peakRssMb: Math.round(usage.maxRSS / 1024), cpuS: Number(((usage.userCPUTime + usage.systemCPUTime) / 1e6).toFixed(2)) };
}
