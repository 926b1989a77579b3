/**
 * Gets one job's CSV into a closed ingest job: create → one PUT → close. No job is left Open.
 *
 * - **create**: sent once (never blindly repeated). When its answer is lost (network, 5xx), the
 *   user's Open jobs for this object and operation created since just before the call are listed
 *   and aborted, then the create is tried again (bounded) — no orphan job waits 24 h.
 * - **upload**: a job takes one PUT, so a failed PUT is never sent to the same job: that job (Open,
 *   nothing processed) is aborted and the CSV goes in a new job, or the refusal is classified
 *   (failure-causes.ts): too large → `split`; a limit → wait and resend, or stop; permissions → stop.
 * - **close**: when its answer is lost, the job's state is read before deciding: Open → aborted and
 *   sent again in a new job; processing or finished → polled as it is; unreadable → the sync stops
 *   (transient) without aborting a job that may be processing — rows are never written twice.
 */
import { configError, ConnectorError, systemError, transientError } from '../../errors';
import { ApiBudgetStop } from '../../salesforce/api-budget';
import type { BulkIngestClient } from '../../salesforce/bulk-ingest-client';
import type { ReplayableBody } from '../../salesforce/salesforce-api';
import type { SalesforceApiError } from '../../salesforce/salesforce-errors';
import type { JobInfo } from '../../salesforce/types';
import { SyncCancelledError } from '../cancel/cancellation';
import type { ChunkTarget } from './chunk-executor';
import { classifyHttp, type Cause } from './failure-causes';

export interface SubmitOptions {
  /** Jobs tried for one CSV when create / upload / close fail. */
  jobAttempts: number;
  /** Wait before re-sending after a concurrency-limit refusal (× attempt). */
  resendWaitMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  log: (level: 'INFO' | 'WARN', message: string) => void;
}

export type Submitted = { kind: 'closed'; jobId: string } | { kind: 'too-large'; jobId: string; code: string; message: string };

/** Lost create answers are looked for among jobs created this long before the call (clock skew). */
const ORPHAN_WINDOW_MS = 10 * 60 * 1000;
const STATE_READS = 3;

export class JobSubmitter {
  /** The connector user's id, learnt from the first job it creates (narrows the orphan search). */
  private userId: string | undefined;
  /** Jobs this sync created (so other chunks' Open jobs are never taken for orphans). */
  private readonly known = new Set<string>();

  constructor(
    private readonly client: BulkIngestClient,
    private readonly opts: SubmitOptions,
  ) {}

  async submit(target: ChunkTarget, csv: Buffer | ReplayableBody): Promise<Submitted> {
    for (let attempt = 1; ; attempt += 1) {
      const last = attempt >= this.opts.jobAttempts;
      const job = await this.create(target);
      try {
        await this.client.upload(job.id, csv);
      } catch (err) {
        await this.abortQuietly(job.id);
        if (err instanceof SyncCancelledError) throw err; // cancelled: the job is aborted, nothing more starts
        const cause = classifyHttp(err, 'upload');
        if (cause?.action === 'split') return { kind: 'too-large', jobId: job.id, ...refusal(err as SalesforceApiError) };
        if (cause && cause.action !== 'retry-call' && cause.action !== 'resend') throw stopError(cause, err, `Uploading to ingest job ${job.id} (${target.object})`);
        if (last) throw transientError(`Uploading a chunk of ${target.object} failed ${attempt} times; the sync stopped.`, `job ${job.id}: ${String(err)}`);
        this.opts.log('WARN', `Upload to ingest job ${job.id} (${target.object}) failed (${cause?.id ?? 'no answer'}); aborted it and sending the rows in a new job.`);
        if (cause?.action === 'resend') await this.opts.sleep(this.opts.resendWaitMs * attempt);
        continue;
      }
      const closed = await this.close(job.id, target.object);
      if (closed === 'closed') return { kind: 'closed', jobId: job.id };
      await this.abortQuietly(job.id); // it is Open: surely nothing processed
      if (last) throw transientError(`Closing ingest jobs for ${target.object} failed ${attempt} times; the sync stopped.`, `last job ${job.id}`);
      this.opts.log('WARN', `Closing ingest job ${job.id} (${target.object}) failed; aborted it and sending the rows in a new job.`);
    }
  }

  private async create(target: ChunkTarget): Promise<JobInfo> {
    const req = {
      object: target.object,
      operation: target.operation,
      ...(target.externalIdFieldName ? { externalIdFieldName: target.externalIdFieldName } : {}),
      ...(target.assignmentRuleId ? { assignmentRuleId: target.assignmentRuleId } : {}),
    };
    for (let attempt = 1; ; attempt += 1) {
      const sentAt = this.opts.now();
      try {
        const job = await this.client.createJob(req, { retry: false });
        if (typeof job.createdById === 'string') this.userId ??= job.createdById;
        this.known.add(job.id);
        return job;
      } catch (err) {
        if (err instanceof SyncCancelledError) throw err; // refused before any call: no orphan to look for
        const cause = classifyHttp(err, 'create');
        if (cause && cause.action !== 'retry-call') {
          const hint = cause.action === 'config' && /FEATURE_?NOT_?ENABLED/i.test((err as SalesforceApiError).errorCode ?? '') && target.operation === 'hardDelete'
            ? ' hard_delete needs the "Bulk API Hard Delete" permission for the connector user.'
            : '';
          throw stopError(cause, err, `Creating a ${target.operation} job for ${target.object}`, hint);
        }
        if (!cause && err instanceof ConnectorError && err.failureType !== 'transient_error') throw err;
        if (err instanceof ApiBudgetStop) throw err; // the budget guard sent nothing: no job to look for

        // The answer is lost or a server error: the job may exist. Find it before trying again.
        await this.abortOrphans(target, sentAt - ORPHAN_WINDOW_MS);
        if (attempt >= this.opts.jobAttempts) throw transientError(`Creating an ingest job for ${target.object} failed ${attempt} times; the sync stopped.`, String(err));
        await this.opts.sleep(this.opts.resendWaitMs * attempt);
      }
    }
  }

  /** Aborts the user's Open jobs of this object and operation created since `since` (a lost create's job). */
  private async abortOrphans(target: ChunkTarget, since: number): Promise<void> {
    try {
      let next: string | undefined;
      do {
        const page = await this.client.listJobs(next);
        for (const j of page.records) {
          const created = Date.parse(String(j.createdDate ?? '').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
          const mine = this.userId === undefined || j.createdById === this.userId;
          if (j.state !== 'Open' || this.known.has(j.id) || j.object !== target.object || j.operation !== target.operation || !mine || !(created >= since)) continue;
          this.known.add(j.id);
          this.opts.log('WARN', `Ingest job ${j.id} (${target.object}) was created but its answer was lost; aborting it so it is not left Open.`);
          await this.abortQuietly(j.id);
        }
        next = page.done ? undefined : (page.nextRecordsUrl ?? undefined);
      } while (next);
    } catch (err) {
      this.opts.log('WARN', `Could not list ingest jobs to find one whose create answer was lost: ${String(err)}`);
    }
  }

  /** 'closed' (processing or done: poll it) or 'open' (surely nothing processed). */
  private async close(jobId: string, object: string): Promise<'closed' | 'open'> {
    try {
      await this.client.close(jobId);
      return 'closed';
    } catch (err) {
      if (err instanceof SyncCancelledError) {
        await this.abortQuietly(jobId); // cancelled before the close was sent: the job is Open
        throw err;
      }
      const cause = classifyHttp(err, 'close');
      if (cause && cause.action !== 'retry-call' && cause.action !== 'system') {
        // Salesforce refused the close itself (e.g. a second content): it is still Open.
        const info = await this.stateOf(jobId);
        if (info) return surelyUnprocessed(info) ? 'open' : 'closed';
        throw stopError(cause, err, `Closing ingest job ${jobId} (${object})`);
      }
      const info = await this.stateOf(jobId);
      if (info === undefined) {
        throw transientError(`Could not confirm whether ingest job ${jobId} (${object}) was closed; the sync stopped rather than risk writing its rows twice. Check the job in Setup → Bulk Data Load Jobs.`);
      }
      return surelyUnprocessed(info) ? 'open' : 'closed';
    }
  }

  private async stateOf(jobId: string): Promise<JobInfo | undefined> {
    for (let attempt = 1; attempt <= STATE_READS; attempt += 1) {
      try {
        return await this.client.getInfo(jobId);
      } catch {
        if (attempt < STATE_READS) await this.opts.sleep(this.opts.resendWaitMs * attempt);
      }
    }
    return undefined;
  }

  private async abortQuietly(jobId: string): Promise<void> {
    try {
      await this.client.abort(jobId);
    } catch (err) {
      this.opts.log('WARN', `Could not abort ingest job ${jobId}: ${String(err)}`);
    }
  }
}

/** Open, or aborted before it processed anything: sending its rows again cannot write anything twice. */
function surelyUnprocessed(info: JobInfo): boolean {
  return info.state === 'Open' || (info.state === 'Aborted' && (info.numberRecordsProcessed ?? 0) === 0);
}

/** Salesforce's own words for a refusal: its code and message. */
function refusal(err: SalesforceApiError): { code: string; message: string } {
  return { code: err.errorCode ?? `HTTP_${err.status}`, message: err.salesforceMessage ?? `HTTP ${err.status}` };
}

/** The error that ends the sync for a cause whose action is transient / config / system. */
export function stopError(cause: Cause, err: unknown, what: string, hint = ''): ConnectorError {
  const sf = err as Partial<SalesforceApiError>;
  const said = sf.status !== undefined ? `HTTP ${sf.status} ${sf.errorCode ?? ''}: ${sf.salesforceMessage ?? ''}`.trim() : String(err);
  const text = `${what} failed: Salesforce answered ${said}. ${cause.why}${hint}`;
  if (cause.action === 'config') return configError(text, cause.id);
  if (cause.action === 'system') return systemError(text, cause.id);
  return transientError(text, cause.id);
}

