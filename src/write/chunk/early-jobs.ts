/**
 * When a stream's open chunk goes as a job before it is full (pure): so Salesforce works while stdin is
 * still read, with jobs of whole internal batches (BENCHMARKS.md "Job sizes and polls").
 *
 * - Salesforce processes a job in internal batches of 10,000 rows, each one of the org's daily batches: an
 *   early job is a multiple of 10,000 rows, never less (only the input's end, a stream's end or a checkpoint
 *   deadline cut a smaller job, elsewhere).
 * - The first early job goes at 10,000 rows, the next at 20,000, then every 40,000 (4 batches): 3 early jobs
 *   keep 7–12 batches side by side in the org's slots; larger ones would only hold more rows in memory.
 * - Only while job slots are free but one: the slot kept free takes the chunk the input's end cuts, at once.
 *   When every other slot is busy the chunk keeps growing to the job limits (fewer, larger jobs).
 */
export const SALESFORCE_BATCH_ROWS = 10_000;
const MAX_EARLY_BATCHES = 4;

export class EarlyJobs {
  private nextRows = SALESFORCE_BATCH_ROWS;

  constructor(private readonly maxJobsInFlight: number) {}

  /** Whether a chunk of `rows` rows goes now, with `pending` chunks in flight or waiting for a slot. */
  due(rows: number, pending: number): boolean {
    if (rows < this.nextRows || rows % SALESFORCE_BATCH_ROWS !== 0) return false;
    if (pending >= Math.max(1, this.maxJobsInFlight - 1)) return false;
    this.nextRows = Math.min(this.nextRows * 2, MAX_EARLY_BATCHES * SALESFORCE_BATCH_ROWS);
    return true;
  }
}
