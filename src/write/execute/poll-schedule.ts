/**
 * When to poll an ingest job's state next (pure): from what job info says, not a blind backoff.
 *
 * A closed job first waits in Salesforce's queue (`UploadComplete`, nothing processed), then its rows are
 * processed and `numberRecordsProcessed` grows until it reaches the rows uploaded and the job is complete.
 *
 * - **Once the sync knows the queue delay and a batch's rate** (its first job shows both within about three
 *   polls), org-model.ts times every wait: the sync's recent jobs (`PollPace.jobs`) with their batches laid
 *   on the org's batch slots in close order, the slot count fit to every poll so far; the next poll is when
 *   the job should be done there, shifted by how far behind (or ahead) its latest poll found it (+2 %,
 *   +100 ms; the input's last job, whose end the sync waits for, +0.5 %, +20 ms), at most `predictedMaxMs`
 *   (job-poller: 3 × `maxMs`). A job needs about one poll then (one more
 *   where a poll shows the model that the slots are fewer than it thought). A job any of whose polls the
 *   model does not explain within `slackMs` (e.g. the org ran it slower than the sync's other jobs showed,
 *   its count grows in steps) falls back to the rules below.
 * - **Queued** (no poll has shown processing yet): no earlier than its close + the queue delay the sync's
 *   jobs showed (`PollPace.queueMs`; before one showed processing, at least as long as any has been seen
 *   queued: the queue is first come first served), else `minMs`. Still queued after that while other jobs
 *   of the sync are processing: the org's batch slots are taken, and nothing starts before one of them ends —
 *   the next poll is when the soonest of them should be done (`PollPace.ends`). Otherwise a backoff ×1.5,
 *   each wait at most max(1 s, 50 % of the time polled so far) and `maxMs`. When a queued job's processing
 *   is first seen does not delay anything (the org works unpolled); only the end needs to be seen on time.
 * - **Processing**: the rate is `numberRecordsProcessed` growth between the last polls (measuredRate; before it
 *   grew twice, the rate the sync's other jobs showed, per 10,000-row batch, times this job's batches); the
 *   next poll is when the rows left are done at that rate, plus 5 % and 100 ms (a poll a little late costs
 *   less than one more poll) — or just after another job of the sync should end, if sooner (slots freed
 *   then may speed this one up) — bounded by `minMs` and, while other jobs process, `maxMs`; alone,
 *   `predictedMaxMs`. Without any rate yet: the backoff, so the next poll measures one.
 *
 * - **Behind a queued job** (`heldBehind`): when a wait ends and a job closed earlier was still queued at its
 *   latest poll, this one has not started either (the queue is first come first served): its poll waits
 *   for that job's next one, and looks again after it (never more than `maxMs` after its own latest poll).
 *
 * So the first job needs about three polls to see processing start and measure the rate, and one when it is
 * done; jobs closed once the model is known about one each.
 */

import { batchesOf, batchRate, estimateStart, isProcessing, type PollSample, predictShiftedEnd, TERMINAL_STATES } from './org-model';

export type { PollSample };

/** What the sync's earlier jobs showed (kept by the executor, updated by `learnPace` and `noteEnd`). */
export interface PollPace {
  /** From close to the start of processing. */
  queueMs?: number;
  /** Rows per second of one of Salesforce's 10,000-row batches (a job's batches run side by side). */
  batchRowsPerS?: number;
  /** When each of the sync's processing jobs should be done (absolute ms, from its measured rate). */
  ends?: Map<string, number>;
  /** The sync's recent jobs with their polls (job-poller registers each), for org-model.ts. */
  jobs?: Map<string, PollJob>;
}

export interface PollLimits {
  minMs: number;
  maxMs: number;
  /** The longest wait for a poll timed from a measured rate (default `maxMs`): the org works unpolled meanwhile. */
  predictedMaxMs?: number;
}

export interface PollJob {
  /** The job's id: its own predicted end in `PollPace.ends` is not another job's. */
  id?: string;
  closedAt: number;
  /** Rows uploaded. */
  rows: number;
  /** Every poll so far, oldest first. */
  samples: PollSample[];
  /** The previous wait (0 before the first). */
  previousMs: number;
  /** When its next poll is due (absolute ms), while it waits for one. */
  nextAt?: number;
  /** No input follows its rows (cut at the input's end): the sync's end waits for this job's. */
  last?: boolean;
}

const FLOOR_MS = 1000;
const FRACTION = 0.5;
const LATE_FRACTION = 0.05;
const LATE_MS = 100;
/** The model predicts a job's end closely: a smaller margin than a rate measured on the job alone. */
const MODEL_LATE_FRACTION = 0.02;
/**
 * The input's last job: the sync ends when its end is seen, so a poll late by the margin costs the whole
 * sync that time, while one too early costs one more call (the model then times the next from how far
 * behind it found the job). Its poll aims just past the model's end.
 */
const LAST_LATE_FRACTION = 0.005;
const LAST_LATE_MS = 20;

/** The blind backoff: the wait after one of `previousMs`, when the job has been polled for `polledMs`. */
export function backoffWait(previousMs: number, polledMs: number, maxMs: number): number {
  const elapsedCap = Math.max(FLOOR_MS, Math.floor(polledMs * FRACTION));
  return Math.max(1, Math.min(Math.ceil(previousMs * 1.5), elapsedCap, maxMs));
}

/**
 * Rows per second: the growth between the last two polls (the rate now, when other jobs took or freed slots),
 * else between the first poll that showed rows processed and the latest (a count that grows in steps).
 */
export function measuredRate(samples: PollSample[]): number | undefined {
  const rate = (a: PollSample | undefined, b: PollSample | undefined) =>
    a && b && a.processed > 0 && b.processed > a.processed && b.at > a.at ? ((b.processed - a.processed) * 1000) / (b.at - a.at) : undefined;
  const last = samples[samples.length - 1];
  return rate(samples[samples.length - 2], last) ?? rate(samples.find((s) => s.processed > 0), last);
}

/** The wait before the next poll of `job`. */
/** `now`: when the wait begins (default: the last poll's time). */
export function nextPollWait(job: PollJob, pace: PollPace, limits: PollLimits, now?: number): number {
  const clamp = (ms: number) => Math.round(Math.min(limits.predictedMaxMs ?? limits.maxMs, Math.max(limits.minMs, ms)));
  const modeled = modelWait(job, pace, now);
  if (modeled !== undefined) return clamp(modeled);
  const last = job.samples[job.samples.length - 1];
  const queue = queueAtLeast(pace);
  if (!last) return Math.min(limits.maxMs, clamp(queue ?? limits.minMs));
  const blind = Math.max(limits.minMs, backoffWait(job.previousMs, last.at - job.closedAt, limits.maxMs));
  const soonest = soonestOtherEnd(pace, job.id);
  if (!isProcessing(last)) {
    // Nothing starts before its close + the queue delay, nor (slots taken) before another job of the sync ends.
    const until = Math.max(soonest !== undefined ? soonest - last.at : 0, queue !== undefined ? job.closedAt + queue - last.at : 0);
    return until > blind ? clamp(until * (1 + LATE_FRACTION) + LATE_MS) : blind;
  }
  const rate = measuredRate(job.samples) ?? (pace.batchRowsPerS !== undefined ? pace.batchRowsPerS * batchesOf(job.rows) : undefined);
  if (rate === undefined || !(rate > 0)) return blind;
  const left = Math.max(0, job.rows - last.processed);
  const own = ((left * 1000) / rate) * (1 + LATE_FRACTION) + LATE_MS;
  if (soonest === undefined) return clamp(own); // the only job processing: its rate holds, a long wait is safe
  // Other jobs share the org's slots: one ending frees slots and this one's rate may rise, so look again
  // just after the soonest ends, and never wait longer than maxMs meanwhile.
  const other = soonest > last.at ? soonest - last.at + LATE_MS : Infinity;
  return Math.min(limits.maxMs, clamp(Math.min(own, other)));
}

/** The wait until org-model.ts says `job` should be done, once the sync knows the queue delay and a batch's rate. */
function modelWait(job: PollJob, pace: PollPace, at: number | undefined): number | undefined {
  const jobs = [...(pace.jobs?.values() ?? [])];
  if (!jobs.includes(job)) jobs.push(job);
  // Once a rate was measured (`learnPace`): the highest rate per batch the jobs show, each over its longest span.
  const rates = jobs.map(batchRate).filter((r): r is number => r !== undefined);
  const batchRowsPerS = pace.batchRowsPerS !== undefined && rates.length > 0 ? Math.max(...rates) : pace.batchRowsPerS;
  // The shortest queue any job showed: a job that also waited for slots (taken by the sync's own jobs) shows more.
  const queues = jobs.map((j) => (estimateStart(j) ?? Infinity) - j.closedAt);
  const queueMs = Math.max(0, Math.min(pace.queueMs ?? Infinity, ...queues));
  if (!Number.isFinite(queueMs) || batchRowsPerS === undefined || !(batchRowsPerS > 0)) return undefined;
  const end = predictShiftedEnd(jobs, jobs.indexOf(job), queueMs, batchRowsPerS);
  const now = at ?? job.samples[job.samples.length - 1]?.at ?? job.closedAt;
  // A job the model does not explain (a poll of it far behind or ahead, e.g. the org ran it slower than the
  // sync's other jobs showed, or its count grows in steps): its own rate times the next poll instead.
  if (end === undefined) return undefined;
  const left = Math.max(0, end - now);
  return job.last ? left * (1 + LAST_LATE_FRACTION) + LAST_LATE_MS : left * (1 + MODEL_LATE_FRACTION) + LATE_MS;
}

/** After a job's next poll is due, its answer is read before the jobs held behind it look again. */
const HOLD_AFTER_MS = 50;

/**
 * How much longer `job` should hold its poll at `now` (0: poll now): while it has not shown processing and a
 * job of the sync closed before it was still queued at its latest poll, until just after that job's next
 * poll. A job closed later cannot start first, so polling it then would only show it queued. Never past
 * `maxMs` after the job's own latest poll (or close): first come first served is how Salesforce is modelled
 * here, not a documented guarantee, and an org that ran a later job first still has its end seen within
 * `maxMs`, as the blind backoff would.
 */
export function heldBehind(job: PollJob, pace: PollPace, now: number, maxMs: number): number {
  const own = job.samples[job.samples.length - 1];
  if (own && isProcessing(own)) return 0;
  let until = 0;
  for (const other of pace.jobs?.values() ?? []) {
    if (other === job || other.closedAt >= job.closedAt || other.nextAt === undefined) continue;
    const last = other.samples[other.samples.length - 1];
    if (last && !isProcessing(last) && !TERMINAL_STATES.has(last.state)) until = Math.max(until, other.nextAt + HOLD_AFTER_MS);
  }
  const latest = (own?.at ?? job.closedAt) + maxMs;
  const end = Math.min(until, latest);
  return end > now ? end - now : 0;
}

/**
 * The queue delay the sync's jobs showed; before any showed processing, at least the longest any has been
 * seen queued since its close (Salesforce's queue is first come first served: the sync's first job waits
 * the queue delay, and a job closed after it waits no less).
 */
function queueAtLeast(pace: PollPace): number | undefined {
  if (pace.queueMs !== undefined) return pace.queueMs;
  let longest: number | undefined;
  for (const j of pace.jobs?.values() ?? []) {
    if (j.samples.some(isProcessing)) return undefined;
    const last = j.samples[j.samples.length - 1];
    if (last) longest = Math.max(longest ?? 0, last.at - j.closedAt);
  }
  return longest;
}

/** The soonest predicted end of the sync's other processing jobs (absolute ms), if any is known. */
function soonestOtherEnd(pace: PollPace, ownId: string | undefined): number | undefined {
  let soonest: number | undefined;
  for (const [id, end] of pace.ends ?? []) if (id !== ownId && (soonest === undefined || end < soonest)) soonest = end;
  return soonest;
}

/**
 * What a job shows about the sync's next ones, as soon as it shows it: its queue delay (once processing began)
 * and its processing rate per 10,000-row batch (once measured; a job's batches run side by side).
 */
export function learnPace(job: PollJob): PollPace {
  if (!job.samples.some(isProcessing)) return {};
  const start = estimateStart(job);
  // A poll after the job was done (its count stopped growing then) does not measure the rate.
  const last = job.samples[job.samples.length - 1] as PollSample;
  const rate = measuredRate(last.state === 'JobComplete' ? job.samples.slice(0, -1) : job.samples);
  return { ...(start !== undefined ? { queueMs: Math.max(0, start - job.closedAt) } : {}), ...(rate !== undefined ? { batchRowsPerS: rate / batchesOf(job.rows) } : {}) };
}

/**
 * Records (or, once the job is finished, forgets) when `jobId` should be done, for the queued jobs' schedule:
 * now + the rows left at the rate measured. Unknown until a rate is measured.
 */
export function noteEnd(pace: PollPace, jobId: string, job: PollJob, finished: boolean): void {
  const last = job.samples[job.samples.length - 1];
  const rate = measuredRate(job.samples);
  if (finished || !last || rate === undefined || !(rate > 0)) {
    pace.ends?.delete(jobId);
    return;
  }
  (pace.ends ??= new Map()).set(jobId, last.at + (Math.max(0, job.rows - last.processed) * 1000) / rate);
}

/**
 * Folds what one job showed into the sync's pace: the latest queue delay, and the **highest** rate per
 * batch seen. A job of more batches than the org has free slots shows a lower rate per batch (its batches
 * wait for slots); taking that for the next jobs would predict their ends too late and see them finish
 * late, while a rate too high only costs one more poll.
 */
export function mergePace(pace: PollPace, learned: PollPace): void {
  if (learned.queueMs !== undefined) pace.queueMs = learned.queueMs;
  if (learned.batchRowsPerS !== undefined) pace.batchRowsPerS = Math.max(pace.batchRowsPerS ?? 0, learned.batchRowsPerS);
}

