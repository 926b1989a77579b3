/**
 * Bulk API 2.0 ingest verbs (salesforce-api.md §1) over the SalesforceApi port.
 * The port retries 429 / 5xx / network errors and renews the token; this client only speaks the API.
 * The upload is sent WITHOUT the port's retries: a job accepts one PUT only, so a PUT whose outcome
 * is unknown must not be resent to the same job (the job runner redoes it in a new job).
 */
import type { SalesforceApi } from './salesforce-api';
import type { BulkOperation, JobInfo } from './types';

export interface CreateJobRequest {
  object: string;
  operation: BulkOperation;
  externalIdFieldName?: string;
  assignmentRuleId?: string;
}

export type ResultKind = 'successfulResults' | 'failedResults' | 'unprocessedrecords';

/** A request Salesforce answered with an error status we asked to see (e.g. 400 INVALIDJOB). */
export class BulkRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly detail: string,
  ) {
    super(`HTTP ${status} ${errorCode}: ${detail}`);
    this.name = 'BulkRequestError';
  }
}

const CLIENT_ERRORS = [400, 403, 404, 405, 409, 413];

function parseError(status: number, body: Buffer): BulkRequestError {
  const text = body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as unknown;
    const first = (Array.isArray(parsed) ? parsed[0] : parsed) as { errorCode?: string; message?: string } | undefined;
    if (first && typeof first === 'object') return new BulkRequestError(status, first.errorCode ?? 'UNKNOWN', first.message ?? text.slice(0, 500));
  } catch {
    // not JSON
  }
  return new BulkRequestError(status, `HTTP_${status}`, text.slice(0, 500));
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
    const res = await this.api.request({
      method: 'PUT',
      path: `jobs/ingest/${jobId}/batches`,
      body: csv,
      contentType: 'text/csv',
      retry: false,
      okStatuses: [200, 201, 204, ...CLIENT_ERRORS],
    });
    if (res.status >= 300) throw parseError(res.status, res.body);
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
    const res = await this.api.request({ method: 'GET', path: `jobs/ingest/${jobId}/${kind}/`, okStatuses: [200, ...CLIENT_ERRORS] });
    if (res.status >= 300) throw parseError(res.status, res.body);
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

  async deleteJob(jobId: string): Promise<void> {
    const res = await this.api.request({ method: 'DELETE', path: `jobs/ingest/${jobId}`, okStatuses: [200, 204, ...CLIENT_ERRORS] });
    if (res.status >= 300) throw parseError(res.status, res.body);
  }

  private async json(method: 'GET' | 'POST' | 'PATCH', path: string, json?: unknown): Promise<JobInfo> {
    const res = await this.api.request({ method, path, ...(json !== undefined ? { json } : {}), okStatuses: [200, 201, ...CLIENT_ERRORS] });
    if (res.status >= 300) throw parseError(res.status, res.body);
    return JSON.parse(res.body.toString('utf8')) as JobInfo;
  }
}
