/**
 * Waits for a closed ingest job to reach a terminal state (JobComplete, Failed, Aborted), polling on
 * poll-schedule.ts's schedule: timed from what job info says (`numberRecordsProcessed` growth and the rows
 * left), each wait between `pollInitialMs` and `pollMaxMs`; what a job shows (queue delay, rate) goes into
 * `pace` for the sync's other jobs at once, and the job joins the sync's jobs the org model (org-model.ts) sees. Five failed reads in a row end the sync (transient_error); past
 * `deadlineMs` a system_error names the job (nothing is counted: the job may still finish).
 */
import { systemError, transientError } from '../../errors';
import type { BulkIngestClient } from '../../salesforce/bulk-ingest-client';
import type { JobInfo } from '../../salesforce/types';
import { TERMINAL_STATES } from './org-model';
import { heldBehind, learnPace, mergePace, nextPollWait, noteEnd, type PollJob, type PollPace } from './poll-schedule';

export interface PollOptions {
  pollInitialMs: number;
  pollMaxMs: number;
  /** Overall deadline for one job to reach a terminal state after close. */
  deadlineMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

const MAX_READ_FAILURES = 5;
const PREDICTED_MAX_FACTOR = 3;
/** Jobs of the sync the org model keeps (the latest; one still polled is never dropped). */
const JOBS_KEPT = 20;

/** The job polled: its id and object (for messages) and the rows uploaded (for the rate-based schedule). */
export interface PolledJob {
  jobId: string;
  object: string;
  rows: number;
  /** No input follows its rows: the sync's end waits for this job's (poll-schedule.ts aims its poll closer). */
  last?: boolean;
}

/** `pace` is shared by the jobs of one sync (the executor's): read for the first wait and before a rate is measured, updated at every poll. */
export async function pollJob(client: BulkIngestClient, { jobId, object, rows, last }: PolledJob, opts: PollOptions, pace: PollPace = {}): Promise<JobInfo> {
  const started = opts.now();
  const deadline = started + opts.deadlineMs;
  const maxMs = Math.max(opts.pollInitialMs, opts.pollMaxMs);
  // A wait timed from a measured rate may be longer than the blind one: a long job then needs one poll at its end, not one every pollMaxMs.
  const limits = { minMs: opts.pollInitialMs, maxMs, predictedMaxMs: maxMs * PREDICTED_MAX_FACTOR };
  const job: PollJob = { id: jobId, closedAt: started, rows, samples: [], previousMs: 0, ...(last ? { last } : {}) };
  remember(pace, jobId, job);
  let failures = 0;
  for (;;) {
    const wait = nextPollWait(job, pace, limits, opts.now());
    job.previousMs = wait;
    job.nextAt = opts.now() + wait;
    await opts.sleep(wait);
    // Behind a job closed earlier and still queued: this one has not started either.
    for (let hold = heldBehind(job, pace, opts.now(), maxMs); hold > 0 && opts.now() < deadline; hold = heldBehind(job, pace, opts.now(), maxMs)) {
      job.nextAt = opts.now() + hold;
      await opts.sleep(hold);
    }
    job.nextAt = undefined;
    try {
      // When it was asked: Salesforce counts then; the answer may wait while this process is busy.
      const asked = opts.now();
      const info = await client.getInfo(jobId);
      failures = 0;
      job.samples.push({ at: asked, state: info.state, processed: info.numberRecordsProcessed ?? 0 });
      mergePace(pace, learnPace(job));
      noteEnd(pace, jobId, job, TERMINAL_STATES.has(info.state));
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
  }
}

/** Adds `job` to the sync's jobs the org model sees, dropping the oldest finished ones past `JOBS_KEPT`. */
function remember(pace: PollPace, jobId: string, job: PollJob): void {
  const jobs = (pace.jobs ??= new Map());
  jobs.set(jobId, job);
  for (const [id, seen] of jobs) {
    if (jobs.size <= JOBS_KEPT) break;
    const last = seen.samples[seen.samples.length - 1];
    if (last && TERMINAL_STATES.has(last.state)) jobs.delete(id);
  }
}
