/** Bulk API 2.0 ingest job model, create-time validation and the JobInfo views (reference §1.2, §1.5, §1.6). */
import type { JobFailure } from './types';
import type { Column } from './columns';
import type { RowError } from './field-values';
import { newId } from './ids';
import { RawNumber } from './json';
import type { Org } from './org';
import { DELIMITERS } from './csv';
import { findField, findObject } from './org-schema';
import type { FakeJob } from './types';

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
export const OPERATIONS = ['insert', 'delete', 'hardDelete', 'update', 'upsert'] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface RowResult {
  /** Index of the row in the upload (batches of one job may finish out of order). */
  row: number;
  ok: boolean;
  sfId: string;
  created: boolean;
  error?: RowError;
}

export interface PreparedData {
  header: string[];
  columns: Column[];
  rows: string[][];
}

export interface IngestJob {
  id: string;
  object: string;
  operation: Operation;
  externalIdFieldName?: string;
  lineEnding: 'LF' | 'CRLF';
  columnDelimiter: string;
  assignmentRuleId?: string;
  apiVersion: string;
  state: JobState;
  createdAt: number;
  modifiedAt: number;
  uploads: Buffer[];
  uploadedBytes: number;
  puts: number;
  errorMessage?: string;
  prepared?: PreparedData;
  /** Raw rows for unprocessedrecords when the job failed before preparing. */
  rawHeader?: string[];
  rawRows?: string[][];
  /** Results in processing order (length = rows processed). */
  results: RowResult[];
  /** Model times (batch-pool.ts): close, first batch start, last batch end / failure. */
  closedAt?: number;
  startedAt?: number;
  finishedAt?: number;
  /** Batch retries so far (job info `retries`). */
  retries: number;
  /** Batches not yet done. */
  batchesLeft: number;
  lastBatchEnd?: number;
  /** Set when failNextJob picked this job: it turns Failed after that many rows. */
  failure?: JobFailure;
  timer?: NodeJS.Timeout;
}

/** `2022-01-02T21:33:43.000+0000` [REAL]. */
export function sfTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export type CreateResult = { job: IngestJob } | { status: number; errorCode: string; message: string };

/** Validates a create-job body; order and wording per reference §1.2 (see README for tags). */
export function createJob(org: Org, body: Record<string, unknown>, apiVersion: string): CreateResult {
  const bad = (property: string, value: unknown) => ({
    status: 400, errorCode: 'API_ERROR', message: `Invalid value: '${value === undefined || value === null ? '' : String(value)}' supplied for property: '${property}'`,
  });
  const operation = body.operation;
  if (typeof operation !== 'string' || !(OPERATIONS as readonly string[]).includes(operation)) return bad('operation', operation);
  const contentType = body.contentType ?? 'CSV';
  if (contentType !== 'CSV') return bad('contentType', contentType);
  const lineEnding = body.lineEnding ?? 'LF';
  if (lineEnding !== 'LF' && lineEnding !== 'CRLF') return bad('lineEnding', lineEnding);
  const columnDelimiter = body.columnDelimiter ?? 'COMMA';
  if (typeof columnDelimiter !== 'string' || !(columnDelimiter in DELIMITERS)) return bad('columnDelimiter', columnDelimiter);
  const objectName = typeof body.object === 'string' ? body.object : '';
  const obj = findObject(objectName);
  if (!obj) return { status: 400, errorCode: 'INVALIDJOB', message: `InvalidJob : Unable to find object: ${objectName}` };
  let externalIdFieldName: string | undefined;
  if (operation === 'upsert') {
    const ext = typeof body.externalIdFieldName === 'string' ? body.externalIdFieldName : '';
    if (ext === '') {
      return { status: 400, errorCode: 'INVALIDJOB', message: `InvalidJob : External ID was blank for ${obj.name}. An External ID must be specified for upsert.` };
    }
    const fd = findField(obj, ext);
    if (!fd || !(fd.externalId || fd.idLookup)) {
      return { status: 400, errorCode: 'INVALIDJOB', message: `InvalidJob : Field name provided, ${ext} does not match an External ID for ${obj.name}` };
    }
    externalIdFieldName = fd.name;
  }
  if (operation === 'hardDelete' && !org.options.hardDeleteEnabled) {
    return { status: 400, errorCode: 'FEATURENOTENABLED', message: 'FeatureNotEnabled : Bulk API Hard Delete is not enabled for this user. Ask your administrator for the "Bulk API Hard Delete" permission.' };
  }
  const now = Date.now();
  const job: IngestJob = {
    id: newId('750'),
    object: obj.name,
    operation: operation as Operation,
    externalIdFieldName,
    lineEnding,
    columnDelimiter,
    assignmentRuleId: typeof body.assignmentRuleId === 'string' ? body.assignmentRuleId : undefined,
    apiVersion,
    state: 'Open',
    createdAt: now,
    modifiedAt: now,
    uploads: [],
    uploadedBytes: 0,
    puts: 0,
    results: [],
    retries: 0,
    batchesLeft: 0,
  };
  org.jobs.set(job.id, job);
  return { job };
}

/**
 * The job changed: `systemModstamp` moves to now. A new state is always stamped later than the last change
 * (two states never share a stamp); rows counted are stamped now, never ahead of the clock (batches counting
 * rows several times a millisecond pushed it seconds ahead).
 */
export function touch(job: IngestJob, state?: JobState): void {
  if (state) job.state = state;
  job.modifiedAt = Math.max(Date.now(), state ? job.modifiedAt + 1 : job.modifiedAt);
}

function head(job: IngestJob, org: Org): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: org.userId,
    createdDate: sfTimestamp(job.createdAt),
    systemModstamp: sfTimestamp(job.modifiedAt),
    state: job.state,
    externalIdFieldName: job.externalIdFieldName,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: new RawNumber(job.apiVersion),
  };
}

function contentUrl(job: IngestJob): string | undefined {
  return job.state === 'Open' ? `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches` : undefined;
}

/** Response of create: doc key order, contentUrl only while Open. */
export function createView(job: IngestJob, org: Org): Record<string, unknown> {
  return {
    ...head(job, org),
    contentUrl: contentUrl(job),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    assignmentRuleId: job.assignmentRuleId,
  };
}

/** Response of PATCH close/abort: the reduced JobInfo. */
export function reducedView(job: IngestJob, org: Org): Record<string, unknown> {
  return head(job, org);
}

export function counters(job: IngestJob): { processed: number; failed: number } {
  return { processed: job.results.length, failed: job.results.filter((r) => !r.ok).length };
}

/** GET job info: counters only once data was uploaded or the job left Open. */
export function fullView(job: IngestJob, org: Org): Record<string, unknown> {
  const c = counters(job);
  const showCounters = job.puts > 0 || job.state !== 'Open';
  const total = job.startedAt ? Math.max(0, Math.round((job.finishedAt ?? Date.now()) - job.startedAt)) : 0;
  return {
    ...head(job, org),
    jobType: 'V2Ingest',
    contentUrl: contentUrl(job),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    assignmentRuleId: job.assignmentRuleId,
    numberRecordsProcessed: showCounters ? c.processed : undefined,
    numberRecordsFailed: showCounters ? c.failed : undefined,
    retries: job.retries,
    totalProcessingTime: total,
    apiActiveProcessingTime: Math.floor(total / 2),
    apexProcessingTime: 0,
    errorMessage: job.state === 'Failed' ? job.errorMessage : undefined,
  };
}

/** Entries of GET jobs/ingest. */
export function listView(job: IngestJob, org: Org): Record<string, unknown> {
  return { ...head(job, org), jobType: 'V2Ingest', lineEnding: job.lineEnding, columnDelimiter: job.columnDelimiter };
}

export function toFakeJob(job: IngestJob): FakeJob {
  const c = counters(job);
  return {
    id: job.id,
    object: job.object,
    operation: job.operation,
    state: job.state,
    externalIdFieldName: job.externalIdFieldName,
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    uploadedBytes: job.uploadedBytes,
    puts: job.puts,
    numberRecordsProcessed: c.processed,
    numberRecordsFailed: c.failed,
    assignmentRuleId: job.assignmentRuleId,
    createdAt: job.createdAt,
    closedAt: job.closedAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    retries: job.retries,
    errorMessage: job.errorMessage,
  };
}
