/**
 * Waits for a closed ingest job to reach a terminal state (JobComplete, Failed, Aborted), polling on
 * poll-schedule.ts's schedule: from `pollInitialMs`, ×1.5, each wait at most max(1 s, 20 % of the
 * time polled so far) and `pollMaxMs`. Five failed reads in a row end the sync (transient_error);
 * past `deadlineMs` a system_error names the job (nothing is counted: the job may still finish).
 */
import { systemError, transientError } from '../../errors';
import type { BulkIngestClient } from '../../salesforce/bulk-ingest-client';
import type { JobInfo } from '../../salesforce/types';
import { nextPollWait } from './poll-schedule';

export interface PollOptions {
  pollInitialMs: number;
  pollMaxMs: number;
  /** Overall deadline for one job to reach a terminal state after close. */
  deadlineMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

const TERMINAL_STATES = new Set(['JobComplete', 'Failed', 'Aborted']);
const MAX_READ_FAILURES = 5;

export async function pollJob(client: BulkIngestClient, jobId: string, object: string, opts: PollOptions): Promise<JobInfo> {
  const started = opts.now();
  const deadline = started + opts.deadlineMs;
  let wait = opts.pollInitialMs;
  let failures = 0;
  for (;;) {
    await opts.sleep(wait);
    try {
      const info = await client.getInfo(jobId);
      failures = 0;
      if (TERMINAL_STATES.has(info.state)) return info;
    } catch (err) {
      failures += 1;
      if (failures >= MAX_READ_FAILURES) throw transientError(`Polling ingest job ${jobId} (${object}) kept failing; the sync stopped.`, String(err));
    }
    if (opts.now() >= deadline) {
      throw systemError(
        `Ingest job ${jobId} (${object}) did not finish within ${Math.round(opts.deadlineMs / 1000)} s; the sync stopped. ` +
          `The job may still complete in Salesforce: check it in Setup → Bulk Data Load Jobs before re-running.`,
      );
    }
    wait = nextPollWait(wait, opts.now() - started, opts.pollMaxMs);
  }
}
