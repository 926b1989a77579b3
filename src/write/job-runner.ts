/**
 * Runs one chunk through Bulk API 2.0 ingest jobs until every row is loaded or rejected.
 *
 * Per job: create → one PUT of the buffered bytes → close (job-submitter.ts) → poll (poll-schedule.ts: from
 * `pollInitialMs`, ×1.5, each wait at most max(1 s, 20 % of the time polled so far) and `pollMaxMs`,
 * until `deadlineMs`) → results, matched to rows by content.
 * - The chunk's CSV bytes are let go once uploaded (a later job re-serialises its rows), so a job
 *   that Salesforce is processing holds only its rows, not also its CSV.
 * - Rows failing with a transient row error (UNABLE_TO_LOCK_ROW, …) go again in a follow-up job
 *   (bounded attempts, with backoff) before they count as rejected.
 * - Rows repeating a record key already in the chunk go in follow-up jobs (key-waves.ts), so no
 *   job holds one key twice (Salesforce would reject every occurrence of a repeated external id).
 * - A Failed / Aborted job rejects its unprocessed rows with the job's errorMessage.
 * - Poll deadline: a system_error naming the job id; nothing is counted as rejected.
 */
import { systemError, transientError } from '../errors';
import type { BulkIngestClient } from '../salesforce/bulk-ingest-client';
import type { BulkOperation, JobInfo } from '../salesforce/types';
import { toCsv, type Row } from './csv-chunker';
import { keyColumn, splitIntoWaves } from './key-waves';
import { nextPollWait } from './poll-schedule';
import { JobSubmitter } from './job-submitter';
import { collectResults, type JobResults, type RowOutcome } from './result-collector';

export const TRANSIENT_ROW_ERRORS = new Set([
  'UNABLE_TO_LOCK_ROW',
  'UNKNOWN_EXCEPTION',
  'REQUEST_RUNNING_TOO_LONG',
  'SERVER_UNAVAILABLE',
  'API_TEMPORARILY_UNAVAILABLE',
]);
export const RESULT_MISSING_ERROR = 'DESTINATION_RESULT_MISSING';

export interface JobRunnerOptions {
  pollInitialMs: number;
  pollMaxMs: number;
  /** Overall deadline for one job to reach a terminal state after close. */
  deadlineMs: number;
  /** Jobs tried for one chunk when create / upload / close fail (default 3). */
  jobAttempts: number;
  /** Jobs a row may go through when it fails with a transient row error (default 3). */
  rowAttempts: number;
  rowRetryBackoffMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  log: (level: 'INFO' | 'WARN', message: string) => void;
}

export interface ChunkSpec {
  object: string;
  operation: BulkOperation;
  externalIdFieldName?: string;
  assignmentRuleId?: string;
  columns: string[];
  /** Values aligned to `columns`. */
  rows: Row[];
  /**
   * The chunk already serialised, for its first job. The runner TAKES it (sets it undefined) so the
   * bytes can be freed after the upload; later jobs re-serialise their rows.
   */
  csv: Buffer | undefined;
  types: Map<string, string>;
  /** false when the chunker found no record key twice (one wave, no scan); unknown: scanned here. */
  repeatsKey?: boolean;
}

export type RowResult =
  | { kind: 'loaded'; id: string; created: boolean; jobId: string; attempts: number }
  | { kind: 'rejected'; code: string; message: string; fields: string[]; jobId?: string; attempts: number };

export interface ChunkResult {
  rows: RowResult[];
  jobIds: string[];
}

const TERMINAL_STATES = new Set(['JobComplete', 'Failed', 'Aborted']);

export class JobRunner {
  private readonly submitter: JobSubmitter;

  constructor(
    private readonly client: BulkIngestClient,
    private readonly opts: JobRunnerOptions,
  ) {
    this.submitter = new JobSubmitter(client, opts);
  }

  async run(spec: ChunkSpec): Promise<ChunkResult> {
    const results: Array<RowResult | undefined> = spec.rows.map(() => undefined);
    const jobIds: string[] = [];
    const waves = spec.repeatsKey === false
      ? [spec.rows.map((_, i) => i)]
      : splitIntoWaves(spec.rows, spec.columns, keyColumn(spec.operation, spec.externalIdFieldName));
    // Held in an object, not a local, so it is gone once the first job has it (see `submit`).
    const first = { csv: waves.length === 1 ? spec.csv : undefined };
    spec.csv = undefined;
    if (waves.length > 1) {
      const repeated = waves.slice(1).reduce((n, w) => n + w.length, 0);
      this.opts.log(
        'INFO',
        `${repeated} ${spec.object} row(s) repeat a record key already in this chunk; they go in ${waves.length - 1} follow-up job(s) so every version is applied, in order.`,
      );
    }
    for (const wave of waves) await this.runRows(spec, wave, first, results, jobIds);
    return { rows: results.map((r) => r as RowResult), jobIds };
  }

  /** Runs the rows `indices` of the chunk (no key twice) until each is loaded or rejected. */
  private async runRows(
    spec: ChunkSpec,
    indices: number[],
    first: { csv: Buffer | undefined },
    results: Array<RowResult | undefined>,
    jobIds: string[],
  ): Promise<void> {
    let pending = indices;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const rows = pending.map((i) => spec.rows[i] as Row);
      const job = await this.runJob(spec, () => {
        const csv = first.csv ?? toCsv(spec.columns, rows);
        first.csv = undefined;
        return csv;
      });
      jobIds.push(job.jobId);
      const key = keyColumn(spec.operation, spec.externalIdFieldName);
      const uploaded = { columns: spec.columns, rows, types: spec.types, ...(key ? { keyColumn: key } : {}) };
      const outcomes = job.results ? collectResults(uploaded, job.results) : uploaded.rows.map((): RowOutcome => ({ kind: 'unprocessed' }));
      const retry: number[] = [];
      outcomes.forEach((o, k) => {
        const i = pending[k] as number;
        if (o.kind === 'failed' && TRANSIENT_ROW_ERRORS.has(o.code) && attempt < this.opts.rowAttempts) retry.push(i);
        else results[i] = this.toRowResult(o, job, attempt);
      });
      if (retry.length > 0) {
        this.opts.log('INFO', `${retry.length} ${spec.object} row(s) of job ${job.jobId} failed with a transient error; retrying them in a new job (attempt ${attempt + 1} of ${this.opts.rowAttempts}).`);
        await this.opts.sleep(this.opts.rowRetryBackoffMs * attempt);
      }
      pending = retry;
    }
  }

  private toRowResult(o: RowOutcome, job: { jobId: string; info: JobInfo }, attempts: number): RowResult {
    const jobId = job.jobId;
    switch (o.kind) {
      case 'loaded':
        return { kind: 'loaded', id: o.id, created: o.created, jobId, attempts };
      case 'failed':
        return { kind: 'rejected', code: o.code, message: o.message, fields: o.fields, jobId, attempts };
      case 'unprocessed': {
        const state = job.info.state;
        const code = state === 'Aborted' ? 'BULK_JOB_ABORTED' : 'BULK_JOB_FAILED';
        const why = job.info.errorMessage ? `: ${job.info.errorMessage}` : '';
        return { kind: 'rejected', code, message: `Ingest job ${jobId} ended ${state}${why}; this row was not processed.`, fields: [], jobId, attempts };
      }
      default:
        return {
          kind: 'rejected',
          code: RESULT_MISSING_ERROR,
          message: `Ingest job ${jobId} (${job.info.state}) returned no result for this row; it is not counted as loaded.`,
          fields: [],
          jobId,
          attempts,
        };
    }
  }

  /** create → PUT → close (redone in a new job when the upload or close fails) → poll → results. */
  private async runJob(spec: ChunkSpec, csvFor: () => Buffer): Promise<{ jobId: string; info: JobInfo; results?: JobResults }> {
    const submitted = await this.submitter.submit(spec, csvFor);
    if (submitted.info) return { jobId: submitted.jobId, info: submitted.info };
    const info = await this.poll(submitted.jobId, spec.object);
    return { jobId: submitted.jobId, info, results: await this.fetchResults(info) };
  }


  private async poll(jobId: string, object: string): Promise<JobInfo> {
    const started = this.opts.now();
    const deadline = started + this.opts.deadlineMs;
    let wait = this.opts.pollInitialMs;
    let failures = 0;
    for (;;) {
      await this.opts.sleep(wait);
      try {
        const info = await this.client.getInfo(jobId);
        failures = 0;
        if (TERMINAL_STATES.has(info.state)) return info;
      } catch (err) {
        failures += 1;
        if (failures >= 5) throw transientError(`Polling ingest job ${jobId} (${object}) kept failing; the sync stopped.`, String(err));
      }
      if (this.opts.now() >= deadline) {
        throw systemError(
          `Ingest job ${jobId} (${object}) did not finish within ${Math.round(this.opts.deadlineMs / 1000)} s; the sync stopped. ` +
            `The job may still complete in Salesforce: check it in Setup → Bulk Data Load Jobs before re-running.`,
        );
      }
      wait = nextPollWait(wait, this.opts.now() - started, this.opts.pollMaxMs);
    }
  }

  private async fetchResults(info: JobInfo): Promise<JobResults | undefined> {
    const complete = info.state === 'JobComplete';
    try {
      const [successful, failed, unprocessed] = await Promise.all([
        this.client.successfulResults(info.id),
        this.client.failedResults(info.id),
        complete ? Promise.resolve(undefined) : this.client.unprocessedRecords(info.id),
      ]);
      return { successful, failed, ...(unprocessed ? { unprocessed } : {}) };
    } catch (err) {
      if (complete) {
        throw transientError(`Could not download the results of ingest job ${info.id} (${info.object}); the sync stopped.`, String(err));
      }
      this.opts.log('WARN', `Results of ${info.state} ingest job ${info.id} are unavailable; all its rows are rejected.`);
      return undefined;
    }
  }
}
