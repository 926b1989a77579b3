/**
 * The Bulk API 2.0 chunk executor: runs a chunk through ingest jobs until every row is settled.
 *
 * - The rows are split into look-alike waves (look-alikes.ts), one job each, so result rows are
 *   attributed without ambiguity; nearly always one wave. A chunk the chunker wrote to disk as rows
 *   arrived (`work.file`) is uploaded from that file as is when it is one wave; otherwise its cells are
 *   read back and each wave gets its own file.
 * - Per job: submit (job-submitter.ts: create → PUT → close, no job left Open) → poll (job-poller.ts)
 *   → count-first settlement (job-results.ts) → each row's outcome classified (failure-causes.ts):
 *   - loaded → loaded; a row error → rejected with Salesforce's code, or (locks) sent again in a
 *     follow-up job, with backoff, at most `rowAttempts` jobs;
 *   - rows a Failed job left unprocessed → by the job's cause: platform trouble → sent again in new
 *     jobs, halved on each failure (a row that breaks every job it is in ends up alone, and is only
 *     rejected when it fails alone while other jobs succeed); a daily limit → transient_error;
 *     a bad column → config_error; aborted in Salesforce → rejected as BULK_JOB_ABORTED;
 *   - an upload too large → the rows again in two smaller jobs; a single row → rejected.
 * - A row whose result cannot be attributed is rejected as DESTINATION_RESULT_AMBIGUOUS, never loaded.
 */
import { configError, transientError } from '../../errors';
import type { BulkIngestClient } from '../../salesforce/bulk-ingest-client';
import type { JobInfo } from '../../salesforce/types';
import type { ChunkFile } from '../chunk/chunk-file';
import type { Row } from '../chunk/csv-text';
import type { ChunkExecutor, ChunkOutcome, ChunkWork, RowResult, Settled } from './chunk-executor';
import { classifyJob, classifyRow, type Cause } from './failure-causes';
import { settledByCounters, settleJob, type SettledOutcome } from './job-results';
import { pollJob, type PollOptions } from './job-poller';
import type { PollPace } from './poll-schedule';
import { JobCsv, readCellsBack } from './job-csv';
import { JobSubmitter, type SubmitOptions } from './job-submitter';
import { lookAlikeWaves, markedWaves } from './look-alikes';

export const RESULT_AMBIGUOUS_ERROR = 'DESTINATION_RESULT_AMBIGUOUS';

export interface BulkExecutorOptions extends PollOptions, SubmitOptions {
  /** Jobs a row may go through when it fails with a lock error (default 3). */
  rowAttempts: number;
  rowRetryBackoffMs: number;
  /** A new file for a job's CSV (job-csv.ts: the rows hold no cells while their job runs); without it, CSV in memory. */
  chunkFile?: () => ChunkFile;
}

/** Rows that go in one job, and their history. */
interface Group<R> {
  rows: R[];
  /** Jobs these rows have been through, this one included. */
  attempt: number;
  /** Failed jobs (platform trouble) these rows were in. */
  failures: number;
  /** Jobs of the sync that had succeeded when these rows' first job failed. */
  okAtFirstFailure?: number;
  /** These rows' CSV, already written (the chunk's own file). */
  file?: ChunkFile;
}

interface ChunkRun<R extends { cells: Row }> {
  work: ChunkWork<R>;
  settled: Array<Settled<R>>;
  jobIds: string[];
  queue: Array<Group<R>>;
  failedJobs: number;
  maxFailedJobs: number;
}

export class BulkChunkExecutor implements ChunkExecutor {
  private readonly submitter: JobSubmitter;
  /** Jobs of this sync that ended without a job-level failure: the evidence that trouble is one row's. */
  private okJobs = 0;
  /** What this sync's completed jobs showed (queue delay, rate): times the polls of the next ones. */
  private readonly pace: PollPace = {};

  constructor(
    private readonly client: BulkIngestClient,
    private readonly opts: BulkExecutorOptions,
  ) {
    this.submitter = new JobSubmitter(client, opts);
  }

  async run<R extends { cells: Row; wave?: number }>(work: ChunkWork<R>): Promise<ChunkOutcome<R>> {
    let waves = work.marked ? markedWaves(work.rows) : undefined;
    const file = waves?.length === 1 ? work.file : undefined; // uploaded as is
    if (work.file && !file) await readCellsBack(work.columns, work.rows, work.file);
    waves ??= lookAlikeWaves(work, work.rows);
    if (waves.length > 1) {
      const later = waves.slice(1).reduce((n, w) => n + w.length, 0);
      this.opts.log('INFO', `${later} ${work.object} row(s) look like other rows of their chunk once Salesforce echoes them (case, spaces, number format); they go in ${waves.length - 1} separate job(s) so every result is attributed exactly.`);
    }
    const run: ChunkRun<R> = { work, settled: [], jobIds: [], queue: [], failedJobs: 0, maxFailedJobs: 2 * Math.ceil(Math.log2(work.rows.length + 1)) + 4 };
    for (const wave of waves) {
      run.queue.push({ rows: wave, attempt: 1, failures: 0, ...(file ? { file } : {}) });
      while (run.queue.length > 0) await this.runGroup(run, run.queue.shift() as Group<R>);
    }
    return { settled: run.settled, jobIds: run.jobIds };
  }

  private async runGroup<R extends { cells: Row }>(run: ChunkRun<R>, group: Group<R>): Promise<void> {
    const csv = group.file ? JobCsv.adopt(run.work.columns, group.rows, group.file) : new JobCsv(run.work.columns, group.rows, this.opts.chunkFile);
    try {
      await this.runJob(run, group, csv);
    } finally {
      csv.remove();
    }
  }

  private async runJob<R extends { cells: Row }>(run: ChunkRun<R>, group: Group<R>, csv: JobCsv<R>): Promise<void> {
    const { work } = run;
    const submitted = await this.submitter.submit(work, csv.body);
    const jobId = submitted.jobId;
    run.jobIds.push(jobId);
    const settle = (row: R, result: RowResult) => {
      csv.drop(row);
      run.settled.push({ rows: [row], result });
    };
    if (submitted.kind === 'too-large') {
      if (group.rows.length === 1) {
        settle(group.rows[0] as R, { kind: 'rejected', code: submitted.code, message: `Salesforce refused the upload of this row alone: ${submitted.message}`, fields: [], jobId, attempts: group.attempt });
        return;
      }
      this.opts.log('INFO', `Salesforce refused the upload of ingest job ${jobId} (${work.object}, ${group.rows.length} rows) as too large; sending the rows in two smaller jobs.`);
      await csv.restore();
      for (const half of halves(group.rows)) run.queue.push({ ...group, rows: half, attempt: group.attempt + 1, file: undefined });
      return;
    }
    const info = await pollJob(this.client, { jobId, object: work.object, rows: group.rows.length, ...(work.last ? { last: true } : {}) }, this.opts, this.pace);
    const jobCause = info.state === 'JobComplete' ? undefined : classifyJob(info);
    if (!jobCause) this.okJobs += 1;
    // Nearly always: the counters alone settle every row as loaded.
    if (settledByCounters(info, group.rows.length)) {
      run.settled.push({ rows: group.rows, result: { kind: 'loaded', jobId, attempts: group.attempt } });
      return;
    }
    await csv.restore(); // the uploaded values, to attribute the results
    const outcomes = await settleJob(this.client, info, { columns: work.columns, types: work.types, ...(work.key ? { key: work.key } : {}), rows: group.rows.map((r) => r.cells) }, { sleep: this.opts.sleep, retryWaitMs: this.opts.resendWaitMs });
    const again: R[] = [];
    const unprocessed: R[] = [];
    group.rows.forEach((row, k) => {
      const o = outcomes[k] as SettledOutcome;
      if (o.kind === 'loaded') settle(row, { kind: 'loaded', jobId, attempts: group.attempt });
      else if (o.kind === 'unprocessed') unprocessed.push(row);
      else if (o.kind === 'ambiguous') settle(row, ambiguous(jobId, info, group.attempt));
      else {
        const cause = classifyRow(o.code);
        if (cause.action === 'transient') throw transientError(`Salesforce refused rows of ingest job ${jobId} (${work.object}) with ${o.code}: ${o.message}. ${cause.why}`, cause.id);
        if (cause.action === 'resend' && group.attempt < this.opts.rowAttempts) again.push(row);
        else settle(row, { kind: 'rejected', code: o.code, message: o.message, fields: o.fields, jobId, attempts: group.attempt });
      }
    });
    if (unprocessed.length > 0) this.unprocessed(run, group, unprocessed, info, jobCause);
    if (again.length > 0) {
      this.opts.log('INFO', `${again.length} ${work.object} row(s) of job ${jobId} failed with a lock or passing server error; retrying them in a new job (attempt ${group.attempt + 1} of ${this.opts.rowAttempts}).`);
      await this.opts.sleep(this.opts.rowRetryBackoffMs * group.attempt);
      run.queue.push({ ...group, rows: again, attempt: group.attempt + 1, file: undefined });
    }
  }

  /** Rows a job did not process, by the job's cause. */
  private unprocessed<R extends { cells: Row }>(run: ChunkRun<R>, group: Group<R>, rows: R[], info: JobInfo, cause: Cause | undefined): void {
    const { work } = run;
    const said = info.errorMessage ? `: ${info.errorMessage}` : '';
    const action = cause?.action ?? 'split'; // a JobComplete job that left rows unprocessed: try them again
    if (action === 'config') throw configError(`Salesforce failed ingest job ${info.id} (${work.object})${said}. ${cause?.why ?? ''}`, cause?.id);
    if (action === 'transient') throw transientError(`Salesforce stopped ingest job ${info.id} (${work.object})${said}. ${cause?.why ?? ''} No row was rejected.`, cause?.id);
    if (action === 'reject') {
      for (const row of rows) {
        run.settled.push({ rows: [row], result: { kind: 'rejected', code: 'BULK_JOB_ABORTED', message: `Ingest job ${info.id} ended Aborted (aborted in Salesforce)${said}; this row was not processed.`, fields: [], jobId: info.id, attempts: group.attempt } });
      }
      return;
    }
    run.failedJobs += 1;
    if (run.failedJobs > run.maxFailedJobs) {
      throw transientError(`Salesforce failed ${run.failedJobs} ingest jobs of one ${work.object} chunk (last: ${info.id}${said}); the sync stopped without rejecting those rows. Airbyte will try again.`, cause?.id);
    }
    const okAtFirstFailure = group.okAtFirstFailure ?? this.okJobs - (cause ? 0 : 1);
    if (rows.length === 1 && group.failures >= 1 && this.okJobs > okAtFirstFailure) {
      const message = `Ingest job ${info.id} ended ${info.state}${said}; this row failed every job it was in, alone too, while other jobs succeeded.`;
      run.settled.push({ rows: [rows[0] as R], result: { kind: 'rejected', code: 'BULK_JOB_FAILED', message, fields: [], jobId: info.id, attempts: group.attempt } });
      return;
    }
    this.opts.log('WARN', `Ingest job ${info.id} (${work.object}) ended ${info.state}${said}; sending its ${rows.length} unprocessed row(s) again in ${rows.length > 1 ? 'two smaller jobs' : 'a new job'}.`);
    for (const half of halves(rows)) run.queue.push({ rows: half, attempt: group.attempt + 1, failures: group.failures + 1, okAtFirstFailure });
  }
}

function halves<R>(rows: R[]): R[][] {
  if (rows.length < 2) return [rows];
  const mid = Math.ceil(rows.length / 2);
  return [rows.slice(0, mid), rows.slice(mid)];
}

function ambiguous(jobId: string, info: JobInfo, attempts: number): RowResult {
  return {
    kind: 'rejected',
    code: RESULT_AMBIGUOUS_ERROR,
    message: `Ingest job ${jobId} (${info.state}) returned results that cannot be attributed to this row alone; it may or may not be loaded, so it is not counted as loaded.`,
    fields: [],
    jobId,
    attempts,
  };
}
