import { describe, expect, it } from 'vitest';
import { CircuitBreakerChatModel } from '../../src/answer/breaker.ts';
import { LlmUnavailableError, type ChatModel } from '../../src/answer/llm.ts';

function flaky(results: Array<'ok' | 'fail'>): ChatModel & { calls: number } {
  const model = {
    label: 'flaky',
    calls: 0,
    async complete(): Promise<string> {
      const result = results[Math.min(model.calls, results.length - 1)];
      model.calls += 1;
      if (result === 'fail') throw new LlmUnavailableError('HTTP 503');
      return 'ok';
    },
  };
  return model;
}

describe('circuit breaker', () => {
  it('opens after repeated failures, fails fast while open, and tries again after the cooldown', async () => {
    let clock = 0;
    const inner = flaky(['fail', 'fail', 'fail', 'ok']);
    const breaker = new CircuitBreakerChatModel(inner, { failureThreshold: 3, cooldownMs: 1000, now: () => clock });
    for (let i = 0; i < 3; i += 1) await expect(breaker.complete([])).rejects.toThrow();
    expect(breaker.health().state).toBe('open');
    await expect(breaker.complete([])).rejects.toThrow(/circuit open/);
    expect(inner.calls).toBe(3);
    clock = 1500;
    expect(breaker.health().state).toBe('half-open');
    await expect(breaker.complete([])).resolves.toBe('ok');
    expect(breaker.health()).toMatchObject({ state: 'closed', consecutiveFailures: 0, calls: 4, failures: 3 });
  });

  it('re-opens at once when the trial call fails', async () => {
    let clock = 0;
    const breaker = new CircuitBreakerChatModel(flaky(['fail']), { failureThreshold: 2, cooldownMs: 100, now: () => clock });
    await expect(breaker.complete([])).rejects.toThrow();
    await expect(breaker.complete([])).rejects.toThrow();
    clock = 200;
    await expect(breaker.complete([])).rejects.toThrow(/503/);
    expect(breaker.health().state).toBe('open');
  });

  it('lets exactly one trial call through while half-open, however many arrive at once', async () => {
    let clock = 0;
    const waiting: Array<() => void> = [];
    let calls = 0;
    let failing = true;
    const inner: ChatModel = {
      label: 'slow',
      async complete(): Promise<string> {
        calls += 1;
        if (failing) throw new LlmUnavailableError('HTTP 503');
        await new Promise<void>((resolve) => waiting.push(resolve));
        return 'ok';
      },
    };
    const breaker = new CircuitBreakerChatModel(inner, { failureThreshold: 2, cooldownMs: 100, now: () => clock });
    await expect(breaker.complete([])).rejects.toThrow();
    await expect(breaker.complete([])).rejects.toThrow();
    failing = false;
    clock = 200;
    const concurrent = Array.from({ length: 5 }, () => breaker.complete([]));
    const settled = Promise.allSettled(concurrent);
    for (const release of waiting) release();
    const outcomes = await settled;
    expect(calls).toBe(3);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected' && /circuit open/.test(String(o.reason)))).toHaveLength(4);
    expect(breaker.health().state).toBe('closed');
  });
});
