import { LlmUnavailableError, type ChatMessage, type ChatModel, type ChatOptions } from './llm.ts';

export interface BreakerOptions {
  /** consecutive failures that open the circuit */
  failureThreshold: number;
  /** how long to stop calling the provider before one trial call */
  cooldownMs: number;
  now?: () => number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerHealth {
  state: BreakerState;
  consecutiveFailures: number;
  lastError?: string;
  lastFailureAt?: number;
  calls: number;
  failures: number;
}

/**
 * Stops calling a provider that keeps failing and tries again later, so users get the
 * extractive answer at once instead of waiting for one more timeout.
 */
export class CircuitBreakerChatModel implements ChatModel {
  readonly label: string;
  private state: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private stats = { calls: 0, failures: 0 };
  private lastError?: string;
  private lastFailureAt?: number;
  private readonly now: () => number;

  constructor(
    private readonly inner: ChatModel,
    private readonly options: BreakerOptions = { failureThreshold: 3, cooldownMs: 30_000 },
  ) {
    this.label = inner.label;
    this.now = options.now ?? Date.now;
  }

  health(): BreakerHealth {
    this.refresh();
    return {
      state: this.state,
      consecutiveFailures: this.consecutiveFailures,
      lastError: this.lastError,
      lastFailureAt: this.lastFailureAt,
      calls: this.stats.calls,
      failures: this.stats.failures,
    };
  }

  private refresh(): void {
    if (this.state === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) this.state = 'half-open';
  }

  async complete(messages: ChatMessage[], options?: ChatOptions): Promise<string> {
    this.refresh();
    // half-open lets exactly one trial call through; the others fail fast until it settles
    if (this.state === 'open' || (this.state === 'half-open' && this.trialInFlight)) {
      throw new LlmUnavailableError('circuit open: the model provider failed repeatedly');
    }
    const trial = this.state === 'half-open';
    if (trial) this.trialInFlight = true;
    this.stats.calls += 1;
    try {
      const result = await this.inner.complete(messages, options);
      this.state = 'closed';
      this.consecutiveFailures = 0;
      return result;
    } catch (error) {
      this.stats.failures += 1;
      this.consecutiveFailures += 1;
      this.lastError = error instanceof Error ? error.message.slice(0, 160) : String(error);
      this.lastFailureAt = this.now();
      if (trial || this.consecutiveFailures >= this.options.failureThreshold) {
        this.state = 'open';
        this.openedAt = this.now();
      } else if (!trial) {
        this.state = 'closed';
      }
      throw error;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }
}
