/**
 * The SalesforceApi port over undici: pinned API version, bearer token renewed once per request on
 * 401 INVALID_SESSION_ID (one renewal at a time for all requests), retries with backoff on
 * 429 / 5xx / network errors, API call counting and Sforce-Limit-Info parsing.
 */
import { request as undiciRequest, type Dispatcher } from 'undici';
import { transientError } from '../errors';
import type { ApiStats, SalesforceApi, SalesforceRequest, SalesforceResponse } from './salesforce-api';
import { apiErrorFromResponse, networkErrorCode, unreachableError } from './salesforce-errors';
import { backoffDelayMs, retryPolicy, type RetryPolicy } from './retry-policy';

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
}

export class HttpSalesforceApi implements SalesforceApi {
  readonly apiVersion: string;
  private session: Session;
  private renewing: Promise<void> | undefined;
  private readonly policy: RetryPolicy;
  private calls = 0;
  private apiUsage: ApiStats['apiUsage'];

  constructor(private readonly opts: HttpClientOptions) {
    this.apiVersion = opts.apiVersion;
    this.session = opts.session;
    this.policy = retryPolicy(opts.retry);
  }

  get instanceUrl(): string {
    return this.session.instanceUrl;
  }

  stats(): ApiStats {
    return this.apiUsage ? { calls: this.calls, apiUsage: { ...this.apiUsage } } : { calls: this.calls };
  }

  async request(req: SalesforceRequest): Promise<SalesforceResponse> {
    const retry = req.retry !== false;
    let failures = 0;
    let renewed = false;
    for (;;) {
      const token = this.session.accessToken;
      let res: SalesforceResponse;
      try {
        res = await this.send(req, token);
      } catch (err) {
        const code = networkErrorCode(err);
        failures++;
        if (code && code !== 'ENOTFOUND' && retry && failures < this.policy.maxAttempts) {
          await this.pause(req, failures, code);
          continue;
        }
        const host = new URL(this.session.instanceUrl).host;
        // The instance host comes from Salesforce's instance_url, not from the config.
        if (code) throw unreachableError(host, code, 'Salesforce instance', 'salesforce');
        throw transientError(`Request ${req.method} ${req.path} to Salesforce failed: ${(err as Error).message}`);
      }
      if (res.status === 401 && !renewed && isInvalidSession(res.body)) {
        renewed = true;
        await this.renewFrom(token);
        continue;
      }
      if (isOk(res.status, req.okStatuses)) return res;
      failures++;
      if (retry && isRetryableStatus(res.status) && failures < this.policy.maxAttempts) {
        await this.pause(req, failures, `HTTP ${res.status}`, res.headers['retry-after']);
        continue;
      }
      throw apiErrorFromResponse(req.method, req.path, res.status, res.body, this.apiVersion, renewed);
    }
  }

  private async send(req: SalesforceRequest, token: string): Promise<SalesforceResponse> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    let body: Buffer | string | undefined;
    if (req.body !== undefined) {
      body = req.body;
      headers['content-type'] = req.contentType ?? 'application/octet-stream';
    } else if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    this.calls++;
    const res = await undiciRequest(this.url(req.path), {
      method: req.method,
      headers,
      body,
      ...(this.opts.dispatcher ? { dispatcher: this.opts.dispatcher } : {}),
    });
    const buf = Buffer.from(await res.body.arrayBuffer());
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    this.readLimitInfo(flat['sforce-limit-info']);
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

  private async pause(req: SalesforceRequest, failures: number, reason: string, retryAfter?: string): Promise<void> {
    const delayMs = backoffDelayMs(this.policy, failures, retryAfter);
    this.opts.onRetry?.({ method: req.method, path: req.path, attempt: failures + 1, delayMs, reason });
    await this.policy.sleep(delayMs);
  }

  private readLimitInfo(header: string | undefined): void {
    const m = header?.match(/api-usage=(\d+)\/(\d+)/);
    if (m) this.apiUsage = { used: Number(m[1]), max: Number(m[2]) };
  }
}

function isOk(status: number, okStatuses: number[] | undefined): boolean {
  return okStatuses ? okStatuses.includes(status) : status >= 200 && status < 300;
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 420 || (status >= 500 && status !== 501);
}

function isInvalidSession(body: Buffer): boolean {
  return body.toString('utf8').includes('INVALID_SESSION_ID');
}
