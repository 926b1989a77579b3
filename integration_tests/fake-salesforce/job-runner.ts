/**
 * Asynchronous processing after close (reference §1.7): UploadComplete for processingDelayMs, then InProgress with
 * rows processed at recordsPerSecond (or in large slices when unlimited), then JobComplete; job-level failures → Failed.
 */
import { type IngestJob, touch } from './jobs';
import type { Org } from './org';
import { prepare, processNextRow } from './ingest-processor';

const UNLIMITED_SLICE = 2000;

export function scheduleProcessing(org: Org, job: IngestJob): void {
  clearTimer(job);
  job.timer = setTimeout(() => begin(org, job), Math.max(0, org.options.processingDelayMs));
}

export function clearTimer(job: IngestJob): void {
  if (job.timer) clearTimeout(job.timer);
  job.timer = undefined;
}

function begin(org: Org, job: IngestJob): void {
  job.timer = undefined;
  if (job.state !== 'UploadComplete') return;
  job.startedAt = Date.now();
  const prepared = prepare(job);
  if (!prepared.ok) {
    job.errorMessage = prepared.errorMessage;
    job.finishedAt = Date.now();
    touch(job, 'Failed');
    return;
  }
  job.prepared = prepared.data;
  job.failure = org.jobFailures.shift() ?? org.poisonRows.failureFor(prepared.data.header, prepared.data.rows);
  const rows = prepared.data.rows.length;
  if (rows > 0) org.bulkBatchesUsed += Math.ceil(rows / 10000);
  touch(job, 'InProgress');
  tick(org, job);
}

function tick(org: Org, job: IngestJob): void {
  job.timer = undefined;
  if (job.state !== 'InProgress' || !job.prepared) return;
  const total = job.prepared.rows.length;
  const rate = org.options.recordsPerSecond;
  const limited = rate !== undefined && rate > 0;
  const budget = limited
    ? Math.floor(((Date.now() - (job.startedAt ?? Date.now())) / 1000) * rate) - job.results.length
    : UNLIMITED_SLICE;
  const before = job.results.length;
  const stopAt = job.failure ? Math.min(total, job.failure.afterRows) : total;
  for (let i = 0; i < budget && job.results.length < stopAt; i++) processNextRow(org, job);
  if (job.results.length !== before) touch(job);
  if (job.failure && job.results.length >= stopAt && stopAt < total) {
    job.errorMessage = job.failure.errorMessage;
    job.finishedAt = Date.now();
    touch(job, 'Failed');
    return;
  }
  if (job.results.length >= total) {
    job.finishedAt = Date.now();
    touch(job, 'JobComplete');
    return;
  }
  const wait = limited ? Math.min(100, Math.max(5, Math.ceil(1000 / rate))) : 0;
  job.timer = setTimeout(() => tick(org, job), wait);
}

export function abortJob(job: IngestJob): void {
  clearTimer(job);
  if (job.startedAt !== undefined) job.finishedAt = Date.now();
  if (!job.prepared && job.uploads.length > 0) {
    const p = prepare(job);
    if (p.ok) job.prepared = p.data;
  }
  touch(job, 'Aborted');
}
