/**
 * Bulk API 2.0 ingest verbs (salesforce-api.md §1) over the SalesforceApi port.
 * The port retries 429 / 5xx / network errors and renews the token; this client only speaks the API.
 * An error answer comes back as the port's SalesforceApiError (see bulkRefusal).
 * The upload is sent WITHOUT the port's retries: a job accepts one PUT only, so a PUT whose outcome
 * is unknown must not be resent to the same job (the job runner redoes it in a new job).
 */
import type { SalesforceApi } from './salesforce-api';
import { SalesforceApiError } from './salesforce-errors';
import type { BulkOperation, JobInfo } from './types';

export interface CreateJobRequest {
  object: string;
  operation: BulkOperation;
  externalIdFieldName?: string;
  assignmentRuleId?: string;
}

export type ResultKind = 'successfulResults' | 'failedResults' | 'unprocessedrecords';

/** Statuses with which Salesforce refuses a Bulk API request itself (400 INVALIDJOB, 413 too large, …). */
const REFUSAL_STATUSES = new Set([400, 403, 404, 405, 409, 413]);

/**
 * The error when Salesforce refused the request itself, so sending it again cannot help; undefined for
 * anything else (401 after a renewal, 410, 429 / 5xx after retries, network errors), which keeps its own error.
 */
export function bulkRefusal(err: unknown): SalesforceApiError | undefined {
  return err instanceof SalesforceApiError && REFUSAL_STATUSES.has(err.status) ? err : undefined;
}

export class BulkIngestClient {
  constructor(private readonly api: SalesforceApi) {}

  async createJob(req: CreateJobRequest): Promise<JobInfo> {
    const json: Record<string, unknown> = {
      object: req.object,
      operation: req.operation,
      contentType: 'CSV',
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
    };
    if (req.externalIdFieldName) json.externalIdFieldName = req.externalIdFieldName;
    if (req.assignmentRuleId) json.assignmentRuleId = req.assignmentRuleId;
    return this.json('POST', 'jobs/ingest', json);
  }

  async upload(jobId: string, csv: Buffer): Promise<void> {
    await this.api.request({ method: 'PUT', path: `jobs/ingest/${jobId}/batches`, body: csv, contentType: 'text/csv', retry: false });
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

  async results(jobId: string, kind: ResultKind): Promise<Buffer> {
    const res = await this.api.request({ method: 'GET', path: `jobs/ingest/${jobId}/${kind}/` });
    return res.body;
  }

  successfulResults(jobId: string): Promise<Buffer> {
    return this.results(jobId, 'successfulResults');
  }

  failedResults(jobId: string): Promise<Buffer> {
    return this.results(jobId, 'failedResults');
  }

  unprocessedRecords(jobId: string): Promise<Buffer> {
    return this.results(jobId, 'unprocessedrecords');
  }

  private async json(method: 'GET' | 'POST' | 'PATCH', path: string, json?: unknown): Promise<JobInfo> {
    const res = await this.api.request({ method, path, ...(json !== undefined ? { json } : {}) });
    return JSON.parse(res.body.toString('utf8')) as JobInfo;
  }
}
