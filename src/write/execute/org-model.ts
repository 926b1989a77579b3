/**
 * Salesforce's processing of the sync's ingest jobs as the sync has seen it (pure), for poll-schedule.ts.
 *
 * Salesforce documents the shape (reference §1.7): a closed job waits in a queue, then its rows run in internal
 * 10,000-row batches that share the org's batch slots, first come first served. Three numbers make that a
 * model: the queue delay (`queueMs`), one batch's rate (`batchRowsPerS`), and the slots. The sync's jobs show
 * the first two (`estimateStart`, `batchRate`: the shortest queue, the highest rate); the slots are fit
 * here to what every poll of the sync's jobs said (`numberRecordsProcessed` when it was asked): the
 * **largest** count under which each poll is within half its `slackMs` of the model, since too many slots
 * only predicts an end too early (one poll finds the job short, and the fit learns from it), while too few
 * predicts it too late (the sync waits).
 *
 * `predictEnd` then says when a job should be done: every job's batches laid on the slots in close order,
 * and how far each poll of the job was behind (or ahead of) the model. `predictShiftedEnd`, what polls use,
 * shifts that end by the latest poll's lateness under each count that fits and takes the soonest.
 */

/** What one poll of a job said. */
export interface PollSample {
  /** When it was asked (ms): Salesforce counted then; the answer may be read later by a busy process. */
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
const SLACK_MS = 1000;
const SLACK_FRACTION = 0.1;
/** The fit holds the polls to half the slack: a slot count that explains them only loosely shifts a job's end late. */
const FIT_SHARE = 0.5;
/** A job in one of these states is done (its polling ends). */
export const TERMINAL_STATES: ReadonlySet<string> = new Set(['JobComplete', 'Failed', 'Aborted']);

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
  if (next && !TERMINAL_STATES.has(next.state) && next.processed > first.processed && next.at > first.at) {
    const rate = (next.processed - first.processed) / (next.at - first.at);
    return Math.max(floor, first.at - first.processed / rate);
  }
  return before ? (before.at + first.at) / 2 : undefined;
}

/**
 * One batch's rate (rows/s) as `job` showed it: its count's growth from the first poll that showed rows to
 * the latest one still processing (the longest span: two polls close together say little), per batch of
 * the job (they run side by side when slots are free; when not, this is less than the rate).
 */
export function batchRate(job: SeenJob): number | undefined {
  const first = job.samples.find((s) => s.processed > 0 && !TERMINAL_STATES.has(s.state));
  const last = job.samples.filter((s) => !TERMINAL_STATES.has(s.state)).at(-1);
  if (!first || !last || !(last.processed > first.processed) || !(last.at > first.at)) return undefined;
  return ((last.processed - first.processed) * 1000) / (last.at - first.at) / batchesOf(job.rows);
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
    const stop = job.samples.find((s) => TERMINAL_STATES.has(s.state))?.at ?? Infinity;
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

/** How late (ms; negative: ahead) a job was at poll `s` against its batches under the model: `s.at` less the model time at which it shows the rows `s` showed. */
function lateness(runs: readonly Run[], s: PollSample, rate: number): number {
  const start = Math.min(...runs.map((r) => r.start));
  if (s.processed <= 0) return Math.max(0, s.at - start);
  let lo = start;
  let hi = Math.max(...runs.map((r) => r.end));
  for (let k = 0; k < 40 && hi - lo > 1; k++) {
    const mid = (lo + hi) / 2;
    if (processedAt(runs, mid, rate) < s.processed) lo = mid;
    else hi = mid;
  }
  return s.at - hi;
}

/** How far from the model a poll may be and still be explained by it: 1 s + 10 % of the time since the job's close (timers and counters lag on a busy machine or org). */
export function slackMs(job: SeenJob, at: number): number {
  return SLACK_MS + SLACK_FRACTION * (at - job.closedAt);
}

/** The lateness beyond the fit's share of the slack, summed over every poll of the jobs that did not find it finished. */
function unexplained(jobs: readonly SeenJob[], runs: Run[][], rate: number): number {
  let e = 0;
  jobs.forEach((job, i) => {
    const own = runs[i] as Run[];
    if (own.length === 0) return;
    for (const s of job.samples) if (!TERMINAL_STATES.has(s.state)) e += Math.max(0, Math.abs(lateness(own, s, rate)) - FIT_SHARE * slackMs(job, s.at));
  });
  return e;
}

/**
 * The largest slot count under which every poll is within half its slack of the model; if none, the largest of
 * those about least beyond it (a poll too early costs a call, one too late the sync's time).
 */
export function fitSlots(jobs: readonly SeenJob[], queueMs: number, batchRowsPerS: number): number {
  return fitSlotRange(jobs, queueMs, batchRowsPerS)[0] as number;
}

/**
 * The slot counts `fitSlots` accepts, largest first: from its count down while each still has every poll
 * within half its slack (just its count when none does). `predictShiftedEnd` takes the soonest end among them.
 */
export function fitSlotRange(jobs: readonly SeenJob[], queueMs: number, batchRowsPerS: number): number[] {
  const most = Math.min(MAX_SLOTS, jobs.reduce((n, j) => n + batchesOf(j.rows), 0));
  const errors: number[] = [];
  const fit: number[] = [];
  for (let slots = most; slots >= 1; slots--) {
    const error = unexplained(jobs, simulate(jobs, { queueMs, batchRowsPerS, slots }), batchRowsPerS);
    if (error === 0) fit.push(slots);
    else if (fit.length > 0) return fit;
    errors.push(error);
  }
  if (fit.length > 0) return fit;
  const least = Math.min(...errors);
  return [most - errors.findIndex((e) => e <= least + SLACK_MS)];
}

/** When a job should be done under the model (absolute ms), and how far each of its polls was behind the model (negative: ahead). */
export interface Prediction {
  end: number;
  /** Each poll of the job that did not find it finished, oldest first: when, and how late the job was then. */
  late: Array<{ at: number; ms: number }>;
}

/**
 * When `jobs[index]` should be done, shifted by how late its latest poll found it, under the slot count of
 * `fitSlotRange` that says so **soonest**. Several counts can explain the polls; a count above the org's lays
 * the job's batches early on slots the org does not have, so its polls look late under that model while its
 * last batches still wait for the same slots to free — the shift would then push the end late twice (seen:
 * 1 s late on a 10-slot org fit as 12). As with the fit itself, too soon costs one poll, too late the sync's
 * time. Undefined if the model gives the job no batch (seen finished) or does not explain one of its polls
 * within `slackMs`.
 */
export function predictShiftedEnd(jobs: readonly SeenJob[], index: number, queueMs: number, batchRowsPerS: number): number | undefined {
  const job = jobs[index] as SeenJob;
  let best: number | undefined;
  for (const slots of fitSlotRange(jobs, queueMs, batchRowsPerS)) {
    const p = predictEnd(jobs, index, { queueMs, batchRowsPerS, slots });
    if (!p || p.late.some((l) => Math.abs(l.ms) > slackMs(job, l.at))) continue;
    const end = p.end + (p.late.at(-1)?.ms ?? 0);
    if (best === undefined || end < best) best = end;
  }
  return best;
}

/** When `jobs[index]` should be done under `p`; undefined if the model gives it no batch (seen finished). */
export function predictEnd(jobs: readonly SeenJob[], index: number, p: OrgParams): Prediction | undefined {
  const runs = simulate(jobs, p)[index] as Run[];
  if (runs.length === 0) return undefined;
  const polled = (jobs[index] as SeenJob).samples.filter((s) => !TERMINAL_STATES.has(s.state));
  return { end: Math.max(...runs.map((r) => r.end)), late: polled.map((s) => ({ at: s.at, ms: lateness(runs, s, p.batchRowsPerS) })) };
}
