/**
 * Processing after close (reference §1.7; README "Processing model"): the job stays UploadComplete for the queue delay
 * (`processingDelayMs`), its rows are split into batches that wait for the org's batch pool (batch-pool.ts), the job
 * is InProgress from its first batch's start, `numberRecordsProcessed` grows as rows are committed, and the job ends
 * JobComplete when its last batch is done — or Failed on a job-level error, exhausted retries or a daily limit.
 */
import { type Batch, BatchPool } from './batch-pool';
import { type IngestJob, touch } from './jobs';
import type { Org } from './org';
import { prepare, processRow } from './ingest-processor';
import { RETRIES_EXHAUSTED } from './poison-rows';

/** `ExceededQuota` text is DOC (reference §2); as a job errorMessage with this prefix: GUESS. */
export const BATCH_QUOTA_EXCEEDED = 'ExceededQuota : The job or batch you tried to create exceeds the allowed number for the past 24-hour period';
/** Wording GUESS: the reference documents the limit (150,000,000 records / 24 h) and its effect, not the text. */
export const RECORD_QUOTA_EXCEEDED = 'ExceededQuota : The number of records processed by Bulk API ingest jobs exceeds the allowed number for the past 24-hour period';

export function createBatchPool(org: Org): BatchPool {
  return new BatchPool({
    slots: () => org.options.parallelBatches,
    rate: () => org.options.recordsPerSecond,
    timeLimitMs: () => org.options.batchTimeLimitMs,
    onStart: (batch) => {
      const job = batch.job;
      if (job.state !== 'UploadComplete' && job.state !== 'InProgress') return false;
      if (batch.attempts === 0) {
        if (org.bulkBatchesUsed >= org.options.dailyBulkBatchLimit) {
          failJob(org, job, BATCH_QUOTA_EXCEEDED, batch.startAt);
          return false;
        }
        org.bulkBatchesUsed += 1;
      }
      if (job.state === 'UploadComplete') {
        job.startedAt = batch.startAt;
        touch(job, 'InProgress');
      }
      return true;
    },
    processRows: (batch, max) => {
      const job = batch.job;
      for (let n = 0; n < max; n++) {
        if (job.failure && job.results.length >= job.failure.afterRows) {
          failJob(org, job, job.failure.errorMessage);
          return false;
        }
        if (org.bulkRecordsUsed >= org.options.dailyBulkRecordLimit) {
          failJob(org, job, RECORD_QUOTA_EXCEEDED);
          return false;
        }
        processRow(org, job, batch.next);
        org.bulkRecordsUsed += 1;
        batch.next += 1;
      }
      touch(job);
      return true;
    },
    onTimeout: (batch) => {
      const job = batch.job;
      if (batch.attempts > org.options.batchRetries) {
        failJob(org, job, RETRIES_EXHAUSTED, batch.endAt);
        return;
      }
      job.retries += 1;
      batch.readyAt = batch.endAt;
      org.pool.enqueue([batch]);
    },
    onDone: (batch) => {
      const job = batch.job;
      job.batchesLeft -= 1;
      job.lastBatchEnd = Math.max(job.lastBatchEnd ?? 0, batch.endAt);
      if (job.batchesLeft > 0 || job.state !== 'InProgress') return;
      finish(job, 'JobComplete', job.lastBatchEnd);
    },
  });
}

/** Model times: startedAt = first batch start, finishedAt = last batch end (or the failure). */
function finish(job: IngestJob, state: 'JobComplete' | 'Failed', at: number): void {
  job.finishedAt = at;
  touch(job, state);
}

function failJob(org: Org, job: IngestJob, errorMessage: string, at = Date.now()): void {
  job.errorMessage = errorMessage;
  finish(job, 'Failed', at);
  org.pool.cancel(job, at);
}

export function scheduleProcessing(org: Org, job: IngestJob): void {
  clearTimer(org, job);
  job.closedAt = Date.now();
  const delay = Math.max(0, org.options.processingDelayMs);
  job.timer = setTimeout(() => begin(org, job, (job.closedAt as number) + delay), delay);
}

/** Stops whatever is scheduled for the job: its queue-delay timer and its batches in the pool. */
export function clearTimer(org: Org, job: IngestJob): void {
  if (job.timer) clearTimeout(job.timer);
  job.timer = undefined;
  org.pool.cancel(job, Date.now());
}

function begin(org: Org, job: IngestJob, readyAt: number): void {
  job.timer = undefined;
  if (job.state !== 'UploadComplete') return;
  const prepared = prepare(job);
  if (!prepared.ok) {
    job.errorMessage = prepared.errorMessage;
    job.startedAt = readyAt;
    finish(job, 'Failed', readyAt);
    return;
  }
  job.prepared = prepared.data;
  job.failure = org.jobFailures.shift() ?? org.poisonRows.failureFor(prepared.data.header, prepared.data.rows);
  const rows = prepared.data.rows.length;
  if (rows === 0) {
    job.startedAt = readyAt;
    finish(job, 'JobComplete', readyAt);
    return;
  }
  const size = Math.max(1, org.options.batchSize);
  const batches: Batch[] = [];
  for (let from = 0; from < rows; from += size) {
    const to = Math.min(rows, from + size);
    batches.push({ job, from, to, next: from, attempts: 0, readyAt, startAt: readyAt, endAt: readyAt, timedOut: false, slot: -1 });
  }
  job.batchesLeft = batches.length;
  org.pool.enqueue(batches);
}

export function abortJob(org: Org, job: IngestJob): void {
  clearTimer(org, job);
  if (job.startedAt !== undefined) job.finishedAt = Date.now();
  if (!job.prepared && job.uploads.length > 0) {
    const p = prepare(job);
    if (p.ok) job.prepared = p.data;
  }
  touch(job, 'Aborted');
}
