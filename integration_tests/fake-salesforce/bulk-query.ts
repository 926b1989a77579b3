/**
 * Bulk API 2.0 query jobs (`/jobs/query`): create (operation query / queryAll), info, abort, delete, and `results` in
 * CSV pages with `Sforce-Locator` / `Sforce-NumberOfRecords` and `maxRecords`. The SOQL subset is the REST query's.
 * A job waits `processingDelayMs` in UploadComplete, then runs the query at once (JobComplete).
 */
import type { RequestContext } from './context';
import { DELIMITERS, quote } from './csv';
import { type Answer, errorAnswer, jsonAnswer } from './http-util';
import { newId } from './ids';
import { readJson } from './ingest-routes';
import { sfTimestamp } from './jobs';
import { RawNumber } from './json';
import type { Org } from './org';
import { pathValue, runPlan } from './query-exec';
import { type FieldPath, type SoqlPlan, SoqlError, compileSoql } from './soql';

type QueryState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export interface QueryJob {
  id: string;
  operation: 'query' | 'queryAll';
  object: string;
  plan: SoqlPlan;
  lineEnding: 'LF' | 'CRLF';
  columnDelimiter: string;
  apiVersion: string;
  state: QueryState;
  createdAt: number;
  modifiedAt: number;
  /** Header + one line per record, taken when the job ran. */
  header?: string;
  lines?: string[];
  timer?: NodeJS.Timeout;
}

const invalid = (ctx: RequestContext, property: string, value: unknown) =>
  errorAnswer(ctx.req, 400, 'API_ERROR', `Invalid value: '${String(value)}' supplied for property: '${property}'`);

function info(job: QueryJob, org: Org, full: boolean): Record<string, unknown> {
  const head: Record<string, unknown> = {
    id: job.id, operation: job.operation, object: job.object, createdById: org.userId,
    createdDate: sfTimestamp(job.createdAt), systemModstamp: sfTimestamp(job.modifiedAt), state: job.state,
    concurrencyMode: 'Parallel', contentType: 'CSV', apiVersion: new RawNumber(job.apiVersion),
  };
  if (!full) return { ...head, lineEnding: job.lineEnding, columnDelimiter: job.columnDelimiter };
  return {
    ...head, jobType: 'V2Query', lineEnding: job.lineEnding, columnDelimiter: job.columnDelimiter,
    numberRecordsProcessed: job.lines?.length ?? 0, retries: 0, totalProcessingTime: job.lines ? 1 : 0, isPkChunkingSupported: true,
  };
}

/** A CSV cell: null → empty, datetimes `…Z` as stored, the rest as text; always quoted [GUESS: quoting as ingest results]. */
function cell(v: unknown): string {
  return v === null || v === undefined ? '""' : quote(String(v));
}

function columnName(path: FieldPath): string {
  return [...path.hops.map((h) => h.relationshipName as string), path.field.name].join('.');
}

function run(org: Org, job: QueryJob): void {
  if (job.state !== 'UploadComplete') return;
  const records = runPlan(org, job.plan, job.operation === 'queryAll');
  const delimiter = DELIMITERS[job.columnDelimiter] as string;
  job.header = job.plan.fields.map((p) => quote(columnName(p))).join(delimiter);
  job.lines = records.map((rec) => job.plan.fields.map((p) => cell(pathValue(org, rec, p))).join(delimiter));
  job.state = 'JobComplete';
  job.modifiedAt = Date.now();
}

export async function createQueryJob(ctx: RequestContext): Promise<Answer> {
  const body = await readJson(ctx);
  if ('answer' in body) return body.answer;
  const spec = body.value;
  const operation = spec.operation ?? 'query';
  if (operation !== 'query' && operation !== 'queryAll') return invalid(ctx, 'operation', operation);
  const lineEnding = spec.lineEnding ?? 'LF';
  if (lineEnding !== 'LF' && lineEnding !== 'CRLF') return invalid(ctx, 'lineEnding', lineEnding);
  const columnDelimiter = String(spec.columnDelimiter ?? 'COMMA');
  if (!(columnDelimiter in DELIMITERS)) return invalid(ctx, 'columnDelimiter', columnDelimiter);
  if (spec.contentType !== undefined && spec.contentType !== 'CSV') return invalid(ctx, 'contentType', spec.contentType);
  if (typeof spec.query !== 'string' || spec.query.trim() === '') return errorAnswer(ctx.req, 400, 'API_ERROR', 'Query is required');
  let plan: SoqlPlan;
  try {
    plan = compileSoql(spec.query);
  } catch (e) {
    if (e instanceof SoqlError) return errorAnswer(ctx.req, 400, e.errorCode, e.message);
    throw e;
  }
  // Bulk API 2.0 refuses aggregates and OFFSET [DOC: "Bulk API 2.0 query" limitations]; the message is a GUESS.
  if (plan.count || plan.offset !== undefined) {
    return errorAnswer(ctx.req, 400, 'API_ERROR', `${plan.count ? 'Aggregate queries' : 'OFFSET'} not supported in Bulk API 2.0 query`);
  }
  const now = Date.now();
  const job: QueryJob = {
    id: newId('750'), operation, object: plan.object.name, plan, lineEnding, columnDelimiter, apiVersion: ctx.version,
    state: 'UploadComplete', createdAt: now, modifiedAt: now,
  };
  ctx.org.queryJobs.set(job.id, job);
  job.timer = setTimeout(() => run(ctx.org, job), ctx.org.options.processingDelayMs);
  job.timer.unref?.();
  return jsonAnswer(ctx.req, 200, info(job, ctx.org, false));
}

function findJob(ctx: RequestContext): QueryJob | undefined {
  return ctx.org.queryJobs.get(ctx.params.jobId ?? '');
}

const notFound = (ctx: RequestContext) => errorAnswer(ctx.req, 404, 'NOT_FOUND', 'The requested resource does not exist');

export async function getQueryJob(ctx: RequestContext): Promise<Answer> {
  const job = findJob(ctx);
  return job ? jsonAnswer(ctx.req, 200, info(job, ctx.org, true)) : notFound(ctx);
}

/** PATCH `{"state":"Aborted"}` — the only change a query job accepts. */
export async function patchQueryJob(ctx: RequestContext): Promise<Answer> {
  const body = await readJson(ctx);
  if ('answer' in body) return body.answer;
  const job = findJob(ctx);
  if (!job) return notFound(ctx);
  if (body.value.state !== 'Aborted') return invalid(ctx, 'state', body.value.state);
  if (job.state !== 'UploadComplete' && job.state !== 'InProgress') {
    return errorAnswer(ctx.req, 400, 'INVALIDJOBSTATE', `Aborting already ${job.state === 'JobComplete' ? 'Completed' : job.state} Job not allowed`);
  }
  if (job.timer) clearTimeout(job.timer);
  job.state = 'Aborted';
  job.modifiedAt = Date.now();
  return jsonAnswer(ctx.req, 200, info(job, ctx.org, false));
}

export async function deleteQueryJob(ctx: RequestContext): Promise<Answer> {
  const job = findJob(ctx);
  if (!job) return notFound(ctx);
  if (job.state === 'UploadComplete' || job.state === 'InProgress') {
    return errorAnswer(ctx.req, 400, 'INVALIDJOBSTATE', 'Deleting a job that is not completed, failed or aborted is not allowed');
  }
  ctx.org.queryJobs.delete(job.id);
  return { status: 204 };
}

/** Locators are opaque to clients; Salesforce's look like base64 of the row offset (`MTAwMDA` = "10000") [REAL]. */
const toLocator = (offset: number) => Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
const fromLocator = (locator: string) => Number(Buffer.from(locator, 'base64').toString('utf8'));

/** `GET …/results[?locator=…&maxRecords=N]`: one CSV page, each with its own header line. */
export async function queryResults(ctx: RequestContext): Promise<Answer> {
  const job = findJob(ctx);
  if (!job) return notFound(ctx);
  if (job.state !== 'JobComplete' || !job.lines || job.header === undefined) {
    return errorAnswer(ctx.req, 400, 'INVALIDJOBSTATE', `Results are only available for a job in JobComplete state; job ${job.id} is ${job.state}`);
  }
  const locator = ctx.query.get('locator');
  const offset = locator === null || locator === '' ? 0 : fromLocator(locator);
  if (!Number.isInteger(offset) || offset < 0 || offset > job.lines.length) {
    return errorAnswer(ctx.req, 400, 'INVALIDLOCATOR', `Invalid locator: ${String(locator)}`);
  }
  const maxParam = ctx.query.get('maxRecords');
  const max = maxParam === null ? ctx.org.options.queryResultsPageSize ?? Number.POSITIVE_INFINITY : Number(maxParam);
  if (!Number.isInteger(max) && max !== Number.POSITIVE_INFINITY) return invalid(ctx, 'maxRecords', maxParam);
  if (max < 1) return invalid(ctx, 'maxRecords', maxParam);
  const end = Math.min(job.lines.length, offset + max);
  const eol = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
  const page = [job.header, ...job.lines.slice(offset, end)];
  return {
    status: 200,
    headers: {
      'Content-Type': 'text/csv',
      'Sforce-Locator': end < job.lines.length ? toLocator(end) : 'null',
      'Sforce-NumberOfRecords': String(end - offset),
    },
    body: page.join(eol) + eol,
  };
}
