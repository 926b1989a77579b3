/** Bulk API 2.0 ingest endpoints (reference §1.1–§1.9). */
import type { RequestContext } from './context';
import { type Answer, errorAnswer, jsonAnswer, readBody } from './http-util';
import { resultCsv, type ResultKind } from './ingest-processor';
import { abortJob, clearTimer, scheduleProcessing } from './job-runner';
import { type IngestJob, createJob, createView, fullView, listView, reducedView, touch } from './jobs';
import { parseMultipart } from './multipart';

const NOT_FOUND = ['NOT_FOUND', 'The requested resource does not exist'] as const;

function findJob(ctx: RequestContext): IngestJob | undefined {
  return ctx.org.jobs.get(ctx.params.jobId ?? '');
}

export async function readJson(ctx: RequestContext): Promise<{ value: Record<string, unknown> } | { answer: Answer }> {
  const body = await readBody(ctx.req);
  ctx.bodyBytes = body.size;
  try {
    const value: unknown = JSON.parse(body.bytes.toString('utf8') || '{}');
    if (value && typeof value === 'object' && !Array.isArray(value)) return { value: value as Record<string, unknown> };
  } catch {
    /* fall through */
  }
  return { answer: errorAnswer(ctx.req, 400, 'JSON_PARSER_ERROR', 'Unexpected character: was expecting a JSON object') };
}

export async function createIngestJob(ctx: RequestContext): Promise<Answer> {
  const type = String(ctx.req.headers['content-type'] ?? '');
  if (type.startsWith('multipart/form-data')) return createMultipart(ctx, type);
  const parsed = await readJson(ctx);
  if ('answer' in parsed) return parsed.answer;
  const r = createJob(ctx.org, parsed.value, ctx.version);
  if ('status' in r) return errorAnswer(ctx.req, r.status, r.errorCode, r.message);
  return jsonAnswer(ctx.req, 200, createView(r.job, ctx.org));
}

/** Create + data in one request [DOC §1.3]: the job starts at UploadComplete. */
async function createMultipart(ctx: RequestContext, contentType: string): Promise<Answer> {
  const body = await readBody(ctx.req);
  ctx.bodyBytes = body.size;
  const parts = parseMultipart(body.bytes, contentType);
  const jobPart = parts?.find((p) => p.name === 'job');
  const content = parts?.find((p) => p.name === 'content');
  if (!jobPart || !content) return errorAnswer(ctx.req, 400, 'INVALIDJOB', 'InvalidJob : multipart request must contain the parts "job" and "content"');
  if (content.data.toString('utf8').length > 100000) {
    return errorAnswer(ctx.req, 400, 'INVALIDJOB', 'InvalidJob : The content of a multipart request must not exceed 100000 characters');
  }
  let spec: unknown;
  try {
    spec = JSON.parse(jobPart.data.toString('utf8'));
  } catch {
    return errorAnswer(ctx.req, 400, 'JSON_PARSER_ERROR', 'Unexpected character: was expecting a JSON object');
  }
  const r = createJob(ctx.org, (spec ?? {}) as Record<string, unknown>, ctx.version);
  if ('status' in r) return errorAnswer(ctx.req, r.status, r.errorCode, r.message);
  r.job.uploads.push(content.data);
  r.job.uploadedBytes += content.data.length;
  r.job.puts += 1;
  touch(r.job, 'UploadComplete');
  scheduleProcessing(ctx.org, r.job);
  return jsonAnswer(ctx.req, 200, createView(r.job, ctx.org));
}

export async function uploadJobData(ctx: RequestContext): Promise<Answer> {
  const { org } = ctx;
  const body = await readBody(ctx.req, org.options.uploadLimitBytes);
  ctx.bodyBytes = body.size;
  const job = findJob(ctx);
  if (!job) return errorAnswer(ctx.req, 404, ...NOT_FOUND);
  if (job.state !== 'Open') {
    return errorAnswer(ctx.req, 400, 'INVALIDJOBSTATE', `InvalidJobState : Upload is only allowed while the job is Open; job ${job.id} is ${job.state}`);
  }
  if (body.tooLarge) {
    // A gzip body is only inflated up to the cap, so its decoded size is then unknown.
    const shown = body.size === body.dataSize ? String(body.size) : `more than ${org.options.uploadLimitBytes}`;
    return errorAnswer(ctx.req, org.options.uploadLimitStatus, 'CLIENTINPUTERROR',
      `ClientInputError : Upload of ${shown} bytes exceeds the maximum of ${org.options.uploadLimitBytes} bytes per job`);
  }
  if (job.puts > 0 && org.options.secondPutRejection === 'put') {
    return errorAnswer(ctx.req, 400, 'INVALIDJOB', multipleContents(job));
  }
  job.uploads.push(body.bytes);
  job.uploadedBytes += body.dataSize;
  job.puts += 1;
  touch(job);
  return { status: 201, headers: {} };
}

function multipleContents(job: IngestJob): string {
  return `Found multipe contents for job: <${job.id.slice(0, 15)}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`;
}

export async function patchJob(ctx: RequestContext): Promise<Answer> {
  const parsed = await readJson(ctx);
  if ('answer' in parsed) return parsed.answer;
  const job = findJob(ctx);
  if (!job) return errorAnswer(ctx.req, 404, ...NOT_FOUND);
  const state = parsed.value.state;
  const invalid = (message: string) => errorAnswer(ctx.req, 400, 'INVALIDJOBSTATE', message);
  if (state === 'UploadComplete') {
    if (job.state !== 'Open') return invalid(`InvalidJobState : Closing a job in state ${job.state} is not allowed`);
    if (job.puts > 1) {
      const code = ctx.org.options.secondPutRejection === 'close_invalidjob' ? 'INVALIDJOB' : 'BULK_API_ERROR';
      return errorAnswer(ctx.req, 400, code, multipleContents(job));
    }
    touch(job, 'UploadComplete');
    scheduleProcessing(ctx.org, job);
    return jsonAnswer(ctx.req, 200, reducedView(job, ctx.org));
  }
  if (state === 'Aborted') {
    if (job.state === 'JobComplete') return invalid('Aborting already Completed Job not allowed');
    if (job.state === 'Failed' || job.state === 'Aborted') return invalid(`Aborting already ${job.state} Job not allowed`);
    abortJob(ctx.org, job);
    return jsonAnswer(ctx.req, 200, reducedView(job, ctx.org));
  }
  return invalid(`InvalidJobState : Invalid state change from ${job.state} to ${String(state)}`);
}

export async function getJobInfo(ctx: RequestContext): Promise<Answer> {
  const job = findJob(ctx);
  if (!job) return errorAnswer(ctx.req, 404, ...NOT_FOUND);
  return jsonAnswer(ctx.req, 200, fullView(job, ctx.org));
}

export function resultsHandler(kind: ResultKind) {
  return async (ctx: RequestContext): Promise<Answer> => {
    const job = findJob(ctx);
    if (!job) return errorAnswer(ctx.req, 404, ...NOT_FOUND);
    if (job.state === 'Open' || job.state === 'UploadComplete' || job.state === 'InProgress') {
      return errorAnswer(ctx.req, 400, 'INVALIDJOBSTATE', `InvalidJobState : Results are not available for a job in state ${job.state}`);
    }
    return { status: 200, headers: { 'Content-Type': 'text/csv; charset=UTF-8' }, body: resultCsv(ctx.org, job, kind) };
  };
}

const DELETABLE = ['UploadComplete', 'JobComplete', 'Aborted', 'Failed'];

export async function deleteJob(ctx: RequestContext): Promise<Answer> {
  const job = findJob(ctx);
  if (!job) return errorAnswer(ctx.req, 404, ...NOT_FOUND);
  if (!DELETABLE.includes(job.state)) {
    return errorAnswer(ctx.req, 400, 'INVALIDJOBSTATE', `InvalidJobState : Deleting a job in state ${job.state} is not allowed`);
  }
  clearTimer(ctx.org, job);
  ctx.org.jobs.delete(job.id);
  return { status: 204 };
}

const PAGE = 1000;

export async function listJobs(ctx: RequestContext): Promise<Answer> {
  const all = [...ctx.org.jobs.values()];
  const locator = ctx.query.get('queryLocator');
  const start = locator ? Number(locator.split('-').pop()) || 0 : 0;
  const page = all.slice(start, start + PAGE);
  const done = start + PAGE >= all.length;
  return jsonAnswer(ctx.req, 200, {
    done,
    records: page.map((j) => listView(j, ctx.org)),
    nextRecordsUrl: done ? null : `/services/data/v${ctx.version}/jobs/ingest?queryLocator=01gHs00000fake-${start + PAGE}`,
  });
}
