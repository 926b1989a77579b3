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

const defaultRetryPolicy: RetryPolicy = {
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

/** Statuses worth another try: 429 / 420 (rate limits) and 5xx except 501 (Not Implemented never changes). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 420 || (status >= 500 && status !== 501);
}

/** What a try returns when it failed in a way worth another try; `error` is thrown once no try is left. */
export class RetryableFailure {
  constructor(
    readonly reason: string,
    readonly error: unknown,
    readonly retryAfter?: string,
  ) {}
}

/**
 * Runs `tryOnce` until it returns something other than a RetryableFailure (or throws), at most
 * `policy.maxAttempts` times, waiting the backoff delay (or the server's Retry-After) in between.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  tryOnce: () => Promise<T | RetryableFailure>,
  /** Called before each wait; `attempt` is the try about to be made (2 = the first retry). */
  onRetry?: (notice: { attempt: number; delayMs: number; reason: string }) => void,
): Promise<T> {
  for (let failures = 1; ; failures++) {
    const outcome = await tryOnce();
    if (!(outcome instanceof RetryableFailure)) return outcome;
    if (failures >= policy.maxAttempts) throw outcome.error;
    const delayMs = backoffDelayMs(policy, failures, outcome.retryAfter);
    onRetry?.({ attempt: failures + 1, delayMs, reason: outcome.reason });
    await policy.sleep(delayMs);
  }
}

/** Delay before the next try after `failedAttempts` failures (1 = the first try failed). */
function backoffDelayMs(policy: RetryPolicy, failedAttempts: number, retryAfter: string | undefined): number {
  const fromHeader = parseRetryAfterMs(retryAfter);
  if (fromHeader !== undefined) return Math.min(fromHeader, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1));
  // "Equal jitter": at least half the exponential step, so retries still spread out under load.
  return Math.round(ceiling / 2 + (ceiling / 2) * policy.random());
}

/** Retry-After is either seconds or an HTTP date. */
function parseRetryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
