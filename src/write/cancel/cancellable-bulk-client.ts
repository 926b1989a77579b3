/**
 * The Bulk API client the write path uses, made cancellable: it knows every ingest job of the sync
 * and, once the sync is cancelled,
 * - starts nothing: no job is created, no upload begins, no job is closed (each throws the cancel error);
 * - cuts the upload in flight and aborts every job not yet closed (Open), so none is left Open;
 * - leaves jobs Salesforce already accepted (closed) to finish; the job runner keeps polling them and
 *   settles their rows while the grace period runs.
 * `stillInSalesforce()` names the accepted jobs not seen finished, `inserted()` counts the rows insert
 * jobs created (Salesforce's counters), for the LOG after a cancel or failure.
 *
 * A decorator rather than checks in the job runner, so cancellation stays out of the pipeline's logic.
 */
import type { CreateJobRequest } from '../../salesforce/bulk-ingest-client';
import { type JobWatch, WatchedBulkClient } from '../job-watch';
import type { ReplayableBody, SalesforceApi } from '../../salesforce/salesforce-api';
import type { BulkOperation, JobInfo } from '../../salesforce/types';
import type { Cancellation } from './cancellation';

/** Where a job of this sync is: Open (ours to abort), accepted by Salesforce, seen finished, aborted by us. */
type JobPhase = 'open' | 'closing' | 'accepted' | 'finished' | 'aborted';

export interface TrackedJob {
  id: string;
  object: string;
  operation: BulkOperation;
  /** Rows uploaded (0 before the upload; undefined when the upload was streamed, not counted). */
  rows: number | undefined;
  phase: JobPhase;
  /** Rows Salesforce wrote (processed − failed), once the job was seen finished. */
  succeeded?: number;
}

const TERMINAL = new Set(['JobComplete', 'Failed', 'Aborted']);

export class CancellableBulkClient extends WatchedBulkClient {
  private readonly jobs = new Map<string, TrackedJob>();
  private readonly aborts = new Map<string, Promise<JobInfo>>();

  constructor(
    api: SalesforceApi,
    watch: JobWatch,
    private readonly cancellation: Cancellation,
    private readonly log: (message: string) => void,
  ) {
    super(api, watch);
    cancellation.signal.addEventListener('abort', () => this.abortOpenJobs(), { once: true });
  }

  override async createJob(req: CreateJobRequest, opts: { retry?: boolean } = {}): Promise<JobInfo> {
    this.cancellation.throwIfRequested();
    const info = await super.createJob(req, opts);
    this.jobs.set(info.id, { id: info.id, object: req.object, operation: req.operation, rows: 0, phase: 'open' });
    if (this.cancellation.requested) {
      // Cancelled while the create was on its way: the sweep did not know this job yet.
      await this.abort(info.id).catch(() => undefined);
      this.cancellation.throwIfRequested();
    }
    return info;
  }

  override async upload(jobId: string, csv: Buffer | ReplayableBody): Promise<void> {
    this.cancellation.throwIfRequested();
    const job = this.jobs.get(jobId);
    // A streamed body (chunk file) is not read twice to count it: its rows stay unknown (undefined).
    if (job) job.rows = Buffer.isBuffer(csv) ? csvRowCount(csv) : undefined;
    await super.upload(jobId, csv, this.cancellation.signal);
  }

  override async close(jobId: string): Promise<JobInfo> {
    this.cancellation.throwIfRequested();
    const job = this.jobs.get(jobId);
    if (job) job.phase = 'closing';
    try {
      const info = await super.close(jobId);
      if (job) job.phase = 'accepted';
      return info;
    } catch (err) {
      // Outcome unknown: it may be processing. The job submitter reads its state and decides; until
      // then it counts as accepted (never aborted by the cancel sweep, named in the cancel LOG).
      if (job) job.phase = 'accepted';
      throw err;
    }
  }

  /** One abort per job, shared (the cancel sweep and the job submitter may both ask). */
  override abort(jobId: string): Promise<JobInfo> {
    let pending = this.aborts.get(jobId);
    if (!pending) {
      pending = super.abort(jobId);
      this.aborts.set(jobId, pending);
      pending.then(
        () => this.setPhase(jobId, 'aborted'),
        () => this.aborts.delete(jobId), // may be tried again
      );
    }
    return pending;
  }

  override async getInfo(jobId: string): Promise<JobInfo> {
    const info = await super.getInfo(jobId);
    const job = this.jobs.get(jobId);
    if (job && TERMINAL.has(info.state)) {
      job.succeeded = Math.max(0, (info.numberRecordsProcessed ?? 0) - (info.numberRecordsFailed ?? 0));
      if (job.phase !== 'aborted') job.phase = 'finished';
    } else if (job && info.state !== 'Open') {
      job.phase = 'accepted';
    }
    return info;
  }

  /** Waits for the aborts the cancel started (so no job is left Open when the process exits). */
  async abortsDone(): Promise<void> {
    await Promise.allSettled([...this.aborts.values()]);
  }

  /** Jobs Salesforce accepted that were not seen finished: they may still write rows. */
  stillInSalesforce(): TrackedJob[] {
    return [...this.jobs.values()].filter((j) => j.phase === 'closing' || j.phase === 'accepted');
  }

  /** Per object, the rows this sync's finished insert jobs wrote (Salesforce's counters). */
  inserted(): Map<string, number> {
    const out = new Map<string, number>();
    for (const j of this.jobs.values()) {
      if (j.operation === 'insert' && j.succeeded) out.set(j.object, (out.get(j.object) ?? 0) + j.succeeded);
    }
    return out;
  }

  /** Jobs this sync created that may still be Open (an abort failed or never ran). */
  leftOpen(): TrackedJob[] {
    return [...this.jobs.values()].filter((j) => j.phase === 'open');
  }

  private abortOpenJobs(): void {
    for (const job of this.jobs.values()) {
      if (job.phase !== 'open') continue;
      this.abort(job.id).catch((err: unknown) => this.log(`Could not abort ingest job ${job.id} after the cancel: ${String(err)}`));
    }
  }

  private setPhase(jobId: string, phase: JobPhase): void {
    const job = this.jobs.get(jobId);
    if (job) job.phase = phase;
  }
}

/**
 * Data rows of a CSV chunk: line feeds outside quoted values, minus the header. Counted from the
 * bytes because the chunk's rows are not at hand here; `"` toggles quoting (`""` toggles twice).
 */
export function csvRowCount(csv: Buffer): number {
  let lines = 0;
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const b = csv[i];
    if (b === 0x22) quoted = !quoted;
    else if (b === 0x0a && !quoted) lines += 1;
  }
  if (csv.length > 0 && csv[csv.length - 1] !== 0x0a) lines += 1;
  return Math.max(0, lines - 1);
}
