/**
 * Every ingest job of this sync, as the Bulk client saw it: one record per job (object, operation,
 * rows uploaded, where it is, Salesforce's latest state and counters). One registry serves both
 * readers:
 * - progress lines while jobs drain (`summary()`, write-progress.ts);
 * - the LOG after a cancel or a failure (`stillInSalesforce()`, `open()`, `inserted()`,
 *   cancel/leftovers-report.ts), and the cancel sweep (`open()` too).
 * The cancellable Bulk client (cancel/cancellable-bulk-client.ts) is its only writer.
 */
import type { BulkOperation, JobInfo, JobState } from '../salesforce/types';

/** Where a job is: Open (ours to abort), being closed, accepted by Salesforce, seen finished, aborted by us. */
export type JobPhase = 'open' | 'closing' | 'accepted' | 'finished' | 'aborted';

export interface TrackedJob {
  id: string;
  object: string;
  operation: BulkOperation;
  /** Rows uploaded (0 before the upload; undefined when the upload was streamed, not counted). */
  rows: number | undefined;
  phase: JobPhase;
  /** Salesforce's latest state and counters (a close answers without counters: the last seen stay). */
  state: JobState;
  processed: number;
  failed: number;
}

const TERMINAL: ReadonlySet<JobState> = new Set(['JobComplete', 'Failed', 'Aborted']);

export class JobRegistry {
  private readonly jobs = new Map<string, TrackedJob>();

  created(info: JobInfo, object: string, operation: BulkOperation): void {
    this.jobs.set(info.id, { id: info.id, object, operation, rows: 0, phase: 'open', state: info.state, processed: 0, failed: 0 });
  }

  uploaded(jobId: string, rows: number | undefined): void {
    const job = this.jobs.get(jobId);
    if (job) job.rows = rows;
  }

  setPhase(jobId: string, phase: JobPhase): void {
    const job = this.jobs.get(jobId);
    if (job) job.phase = phase;
  }

  /** A JobInfo Salesforce answered (create, close, abort, poll). */
  seen(info: JobInfo): void {
    const job = this.jobs.get(info.id);
    if (!job) return;
    job.state = info.state;
    job.processed = info.numberRecordsProcessed ?? job.processed;
    job.failed = info.numberRecordsFailed ?? job.failed;
    if (TERMINAL.has(info.state)) {
      if (job.phase !== 'aborted') job.phase = 'finished';
    } else if (info.state !== 'Open' && job.phase !== 'aborted') {
      job.phase = 'accepted';
    }
  }

  /** Jobs this sync created that may still be Open (not closed; not aborted, or the abort failed). */
  open(): TrackedJob[] {
    return this.where((j) => j.phase === 'open');
  }

  /** Jobs Salesforce accepted that were not seen finished: they may still write rows. */
  stillInSalesforce(): TrackedJob[] {
    return this.where((j) => j.phase === 'closing' || j.phase === 'accepted');
  }

  /** Per object, the rows this sync's finished insert jobs wrote (processed − failed, Salesforce's counters). */
  inserted(): Map<string, number> {
    const out = new Map<string, number>();
    for (const j of this.jobs.values()) {
      const wrote = Math.max(0, j.processed - j.failed);
      if (j.operation === 'insert' && TERMINAL.has(j.state) && wrote > 0) out.set(j.object, (out.get(j.object) ?? 0) + wrote);
    }
    return out;
  }

  /** E.g. "Ingest jobs in Salesforce: 0 uploading, 1 queued, 2 processing (1200 rows processed, 3 failed so far)." */
  summary(): string | undefined {
    const live = this.where((j) => !TERMINAL.has(j.state) && j.phase !== 'aborted');
    if (live.length === 0) return undefined;
    let uploading = 0;
    let queued = 0;
    let processing = 0;
    let processed = 0;
    let failed = 0;
    for (const j of live) {
      if (j.state === 'Open') uploading += 1;
      else if (j.state === 'UploadComplete') queued += 1;
      else processing += 1;
      processed += j.processed;
      failed += j.failed;
    }
    return (
      `Ingest jobs in Salesforce: ${uploading} uploading, ${queued} queued, ${processing} processing ` +
      `(${processed} rows processed, ${failed} failed so far).`
    );
  }

  private where(keep: (j: TrackedJob) => boolean): TrackedJob[] {
    return [...this.jobs.values()].filter(keep);
  }
}
