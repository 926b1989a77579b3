/**
 * Gets one chunk into a closed ingest job: create → one PUT of the buffered bytes → close.
 *
 * - A PUT that fails (or whose outcome is unknown) is never resent to the same job: that job is
 *   aborted and the chunk goes in a NEW job (bounded). An upload Salesforce refuses (4xx) ends the
 *   chunk's job as Aborted with the refusal, so its rows are rejected, not lost.
 * - A job that cannot be closed is aborted, never left Open. When the close's outcome cannot be
 *   read, the chunk is only sent again once the job surely processed nothing; otherwise the job is
 *   polled as it is, or the sync stops — rows are never written twice.
 */
import { configError, ConnectorError, transientError } from '../errors';
import { bulkRefusal, type BulkIngestClient } from '../salesforce/bulk-ingest-client';
import type { SalesforceApiError } from '../salesforce/salesforce-errors';
import type { JobInfo } from '../salesforce/types';
import type { ChunkSpec, JobRunnerOptions } from './job-runner';

const PROCESSING_STATES = new Set(['UploadComplete', 'InProgress', 'JobComplete', 'Failed', 'Aborted']);

export class JobSubmitter {
  constructor(
    private readonly client: BulkIngestClient,
    private readonly opts: Pick<JobRunnerOptions, 'jobAttempts' | 'log'>,
  ) {}

  /**
   * create → PUT → close, in a new job when the upload or close fails. `info` is set when the job
   * ended before processing (upload refused). The CSV is only held here, not while the job is polled.
   */
  async submit(spec: ChunkSpec, csvFor: () => Buffer): Promise<{ jobId: string; info?: JobInfo }> {
    const csv = csvFor();
    for (let attempt = 1; ; attempt += 1) {
      const last = attempt >= this.opts.jobAttempts;
      const job = await this.create(spec);
      try {
        await this.client.upload(job.id, csv);
      } catch (err) {
        await this.abortQuietly(job.id);
        const refused = bulkRefusal(err);
        if (refused) {
          // Salesforce refused the bytes (e.g. too large): a job-level failure of this chunk.
          const { status, code, detail } = refusalParts(refused);
          return { jobId: job.id, info: { ...job, state: 'Aborted', errorMessage: `upload refused (${status} ${code}): ${detail}` } };
        }
        if (last) throw transientError(`Uploading a chunk of ${spec.object} failed ${attempt} times; the sync stopped.`, `job ${job.id}: ${String(err)}`);
        this.opts.log('WARN', `Upload to ingest job ${job.id} (${spec.object}) failed; aborted it and sending the chunk in a new job.`);
        continue;
      }
      const closed = await this.closeOrCheck(job.id);
      if (closed === 'closed') return { jobId: job.id };
      await this.abortQuietly(job.id);
      // Only a job that surely processed nothing may be sent again: else rows would be written twice.
      if (closed === 'unknown') {
        const processed = await this.processedAnything(job.id);
        if (processed === undefined) {
          throw transientError(
            `Could not confirm whether ingest job ${job.id} (${spec.object}) was closed; the sync stopped rather than risk writing its rows twice.`,
          );
        }
        if (processed) return { jobId: job.id }; // it went through: poll it and collect its results
      }
      if (last) throw transientError(`Closing ingest jobs for ${spec.object} failed ${attempt} times; the sync stopped.`, `last job ${job.id}`);
      this.opts.log('WARN', `Closing ingest job ${job.id} (${spec.object}) failed; aborted it and sending the chunk in a new job.`);
    }
  }

  private async create(spec: ChunkSpec): Promise<JobInfo> {
    try {
      return await this.client.createJob({
        object: spec.object,
        operation: spec.operation,
        ...(spec.externalIdFieldName ? { externalIdFieldName: spec.externalIdFieldName } : {}),
        ...(spec.assignmentRuleId ? { assignmentRuleId: spec.assignmentRuleId } : {}),
      });
    } catch (err) {
      const refused = bulkRefusal(err);
      if (refused) {
        const { code, detail, internal } = refusalParts(refused);
        if (code === 'REQUEST_LIMIT_EXCEEDED') {
          throw transientError(`Salesforce refused a new ingest job for ${spec.object}: the org's API request limit is exceeded.`, internal);
        }
        const hint = /FEATURENOTENABLED/i.test(code) && spec.operation === 'hardDelete'
          ? ' hard_delete needs the "Bulk API Hard Delete" permission for the connector user.'
          : '';
        throw configError(`Salesforce refused to create a ${spec.operation} job for ${spec.object}: ${code}: ${detail}.${hint}`, internal);
      }
      if (err instanceof ConnectorError) throw err;
      throw transientError(`Creating an ingest job for ${spec.object} failed after retries.`, String(err));
    }
  }

  /**
   * Closes the job; when the close fails, looks whether it went through anyway: 'closed' (it is
   * processing or done), 'open' (surely not processed), or 'unknown' (the job could not be read).
   */
  private async closeOrCheck(jobId: string): Promise<'closed' | 'open' | 'unknown'> {
    try {
      await this.client.close(jobId);
      return 'closed';
    } catch {
      const info = await this.stateOf(jobId);
      if (info === undefined) return 'unknown';
      if (info.state === 'Open') return 'open';
      if (info.state === 'Aborted') return (info.numberRecordsProcessed ?? 0) > 0 ? 'closed' : 'open';
      return PROCESSING_STATES.has(info.state) ? 'closed' : 'unknown';
    }
  }

  /** false: the job surely processed no row (Open, or Aborted with nothing processed); undefined: unknown. */
  private async processedAnything(jobId: string): Promise<boolean | undefined> {
    const info = await this.stateOf(jobId);
    if (info === undefined) return undefined;
    if (info.state === 'Open') return false;
    if (info.state === 'Aborted') return (info.numberRecordsProcessed ?? 0) > 0;
    return true;
  }

  private async stateOf(jobId: string): Promise<JobInfo | undefined> {
    try {
      return await this.client.getInfo(jobId);
    } catch {
      return undefined;
    }
  }

  private async abortQuietly(jobId: string): Promise<void> {
    try {
      await this.client.abort(jobId);
    } catch (err) {
      this.opts.log('WARN', `Could not abort ingest job ${jobId}: ${String(err)}`);
    }
  }
}

/** Salesforce's own words for a refusal: `400`, `INVALIDJOB`, its message, and `HTTP 400 INVALIDJOB: message`. */
function refusalParts(err: SalesforceApiError): { status: number; code: string; detail: string; internal: string } {
  const code = err.errorCode ?? `HTTP_${err.status}`;
  const detail = err.salesforceMessage ?? '';
  return { status: err.status, code, detail, internal: `HTTP ${err.status} ${code}: ${detail}` };
}
