import { nextPollWait } from '../../src/write/execute/poll-schedule';

/** The waits of a job polled until `doneAfterMs` (the sum of the waits before the poll that sees it done). */
function schedule(doneAfterMs: number, initial = 250, max = 10_000): number[] {
  const waits: number[] = [];
  let polled = 0;
  let wait = initial;
  while (polled < doneAfterMs) {
    waits.push(wait);
    polled += wait;
    wait = nextPollWait(wait, polled, max);
  }
  return waits;
}

describe('nextPollWait', () => {
  test('grows ×1.5 from the first wait, capped at 1 s while the job is young', () => {
    expect(schedule(5_000).slice(0, 7)).toEqual([250, 375, 563, 845, 1000, 1000, 1000]);
  });

  test('caps each wait at 20 % of the time polled so far once that is over 1 s, and at pollMaxMs', () => {
    expect(nextPollWait(5_000, 10_000, 10_000)).toBe(2_000);
    expect(nextPollWait(2_000, 20_000, 10_000)).toBe(3_000);
    expect(nextPollWait(9_000, 120_000, 10_000)).toBe(10_000);
    expect(nextPollWait(9_000, 120_000, 500)).toBe(500);
  });

  test('a job finishing at t is noticed within max(1 s, 20 % of t) of finishing', () => {
    for (const t of [300, 1_000, 2_300, 4_000, 7_500, 15_000, 40_000, 90_000]) {
      const waits = schedule(t);
      const noticedAt = waits.reduce((a, b) => a + b, 0);
      expect(noticedAt - t).toBeLessThanOrEqual(Math.max(1_000, 0.2 * noticedAt));
    }
  });

  test('long jobs are not polled wastefully: a 1-hour job takes under 400 polls (every 10 s at most)', () => {
    const waits = schedule(3_600_000);
    expect(waits.length).toBeLessThan(400);
    expect(Math.max(...waits)).toBe(10_000);
  });
});
