/**
 * The SalesforceApi port over undici: pinned API version, bearer token renewed once per request on
 * 401 INVALID_SESSION_ID (one renewal at a time for all requests), retries with backoff on
 * 429 / 5xx / network errors, API call counting, and the API budget guard (api-budget.ts): every
 * reply's Sforce-Limit-Info and /limits are read, and once an allowance reaches its limit every call
 * that does not settle work in flight (`settles`) is refused without being sent.
 */
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { transientError } from '../errors';
import { ApiBudget } from './api-budget';
import type { ApiStats, SalesforceApi, SalesforceRequest, SalesforceResponse } from './salesforce-api';
import { apiErrorFromResponse, networkErrorCode, NoReplyError, unreachableError } from './salesforce-errors';
import { isRetryableStatus, RetryableFailure, retryPolicy, withRetries, type RetryPolicy } from './retry-policy';
import { request as undiciRequest } from './undici-client';

export interface Session {
  accessToken: string;
  instanceUrl: string;
}

export interface RetryNotice {
  method: string;
  path: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface HttpClientOptions {
  apiVersion: string;
  session: Session;
  /** Signs in again; called when Salesforce answers 401 INVALID_SESSION_ID. */
  renewSession: () => Promise<Session>;
  retry?: Partial<RetryPolicy>;
  dispatcher?: Dispatcher;
  onRetry?: (notice: RetryNotice) => void;
  onRenew?: () => void;
  /** The budget guard; without one, usage is only recorded (stats) and nothing is refused. */
  budget?: ApiBudget;
  /** Told when reading /limits failed (the guard then goes on with Sforce-Limit-Info alone). */
  onLimitsUnreadable?: (reason: string) => void;
}

export class HttpSalesforceApi implements SalesforceApi {
  readonly apiVersion: string;
  private session: Session;
  private renewing: Promise<void> | undefined;
  private readonly policy: RetryPolicy;
  private calls = 0;
  private readonly budget: ApiBudget;
  private limitsRead: Promise<void> | undefined;

  constructor(private readonly opts: HttpClientOptions) {
    this.apiVersion = opts.apiVersion;
    this.session = opts.session;
    this.policy = retryPolicy(opts.retry);
    this.budget = opts.budget ?? new ApiBudget(Infinity);
  }

  get instanceUrl(): string {
    return this.session.instanceUrl;
  }

  stats(): ApiStats {
    const apiUsage = this.budget.apiUsage();
    return apiUsage ? { calls: this.calls, apiUsage } : { calls: this.calls };
  }

  /** Reads /limits into the budget (one at a time); a failure is reported, not thrown. */
  readLimits(): Promise<void> {
    this.limitsRead ??= this.request({ method: 'GET', path: 'limits', settles: true })
      .then((res) => this.budget.observeLimits(JSON.parse(res.body.toString('utf8'))))
      .catch((err: unknown) => this.opts.onLimitsUnreadable?.(err instanceof Error ? err.message : String(err)))
      .finally(() => {
        this.limitsRead = undefined;
      });
    return this.limitsRead;
  }

  async request(req: SalesforceRequest): Promise<SalesforceResponse> {
    if (!req.settles && this.opts.budget) {
      if (this.opts.budget.limitsDue()) await this.readLimits();
      const refusal = this.opts.budget.refusal();
      if (refusal) throw refusal;
    }
    const policy = req.retry === false ? { ...this.policy, maxAttempts: 1 } : this.policy;
    let renewed = false;
    const tryOnce = async (): Promise<SalesforceResponse | RetryableFailure> => {
      const token = this.session.accessToken;
      let res: SalesforceResponse;
      try {
        res = await this.send(req, token);
      } catch (err) {
        const code = networkErrorCode(err);
        if (!code) throw transientError(`Request ${req.method} ${req.path} to Salesforce failed: ${(err as Error).message}`);
        // The instance host comes from Salesforce's instance_url, not from the config.
        const unreachable = unreachableError(new URL(this.session.instanceUrl).host, code, 'Salesforce instance', 'salesforce');
        if (code === 'ENOTFOUND') throw unreachable;
        // Sent, or perhaps sent, and no answer: whoever made the call decides whether it may be made again.
        return new RetryableFailure(code, new NoReplyError(unreachable.message, code));
      }
      if (res.status === 401 && !renewed && isInvalidSession(res.body)) {
        renewed = true;
        await this.renewFrom(token);
        return tryOnce(); // the renewal is not a failed try
      }
      if (isOk(res.status, req.okStatuses)) return res;
      const error = apiErrorFromResponse(req.method, req.path, res.status, res.body, this.apiVersion, renewed);
      if (isRetryableStatus(res.status)) return new RetryableFailure(`HTTP ${res.status}`, error, res.headers['retry-after']);
      throw error;
    };
    return withRetries(policy, tryOnce, (n) => this.opts.onRetry?.({ method: req.method, path: req.path, ...n }));
  }

  private async send(req: SalesforceRequest, token: string): Promise<SalesforceResponse> {
    const headers: Record<string, string> = { ...req.headers, authorization: `Bearer ${token}`, accept: 'application/json' };
    let body: Buffer | string | Readable | undefined;
    if (Buffer.isBuffer(req.body)) {
      body = req.body;
      headers['content-type'] = req.contentType ?? 'application/octet-stream';
    } else if (req.body !== undefined) {
      body = req.body.open(); // a fresh stream for this send (a renewal or retry sends again)
      headers['content-type'] = req.contentType ?? 'application/octet-stream';
      headers['content-length'] = String(req.body.bytes);
    } else if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    this.calls++;
    const res = await undiciRequest(this.url(req.path), {
      method: req.method,
      headers,
      body,
      ...(req.signal ? { signal: req.signal } : {}),
      ...(this.opts.dispatcher ? { dispatcher: this.opts.dispatcher } : {}),
    });
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    this.budget.observeHeader(flat['sforce-limit-info']);
    if (req.sink && isOk(res.statusCode, req.okStatuses)) {
      await req.sink(res.body);
      return { status: res.statusCode, headers: flat, body: Buffer.alloc(0) };
    }
    const buf = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, headers: flat, body: buf };
  }

  private url(path: string): string {
    const base = this.session.instanceUrl.replace(/\/+$/, '');
    return path.startsWith('/') ? `${base}${path}` : `${base}/services/data/v${this.apiVersion}/${path}`;
  }

  /** One renewal at a time: requests that failed with the same stale token wait for the same sign-in. */
  private async renewFrom(staleToken: string): Promise<void> {
    if (this.session.accessToken !== staleToken) return;
    if (!this.renewing) {
      this.opts.onRenew?.();
      this.renewing = this.opts
        .renewSession()
        .then((s) => {
          this.session = s;
        })
        .finally(() => {
          this.renewing = undefined;
        });
    }
    await this.renewing;
  }
}

function isOk(status: number, okStatuses: number[] | undefined): boolean {
  return okStatuses ? okStatuses.includes(status) : status >= 200 && status < 300;
}

function isInvalidSession(body: Buffer): boolean {
  return body.toString('utf8').includes('INVALID_SESSION_ID');
}
