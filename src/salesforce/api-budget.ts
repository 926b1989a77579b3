/**
 * The API budget guard: how much of the org's daily allowances is used, from `GET /limits` (read at
 * the start and again every few minutes, as Salesforce does not promise Sforce-Limit-Info on Bulk
 * replies) and from `Sforce-Limit-Info: api-usage=n/max` on every reply.
 *
 * Once the daily API requests, or the daily Bulk API batches, reach `maxPercent` of their maximum,
 * `refusal()` gives the error with which the HTTP port refuses every new call; calls that settle what
 * is in flight (job upload, close, abort, polls, results) are still made. The Bulk records allowance
 * (150,000,000 / 24 h) is not reported by /limits; each batch is at most 10,000 records of it, so the
 * batch allowance (15,000 × 10,000) bounds it too.
 */
import { ConnectorError } from '../errors';

/** The guard's refusal (transient): the call was never sent, so there is nothing to look for or settle. */
export class ApiBudgetStop extends ConnectorError {
  constructor(message: string) {
    super(message, 'transient_error');
    this.name = 'ApiBudgetStop';
  }
}

export interface Allowance {
  used: number;
  max: number;
}

/** /limits is read again when this old (one call every few minutes next to thousands of job calls). */
const LIMITS_REFRESH_MS = 5 * 60_000;

export class ApiBudget {
  private api: Allowance | undefined;
  private batches: Allowance | undefined;
  private readAt: number | undefined;

  constructor(
    readonly maxPercent: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** `Sforce-Limit-Info: api-usage=60/100000` (other parts of the header ignored). */
  observeHeader(header: string | undefined): void {
    const m = header?.match(/api-usage=(\d+)\/(\d+)/);
    if (m) this.api = { used: Number(m[1]), max: Number(m[2]) };
  }

  /** The body of `GET /limits`: `{"DailyApiRequests": {"Max": n, "Remaining": n}, "DailyBulkApiBatches": …}`. */
  observeLimits(body: unknown): void {
    this.readAt = this.now();
    const api = allowance(body, 'DailyApiRequests');
    const batches = allowance(body, 'DailyBulkApiBatches');
    // A header read after the /limits request started may be newer: keep the larger usage.
    if (api) this.api = this.api && this.api.max === api.max && this.api.used > api.used ? this.api : api;
    if (batches) this.batches = batches;
  }

  limitsDue(): boolean {
    return this.readAt === undefined || this.now() - this.readAt >= LIMITS_REFRESH_MS;
  }

  apiUsage(): Allowance | undefined {
    return this.api ? { ...this.api } : undefined;
  }

  /** The error for a new call once an allowance reached maxPercent; undefined while under it. */
  refusal(): ConnectorError | undefined {
    const spent = ([['API requests', this.api], ['Bulk API batches', this.batches]] as const).find(
      ([, a]) => a !== undefined && a.max > 0 && percent(a) >= this.maxPercent,
    );
    if (!spent) return undefined;
    const [what, a] = spent as readonly [string, Allowance];
    return new ApiBudgetStop(
      `The sync stopped to spare the org's daily allowance: ${a.used} of ${a.max} daily ${what} are used (${percent(a).toFixed(0)}%), ` +
        `at or above max_api_usage_percent ${this.maxPercent}. Salesforce counts them over a rolling 24 hours. ` +
        'Rows loaded so far are checkpointed; run the sync again once usage has gone down, or raise max_api_usage_percent.',
    );
  }

  /** One line for LOG: what is left of each allowance. */
  summary(): string {
    const part = (what: string, a: Allowance | undefined) =>
      a ? `${what}: ${a.max - a.used} of ${a.max} remaining (${percent(a).toFixed(0)}% used)` : `${what}: not reported`;
    return (
      `Salesforce daily allowances (rolling 24 hours): ${part('API requests', this.api)}; ${part('Bulk API batches', this.batches)}. ` +
      `New calls stop at max_api_usage_percent ${this.maxPercent}%.`
    );
  }
}

function percent(a: Allowance): number {
  return a.max > 0 ? (a.used * 100) / a.max : 0;
}

function allowance(body: unknown, key: string): Allowance | undefined {
  const entry = (body as Record<string, { Max?: unknown; Remaining?: unknown } | undefined> | null)?.[key];
  const max = Number(entry?.Max);
  const remaining = Number(entry?.Remaining);
  if (!Number.isFinite(max) || !Number.isFinite(remaining) || max <= 0) return undefined;
  return { used: Math.max(0, max - remaining), max };
}
