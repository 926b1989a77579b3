/**
 * Bulk API 2.0 ingest verbs (salesforce-api.md §1) over the SalesforceApi port.
 * The port retries 429 / 5xx / network errors and renews the token; this client only speaks the API.
 * An error answer comes back as the port's SalesforceApiError (classified in write/execute/failure-causes.ts).
 * The upload is sent WITHOUT the port's retries: a job accepts one PUT only, so a PUT whose outcome
 * is unknown must not be resent to the same job (the job runner redoes it in a new job).
 * Every verb but create settles a job already created, so the API budget guard lets it through.
 */
import type { ReplayableBody, SalesforceApi } from './salesforce-api';
import type { BulkOperation, JobInfo } from './types';

export interface CreateJobRequest {
  object: string;
  operation: BulkOperation;
  externalIdFieldName?: string;
  assignmentRuleId?: string;
}

export type ResultKind = 'successfulResults' | 'failedResults' | 'unprocessedrecords';

export class BulkIngestClient {
  constructor(private readonly api: SalesforceApi) {}

  /** `retry: false` for a create whose lost answer must be looked for, not blindly repeated. */
  async createJob(req: CreateJobRequest, opts: { retry?: boolean } = {}): Promise<JobInfo> {
    const json: Record<string, unknown> = {
      object: req.object,
      operation: req.operation,
      contentType: 'CSV',
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
    };
    if (req.externalIdFieldName) json.externalIdFieldName = req.externalIdFieldName;
    if (req.assignmentRuleId) json.assignmentRuleId = req.assignmentRuleId;
    return this.json('POST', 'jobs/ingest', json, { ...(opts.retry === false ? { retry: false } : {}), settles: false });
  }

  /**
   * The chunk's CSV, in memory or streamed from a replayable source such as a chunk file.
   * `signal`: cuts the PUT short (the job is then aborted by the caller, never closed).
   */
  async upload(jobId: string, csv: Buffer | ReplayableBody, signal?: AbortSignal): Promise<void> {
    await this.api.request({
      method: 'PUT', path: `jobs/ingest/${jobId}/batches`, body: csv, contentType: 'text/csv', retry: false, settles: true, ...(signal ? { signal } : {}),
    });
  }

  close(jobId: string): Promise<JobInfo> {
    return this.json('PATCH', `jobs/ingest/${jobId}`, { state: 'UploadComplete' });
  }

  abort(jobId: string): Promise<JobInfo> {
    return this.json('PATCH', `jobs/ingest/${jobId}`, { state: 'Aborted' });
  }

  getInfo(jobId: string): Promise<JobInfo> {
    return this.json('GET', `jobs/ingest/${jobId}`);
  }

  /**
   * Streams one result CSV into `sink` (never buffered whole). Sent once, without the port's retries:
   * a stream broken half-way cannot be replayed into the same sink (the caller starts over).
   */
  async streamResults(jobId: string, kind: ResultKind, sink: (body: AsyncIterable<Buffer>) => Promise<void>): Promise<void> {
    await this.api.request({ method: 'GET', path: `jobs/ingest/${jobId}/${kind}/`, retry: false, sink, settles: true });
  }

  /** One page of the user's ingest jobs (`locator`: the previous page's `nextRecordsUrl`). */
  async listJobs(nextRecordsUrl?: string): Promise<{ done: boolean; records: JobInfo[]; nextRecordsUrl?: string | null }> {
    const res = await this.api.request({ method: 'GET', path: nextRecordsUrl ?? 'jobs/ingest?jobType=V2Ingest', settles: true });
    return JSON.parse(res.body.toString('utf8')) as { done: boolean; records: JobInfo[]; nextRecordsUrl?: string | null };
  }

  private async json(method: 'GET' | 'POST' | 'PATCH', path: string, json?: unknown, opts: { retry?: boolean; settles?: boolean } = {}): Promise<JobInfo> {
    const settles = opts.settles ?? true;
    const res = await this.api.request({ method, path, settles, ...(json !== undefined ? { json } : {}), ...(opts.retry === false ? { retry: false } : {}) });
    return JSON.parse(res.body.toString('utf8')) as JobInfo;
  }
}
