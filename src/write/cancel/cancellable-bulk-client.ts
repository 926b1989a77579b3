/**
 * The Bulk API client the write path uses, made cancellable and reporting every job to the sync's
 * JobRegistry (job-registry.ts: progress lines and the LOG after a cancel or failure read it).
 * Once the sync is cancelled it
 * - starts nothing: no job is created, no upload begins, no job is closed (each throws the cancel error);
 * - cuts the upload in flight and aborts every job not yet closed (Open), so none is left Open;
 * - leaves jobs Salesforce already accepted (closed) to finish; the job runner keeps polling them and
 *   settles their rows while the grace period runs.
 *
 * A decorator rather than checks in the job runner, so cancellation stays out of the pipeline's logic.
 */
import { BulkIngestClient, type CreateJobRequest } from '../../salesforce/bulk-ingest-client';
import type { ReplayableBody, SalesforceApi } from '../../salesforce/salesforce-api';
import type { JobInfo } from '../../salesforce/types';
import type { JobRegistry } from '../job-registry';
import type { Cancellation } from './cancellation';

export class CancellableBulkClient extends BulkIngestClient {
  private readonly aborts = new Map<string, Promise<JobInfo>>();

  constructor(
    api: SalesforceApi,
    private readonly jobs: JobRegistry,
    private readonly cancellation: Cancellation,
    private readonly log: (message: string) => void,
  ) {
    super(api);
    cancellation.signal.addEventListener('abort', () => this.abortOpenJobs(), { once: true });
  }

  override async createJob(req: CreateJobRequest, opts: { retry?: boolean } = {}): Promise<JobInfo> {
    this.cancellation.throwIfRequested();
    const info = await super.createJob(req, opts);
    this.jobs.created(info, req.object, req.operation);
    if (this.cancellation.requested) {
      // Cancelled while the create was on its way: the sweep did not know this job yet.
      await this.abort(info.id).catch(() => undefined);
      this.cancellation.throwIfRequested();
    }
    return info;
  }

  override async upload(jobId: string, csv: Buffer | ReplayableBody): Promise<void> {
    this.cancellation.throwIfRequested();
    // A streamed body (chunk file) is not read again to count it: its own count, else unknown (undefined).
    this.jobs.uploaded(jobId, Buffer.isBuffer(csv) ? csvRowCount(csv) : csv.rowCount);
    await super.upload(jobId, csv, this.cancellation.signal);
  }

  override async close(jobId: string): Promise<JobInfo> {
    this.cancellation.throwIfRequested();
    this.jobs.setPhase(jobId, 'closing');
    try {
      const info = await super.close(jobId);
      this.jobs.setPhase(jobId, 'accepted');
      this.jobs.seen(info);
      return info;
    } catch (err) {
      // Outcome unknown: it may be processing. The job submitter reads its state and decides; until
      // then it counts as accepted (never aborted by the cancel sweep, named in the cancel LOG).
      this.jobs.setPhase(jobId, 'accepted');
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
        (info) => {
          this.jobs.setPhase(jobId, 'aborted');
          this.jobs.seen(info);
        },
        () => this.aborts.delete(jobId), // may be tried again
      );
    }
    return pending;
  }

  override async getInfo(jobId: string): Promise<JobInfo> {
    const info = await super.getInfo(jobId);
    this.jobs.seen(info);
    return info;
  }

  /** Waits for the aborts the cancel started (so no job is left Open when the process exits). */
  async abortsDone(): Promise<void> {
    await Promise.allSettled([...this.aborts.values()]);
  }

  private abortOpenJobs(): void {
    for (const job of this.jobs.open()) {
      this.abort(job.id).catch((err: unknown) => this.log(`Could not abort ingest job ${job.id} after the cancel: ${String(err)}`));
    }
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
