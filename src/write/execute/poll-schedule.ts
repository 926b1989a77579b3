/**
 * How long to wait before the next poll of an ingest job's state (pure).
 *
 * The wait grows ×1.5 from the first one, but never beyond the larger of 1 s and
 * 20 % of the time the job has been polled so far, nor beyond `maxMs`. A short job is
 * noticed within about a second of finishing (a slot is not kept busy for nothing), and a long one
 * is polled about five times per doubling of its run time, not every second.
 */
const FLOOR_MS = 1000;
const FRACTION = 0.2;

/** The wait after one of `previousMs`, when the job has been polled for `polledMs`. */
export function nextPollWait(previousMs: number, polledMs: number, maxMs: number): number {
  const elapsedCap = Math.max(FLOOR_MS, Math.floor(polledMs * FRACTION));
  return Math.max(1, Math.min(Math.ceil(previousMs * 1.5), elapsedCap, maxMs));
}
