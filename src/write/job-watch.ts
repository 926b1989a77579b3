/**
 * What the ingest jobs in flight are doing in Salesforce, for progress lines: every job's latest
 * state and counters as the Bulk client sees them (create, close, abort, polls). Finished jobs leave
 * the watch. A BulkIngestClient that reports to it (WatchedBulkClient) is what the write command
 * hands the job runner, so the runner itself knows nothing of progress.
 */
import { BulkIngestClient, type CreateJobRequest } from '../salesforce/bulk-ingest-client';
import type { SalesforceApi } from '../salesforce/salesforce-api';
import type { JobInfo, JobState } from '../salesforce/types';

const FINISHED: ReadonlySet<JobState> = new Set(['JobComplete', 'Failed', 'Aborted']);

interface Seen {
  state: JobState;
  processed: number;
  failed: number;
}

export class JobWatch {
  private readonly jobs = new Map<string, Seen>();

  record(info: JobInfo): void {
    if (FINISHED.has(info.state)) {
      this.jobs.delete(info.id);
      return;
    }
    const before = this.jobs.get(info.id);
    this.jobs.set(info.id, {
      state: info.state,
      // A close answers a reduced JobInfo without counters: keep the last ones seen.
      processed: info.numberRecordsProcessed ?? before?.processed ?? 0,
      failed: info.numberRecordsFailed ?? before?.failed ?? 0,
    });
  }

  /** E.g. "Ingest jobs in Salesforce: 0 uploading, 1 queued, 2 processing (1200 rows processed, 3 failed so far)." */
  summary(): string | undefined {
    if (this.jobs.size === 0) return undefined;
    let uploading = 0;
    let queued = 0;
    let processing = 0;
    let processed = 0;
    let failed = 0;
    for (const j of this.jobs.values()) {
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
}

export class WatchedBulkClient extends BulkIngestClient {
  constructor(
    api: SalesforceApi,
    private readonly watch: JobWatch,
  ) {
    super(api);
  }

  override async createJob(req: CreateJobRequest, opts: { retry?: boolean } = {}): Promise<JobInfo> {
    return this.seen(await super.createJob(req, opts));
  }

  override async close(jobId: string): Promise<JobInfo> {
    return this.seen(await super.close(jobId));
  }

  override async abort(jobId: string): Promise<JobInfo> {
    return this.seen(await super.abort(jobId));
  }

  override async getInfo(jobId: string): Promise<JobInfo> {
    return this.seen(await super.getInfo(jobId));
  }

  private seen(info: JobInfo): JobInfo {
    this.watch.record(info);
    return info;
  }
}
