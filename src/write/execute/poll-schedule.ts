/**
 * When to poll an ingest job's state next (pure): from what job info says, not a blind backoff.
 *
 * A closed job first waits in Salesforce's queue (`UploadComplete`, nothing processed), then its rows are
 * processed and `numberRecordsProcessed` grows until it reaches the rows uploaded and the job is complete.
 *
 * - **Queued** (no poll has shown processing yet): the first wait is the queue delay the sync's earlier jobs
 *   showed (`PollPace.queueMs`), else `minMs`; then a backoff ×1.5, each wait at most max(1 s, 20 % of the
 *   time polled so far) and `maxMs`.
 * - **Processing**: the rate is `numberRecordsProcessed` growth between the last polls (measuredRate; before it
 *   grew twice, the rate of the sync's earlier jobs); the next poll is when
 *   the rows left are done at that rate, plus 5 % and 100 ms (a poll a little late costs less than one more
 *   poll), bounded by `minMs` and `maxMs`. Without any rate yet: the backoff, so the next poll measures one.
 *
 * So a job needs about one poll to see processing start, one to measure the rate and one when it is done.
 */

/** What one poll of the job said. */
export interface PollSample {
  /** When the answer came (ms). */
  at: number;
  state: string;
  processed: number;
}

/** What the sync's earlier jobs showed (kept by the executor, updated by `learnPace`). */
export interface PollPace {
  /** From close to the start of processing. */
  queueMs?: number;
  /** Rows per second of one job while processing. */
  rowsPerS?: number;
}

export interface PollLimits {
  minMs: number;
  maxMs: number;
}

export interface PollJob {
  closedAt: number;
  /** Rows uploaded. */
  rows: number;
  /** Every poll so far, oldest first. */
  samples: PollSample[];
  /** The previous wait (0 before the first). */
  previousMs: number;
}

const FLOOR_MS = 1000;
const FRACTION = 0.2;
const LATE_FRACTION = 0.05;
const LATE_MS = 100;

/** The blind backoff: the wait after one of `previousMs`, when the job has been polled for `polledMs`. */
export function backoffWait(previousMs: number, polledMs: number, maxMs: number): number {
  const elapsedCap = Math.max(FLOOR_MS, Math.floor(polledMs * FRACTION));
  return Math.max(1, Math.min(Math.ceil(previousMs * 1.5), elapsedCap, maxMs));
}

function processing(s: PollSample): boolean {
  return s.processed > 0 || s.state === 'InProgress';
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
export function nextPollWait(job: PollJob, pace: PollPace, limits: PollLimits): number {
  const clamp = (ms: number) => Math.round(Math.min(limits.maxMs, Math.max(limits.minMs, ms)));
  const last = job.samples[job.samples.length - 1];
  if (!last) return clamp(pace.queueMs ?? limits.minMs);
  const blind = Math.max(limits.minMs, backoffWait(job.previousMs, last.at - job.closedAt, limits.maxMs));
  if (!processing(last)) return blind;
  const rate = measuredRate(job.samples) ?? pace.rowsPerS;
  if (rate === undefined || !(rate > 0)) return blind;
  const left = Math.max(0, job.rows - last.processed);
  return clamp(((left * 1000) / rate) * (1 + LATE_FRACTION) + LATE_MS);
}

/** What a completed job teaches about the next ones: its queue delay and its processing rate. */
export function learnPace(job: PollJob): PollPace {
  const firstActive = job.samples.findIndex(processing);
  const done = job.samples[job.samples.length - 1];
  if (firstActive < 0 || !done) return {};
  // Processing started between the last poll that showed none (or the close) and the first that showed some.
  const before = firstActive > 0 ? (job.samples[firstActive - 1] as PollSample).at : job.closedAt;
  const startedAt = (before + (job.samples[firstActive] as PollSample).at) / 2;
  // The last poll came after the job was done (its count stopped growing then): the rate is measured before it.
  const rate = measuredRate(job.samples.slice(0, -1)) ?? (done.at > startedAt ? (done.processed * 1000) / (done.at - startedAt) : undefined);
  return { queueMs: Math.max(0, startedAt - job.closedAt), ...(rate !== undefined && rate > 0 ? { rowsPerS: rate } : {}) };
}
