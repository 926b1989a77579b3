/**
 * Salesforce's processing of the sync's ingest jobs as the sync has seen it (pure), for poll-schedule.ts.
 *
 * Salesforce documents the shape (reference §1.7): a closed job waits in a queue, then its rows run in internal
 * 10,000-row batches that share the org's batch slots, first come first served. Three numbers make that a
 * model: the queue delay (`queueMs`), one batch's rate (`batchRowsPerS`), and the slots. The first two the
 * sync measures (poll-schedule's `learnPace`); the slots are fit here to what every poll of the sync's jobs
 * said (`numberRecordsProcessed` at its time): the **largest** count that explains the polls about as well
 * as the best one, since too many slots only predicts an end too early (one poll finds the job short, and
 * the fit learns from it), while too few predicts it too late (the sync waits).
 *
 * `predictEnd` then says when a job should be done: every job's batches laid on the slots in close order.
 * A job whose latest poll is behind (or ahead of) the model shifts its own end by as much.
 */

/** What one poll of a job said. */
export interface PollSample {
  /** When the answer came (ms). */
  at: number;
  state: string;
  processed: number;
}

/** A job of the sync as its polls showed it. */
export interface SeenJob {
  closedAt: number;
  /** Rows uploaded. */
  rows: number;
  /** Every poll so far, oldest first. */
  samples: PollSample[];
}

export interface OrgParams {
  queueMs: number;
  batchRowsPerS: number;
  slots: number;
}

/** Rows of one of Salesforce's internal batches. */
export const BATCH_ROWS = 10_000;
/** Slot counts tried by the fit (more matter only to a sync with more batches in flight). */
const MAX_SLOTS = 64;
/** A fit this close to the best (in seconds of one batch's rows, summed over the polls) explains the polls as well. */
const TOLERANCE_S = 0.5;
const TERMINAL = new Set(['JobComplete', 'Failed', 'Aborted']);

/** One batch under the model. */
interface Run {
  start: number;
  end: number;
  rows: number;
}

export function batchesOf(rows: number): number {
  return Math.max(1, Math.ceil(rows / BATCH_ROWS));
}

export function isProcessing(s: PollSample): boolean {
  return s.processed > 0 || s.state === 'InProgress';
}

/**
 * When processing of `job` began, from its polls: the first poll showing rows processed, less those rows at
 * the rate up to the next poll (not before the last poll that showed none); else half-way between those two.
 */
export function estimateStart(job: SeenJob): number | undefined {
  const i = job.samples.findIndex(isProcessing);
  if (i < 0) return undefined;
  const first = job.samples[i] as PollSample;
  const before = job.samples[i - 1];
  const next = job.samples[i + 1];
  const floor = before?.at ?? job.closedAt;
  if (next && !TERMINAL.has(next.state) && next.processed > first.processed && next.at > first.at) {
    const rate = (next.processed - first.processed) / (next.at - first.at);
    return Math.max(floor, first.at - first.processed / rate);
  }
  return before ? (before.at + first.at) / 2 : undefined;
}

/**
 * Every job's batches under `p`, in close order, each on the slot free first, from its job's close + the
 * queue delay; a job seen finished holds no slot after it was seen so.
 */
function simulate(jobs: readonly SeenJob[], p: OrgParams): Run[][] {
  const order = jobs.map((job, i) => ({ job, i })).sort((a, b) => a.job.closedAt - b.job.closedAt);
  const free = new Array<number>(p.slots).fill(-Infinity);
  const out: Run[][] = jobs.map(() => []);
  for (const { job, i } of order) {
    const ready = job.closedAt + p.queueMs;
    const stop = job.samples.find((s) => TERMINAL.has(s.state))?.at ?? Infinity;
    for (let from = 0; from < job.rows; from += BATCH_ROWS) {
      let slot = 0;
      for (let k = 1; k < free.length; k++) if ((free[k] as number) < (free[slot] as number)) slot = k;
      const start = Math.max(ready, free[slot] as number);
      if (start >= stop) break;
      const rows = Math.min(BATCH_ROWS, job.rows - from);
      const end = Math.min(stop, start + (rows * 1000) / p.batchRowsPerS);
      free[slot] = end;
      (out[i] as Run[]).push({ start, end, rows });
    }
  }
  return out;
}

function processedAt(runs: readonly Run[], t: number, rate: number): number {
  let n = 0;
  for (const r of runs) n += Math.min(r.rows, Math.max(0, ((Math.min(t, r.end) - r.start) * rate) / 1000));
  return n;
}

/** How far the model is from what the polls said: rows, summed over every poll of a job not yet finished. */
function misfit(jobs: readonly SeenJob[], runs: Run[][], rate: number): number {
  let e = 0;
  jobs.forEach((job, i) => {
    for (const s of job.samples) if (!TERMINAL.has(s.state)) e += Math.abs(processedAt(runs[i] as Run[], s.at, rate) - s.processed);
  });
  return e;
}

/** The largest slot count that explains the polls about as well as the best one. */
export function fitSlots(jobs: readonly SeenJob[], queueMs: number, batchRowsPerS: number): number {
  const most = Math.min(MAX_SLOTS, jobs.reduce((n, j) => n + batchesOf(j.rows), 0));
  const errors: number[] = [];
  for (let slots = 1; slots <= most; slots++) errors.push(misfit(jobs, simulate(jobs, { queueMs, batchRowsPerS, slots }), batchRowsPerS));
  const best = Math.min(...errors);
  const tolerance = batchRowsPerS * TOLERANCE_S;
  for (let k = errors.length - 1; k > 0; k--) if ((errors[k] as number) <= best + tolerance) return k + 1;
  return 1;
}

/**
 * When `jobs[index]` should be done (absolute ms) under `p`, shifted by how far its latest poll was behind
 * or ahead of the model; undefined if the model gives it no batch (seen finished).
 */
export function predictEnd(jobs: readonly SeenJob[], index: number, p: OrgParams): number | undefined {
  const runs = simulate(jobs, p)[index] as Run[];
  if (runs.length === 0) return undefined;
  const end = Math.max(...runs.map((r) => r.end));
  const last = (jobs[index] as SeenJob).samples.at(-1);
  if (!last || TERMINAL.has(last.state)) return end;
  const start = Math.min(...runs.map((r) => r.start));
  if (last.processed <= 0) return end + Math.max(0, last.at - start);
  // The model time at which it shows the rows this poll showed (the count grows with time: bisect).
  let lo = start;
  let hi = end;
  for (let k = 0; k < 40 && hi - lo > 1; k++) {
    const mid = (lo + hi) / 2;
    if (processedAt(runs, mid, p.batchRowsPerS) < last.processed) lo = mid;
    else hi = mid;
  }
  return end + (last.at - hi);
}
