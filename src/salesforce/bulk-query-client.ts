/**
 * Bulk API 2.0 query jobs (salesforce-api.md: `/jobs/query`) and the REST query the scope check
 * uses, over the SalesforceApi port (which retries 429 / 5xx and renews the token).
 *
 * Results are read page by page: each page is a CSV with its own header line, the next one named by
 * the `Sforce-Locator` header (the text `null` on the last page). A page is parsed and handed to the
 * caller before the next is fetched, so memory holds one page, not the whole result.
 */
import Papa from 'papaparse';
import { configError, systemError, transientError } from '../errors';
import type { SalesforceApi } from './salesforce-api';
import { SalesforceApiError } from './salesforce-errors';

export interface QueryJobInfo {
  id: string;
  state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  errorMessage?: string;
  numberRecordsProcessed?: number;
}

export interface BulkQueryOptions {
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Give up waiting for one query job after this long (system_error naming the job). */
  deadlineMs: number;
  /** Rows per results page (`maxRecords`). */
  pageSize?: number;
}

/** Codes Salesforce answers a SOQL it cannot run with: the user's condition is wrong. */
const BAD_SOQL_CODES = new Set(['MALFORMED_QUERY', 'INVALID_FIELD', 'INVALID_TYPE', 'INVALID_QUERY_FILTER_OPERATOR']);

export class BulkQueryClient {
  constructor(
    private readonly api: SalesforceApi,
    private readonly opts: BulkQueryOptions,
  ) {}

  /**
   * Runs `soql` through REST `/query` and drops the answer: Salesforce's verdict on whether it is
   * valid SOQL for the object. `what` names the setting in the error (a config_error quoting Salesforce).
   */
  async checkSoql(soql: string, what: string): Promise<void> {
    try {
      await this.api.request({ method: 'GET', path: `query?q=${encodeURIComponent(soql)}` });
    } catch (err) {
      if (err instanceof SalesforceApiError && err.errorCode && BAD_SOQL_CODES.has(err.errorCode)) {
        throw configError(`${what} is not valid SOQL: Salesforce answered ${err.errorCode}: ${err.salesforceMessage ?? ''} (query: ${soql}). Fix the condition in the config.`, err.internalMessage);
      }
      throw err;
    }
  }

  /**
   * Runs a Bulk query job and yields its rows (objects keyed by the CSV header), page by page. The
   * job is deleted once its results were read (Salesforce keeps them 7 days otherwise); one still
   * running when the reading stops (an error, or the caller stopped early) is aborted first.
   */
  async *rows(soql: string): AsyncGenerator<Record<string, string>[]> {
    const created = await this.json<QueryJobInfo>('POST', 'jobs/query', { operation: 'query', query: soql, contentType: 'CSV', lineEnding: 'LF', columnDelimiter: 'COMMA' });
    const job = { id: created.id, finished: false };
    try {
      await this.waitDone(job);
      let locator: string | undefined;
      do {
        const params = new URLSearchParams({ maxRecords: String(this.opts.pageSize ?? 50_000) });
        if (locator) params.set('locator', locator);
        const res = await this.api.request({ method: 'GET', path: `jobs/query/${job.id}/results?${params.toString()}` });
        const parsed = Papa.parse<Record<string, string>>(res.body.toString('utf8'), { header: true, skipEmptyLines: true });
        if (parsed.errors.length) throw systemError(`Could not read the results of Bulk query job ${job.id}: ${parsed.errors[0]?.message ?? 'bad CSV'}.`);
        yield parsed.data;
        const next = res.headers['sforce-locator'];
        locator = next && next !== 'null' ? next : undefined;
      } while (locator);
    } finally {
      await this.cleanUp(job);
    }
  }

  /** Best effort: a query job left behind costs nothing but storage, so a failure here never fails the sync. */
  private async cleanUp(job: { id: string; finished: boolean }): Promise<void> {
    try {
      if (!job.finished) await this.api.request({ method: 'PATCH', path: `jobs/query/${job.id}`, json: { state: 'Aborted' } });
      await this.api.request({ method: 'DELETE', path: `jobs/query/${job.id}` });
    } catch {
      // Left for Salesforce to remove after 7 days.
    }
  }

  private async waitDone(job: { id: string; finished: boolean }): Promise<void> {
    const jobId = job.id;
    const started = this.opts.now();
    let wait = 200;
    for (;;) {
      const info = await this.json<QueryJobInfo>('GET', `jobs/query/${jobId}`);
      job.finished = info.state === 'JobComplete' || info.state === 'Failed' || info.state === 'Aborted';
      if (info.state === 'JobComplete') return;
      if (info.state === 'Failed' || info.state === 'Aborted') {
        throw transientError(`Salesforce could not run Bulk query job ${jobId} (${info.state}${info.errorMessage ? `: ${info.errorMessage}` : ''}); the next attempt runs it again.`);
      }
      if (this.opts.now() - started > this.opts.deadlineMs) {
        throw systemError(`Bulk query job ${jobId} did not finish within ${Math.round(this.opts.deadlineMs / 1000)} s; nothing was deleted.`);
      }
      await this.opts.sleep(wait);
      wait = Math.min(wait * 1.5, 5000);
    }
  }

  private async json<T>(method: 'GET' | 'POST', path: string, json?: unknown): Promise<T> {
    const res = await this.api.request({ method, path, ...(json !== undefined ? { json } : {}) });
    return JSON.parse(res.body.toString('utf8')) as T;
  }
}
