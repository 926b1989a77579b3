/**
 * When a stream's open chunk goes as a job before it is full (pure): so Salesforce works while stdin is
 * still read, with jobs of whole internal batches (BENCHMARKS.md "Job sizes and polls").
 *
 * - Salesforce processes a job in internal batches of 10,000 rows, each one of the org's daily batches: an
 *   early job is a multiple of 10,000 rows, never less (only the input's end, a stream's end or a checkpoint
 *   deadline cut a smaller job, elsewhere).
 * - The first early job goes at 10,000 rows (the org starts as soon as one batch is read), the next at
 *   30,000, then every 60,000: with the default 4 job slots, 3 early jobs put 10 batches side by side in the
 *   org's slots once 100,000 rows are read (10,000 → 20,000 → 40,000 put 7 there, and a 10-slot org waited
 *   for the next job: 1.36× its ideal instead of 1.30×, BENCHMARKS.md). Larger early jobs would hold more
 *   rows in flight (on disk, ~150 B of memory each) and delay the org's start.
 * - Only while job slots are free but one: the slot kept free takes the chunk the input's end cuts, at once.
 *   When every other slot is busy the chunk keeps growing to the job limits (fewer, larger jobs).
 */
export const SALESFORCE_BATCH_ROWS = 10_000;
const GROWTH = 3;
const MAX_EARLY_BATCHES = 6;

export class EarlyJobs {
  private nextRows = SALESFORCE_BATCH_ROWS;

  constructor(private readonly maxJobsInFlight: number) {}

  /** Whether a chunk of `rows` rows goes now, with `pending` chunks in flight or waiting for a slot. */
  due(rows: number, pending: number): boolean {
    if (rows < this.nextRows || rows % SALESFORCE_BATCH_ROWS !== 0) return false;
    if (pending >= Math.max(1, this.maxJobsInFlight - 1)) return false;
    this.nextRows = Math.min(this.nextRows * GROWTH, MAX_EARLY_BATCHES * SALESFORCE_BATCH_ROWS);
    return true;
  }
}
