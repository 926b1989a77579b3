/** Exponential backoff with jitter, honouring Retry-After; timings injectable so tests run fast. */

export interface RetryPolicy {
  /** Tries per request, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound for a server's Retry-After. */
  maxRetryAfterMs: number;
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1). */
  random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...defaultRetryPolicy, ...overrides };
}

/** Delay before the next try after `failedAttempts` failures (1 = the first try failed). */
export function backoffDelayMs(policy: RetryPolicy, failedAttempts: number, retryAfter?: string, now = Date.now()): number {
  const fromHeader = parseRetryAfterMs(retryAfter, now);
  if (fromHeader !== undefined) return Math.min(fromHeader, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1));
  // "Equal jitter": at least half the exponential step, so retries still spread out under load.
  return Math.round(ceiling / 2 + (ceiling / 2) * policy.random());
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
