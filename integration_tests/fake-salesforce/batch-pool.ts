/**
 * Salesforce's processing model for ingest jobs (reference §1.7, §2; README "Processing model"):
 * a closed job's rows run in internal batches of `batchSize` (10,000); the batches of all jobs share an org-wide
 * pool of `parallelBatches` slots, first come first served; each batch runs at `recordsPerSecond`; a batch whose run
 * would exceed `batchTimeLimitMs` is retried (back of the queue) and, past `batchRetries` retries, fails its job.
 *
 * Times are a discrete-event model clock (epoch ms): a batch starts at max(its ready time, its slot's free time) and
 * ends exactly its duration later, however late the real timers fire under load. Job views expose these times, so
 * a test can check the model's arithmetic without depending on wall-clock timing.
 */
import type { IngestJob } from './jobs';

export interface Batch {
  job: IngestJob;
  /** Row range [from, to) of the upload. */
  from: number;
  to: number;
  /** Next row to process. */
  next: number;
  attempts: number;
  /** Model time it (re)entered the queue. */
  readyAt: number;
  startAt: number;
  endAt: number;
  timedOut: boolean;
  slot: number;
  /** Its next tick: a timer, or an immediate when it is catching up (no 1 ms timer clamp per slice). */
  timer?: NodeJS.Timeout;
  immediate?: NodeJS.Immediate;
}

/** What the pool needs from the rest of the fake (job-runner.ts wires it). */
export interface PoolHooks {
  slots(): number;
  /** Rows per second of one batch; undefined = unlimited. */
  rate(): number | undefined;
  timeLimitMs(): number;
  /** Called when a batch takes a slot; false = the job can't run it (e.g. a daily limit failed the job). */
  onStart(batch: Batch): boolean;
  /** Processes up to `max` rows of the batch; returns false when the job stopped (failed) meanwhile. */
  processRows(batch: Batch, max: number): boolean;
  onTimeout(batch: Batch): void;
  onDone(batch: Batch): void;
}

/**
 * Rows processed per slice when catching up: a few milliseconds of work, after which the event loop reads
 * requests again. Salesforce answers API calls while it processes jobs; with 2,000-row slices every running
 * batch took ~25 ms in the same timers phase, and a PUT or a poll waited 100–150 ms for the stand-in.
 */
const SLICE = 250;

function stopTick(batch: Batch): void {
  if (batch.timer) clearTimeout(batch.timer);
  if (batch.immediate) clearImmediate(batch.immediate);
  batch.timer = undefined;
  batch.immediate = undefined;
}

export class BatchPool {
  private readonly queue: Batch[] = [];
  private running: Array<Batch | undefined> = [];
  private freeAt: number[] = [];

  constructor(private readonly hooks: PoolHooks) {}

  enqueue(batches: Batch[]): void {
    this.queue.push(...batches);
    this.pump();
  }

  /** Removes every batch of the job (queued or running) and frees their slots at model time `at`. */
  cancel(job: IngestJob, at: number): void {
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]?.job === job) this.queue.splice(i, 1);
    this.running.forEach((b, slot) => {
      if (b?.job !== job) return;
      stopTick(b);
      this.release(slot, Math.min(Math.max(at, b.startAt), b.endAt));
    });
    this.pump();
  }

  clear(): void {
    for (const b of this.running) if (b) stopTick(b);
    this.queue.length = 0;
    this.running = [];
    this.freeAt = [];
  }

  private release(slot: number, at: number): void {
    this.running[slot] = undefined;
    this.freeAt[slot] = at;
  }

  /** Starts queued batches on free slots (the slot free earliest first). */
  private pump(): void {
    const slots = Math.max(1, this.hooks.slots());
    while (this.running.length < slots) {
      this.running.push(undefined);
      this.freeAt.push(0);
    }
    while (this.queue.length > 0) {
      let slot = -1;
      for (let i = 0; i < slots; i++) {
        if (this.running[i] === undefined && (slot < 0 || (this.freeAt[i] as number) < (this.freeAt[slot] as number))) slot = i;
      }
      if (slot < 0) return;
      const batch = this.queue.shift() as Batch;
      batch.startAt = Math.max(batch.readyAt, this.freeAt[slot] as number);
      if (!this.hooks.onStart(batch)) continue;
      this.start(batch, slot);
    }
  }

  private start(batch: Batch, slot: number): void {
    const rate = this.hooks.rate();
    const rows = batch.to - batch.next;
    const duration = rate !== undefined && rate > 0 ? (rows / rate) * 1000 : 0;
    const limit = this.hooks.timeLimitMs();
    batch.slot = slot;
    batch.attempts += 1;
    batch.timedOut = duration > limit;
    batch.endAt = batch.startAt + (batch.timedOut ? limit : duration);
    this.running[slot] = batch;
    this.schedule(batch, 0);
  }

  private schedule(batch: Batch, delayMs: number): void {
    if (delayMs > 0) batch.timer = setTimeout(() => this.tick(batch), delayMs);
    else batch.immediate = setImmediate(() => this.tick(batch));
  }

  private tick(batch: Batch): void {
    batch.timer = undefined;
    batch.immediate = undefined;
    const now = Date.now();
    if (batch.timedOut) {
      // A timed-out attempt commits nothing; it holds its slot until the limit, then goes back to the queue.
      if (now < batch.endAt) return this.schedule(batch, batch.endAt - now);
      this.release(batch.slot, batch.endAt);
      this.hooks.onTimeout(batch);
      this.pump();
      return;
    }
    const rate = this.hooks.rate();
    const limited = rate !== undefined && rate > 0;
    const due = !limited || now >= batch.endAt ? batch.to : Math.min(batch.to, batch.from + Math.floor(((now - batch.startAt) * rate) / 1000));
    const upTo = Math.min(due, batch.next + SLICE);
    if (upTo > batch.next && !this.hooks.processRows(batch, upTo - batch.next)) return;
    if (batch.next >= batch.to) {
      if (now < batch.endAt) return this.schedule(batch, batch.endAt - now);
      this.release(batch.slot, batch.endAt);
      this.hooks.onDone(batch);
      this.pump();
      return;
    }
    const wait = batch.next < due ? 0 : Math.min(limited ? Math.min(100, Math.max(5, Math.ceil(1000 / rate))) : 0, batch.endAt - now);
    this.schedule(batch, wait);
  }
}
