/**
 * How long to wait before the next poll of an ingest job's state (pure).
 *
 * The wait grows ×1.5 from the first one, but never beyond the larger of `floorMs` (1 s) and
 * `fraction` (20 %) of the time the job has been polled so far, nor beyond `maxMs`. A short job is
 * noticed within about a second of finishing (a slot is not kept busy for nothing), and a long one
 * is polled about five times per doubling of its run time, not every second.
 */
export interface PollCap {
  floorMs: number;
  fraction: number;
}

export const DEFAULT_POLL_CAP: PollCap = { floorMs: 1000, fraction: 0.2 };

/** The wait after one of `previousMs`, when the job has been polled for `polledMs`. */
export function nextPollWait(previousMs: number, polledMs: number, maxMs: number, cap: PollCap = DEFAULT_POLL_CAP): number {
  const elapsedCap = Math.max(cap.floorMs, Math.floor(polledMs * cap.fraction));
  return Math.max(1, Math.min(Math.ceil(previousMs * 1.5), elapsedCap, maxMs));
}
