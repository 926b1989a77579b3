import { batchRate, estimateStart, fitSlots, type PollSample, predictEnd, predictShiftedEnd, type SeenJob } from '../../src/write/execute/org-model';

const ip = (at: number, processed: number): PollSample => ({ at, state: 'InProgress', processed });
const queued = (at: number): PollSample => ({ at, state: 'UploadComplete', processed: 0 });
const complete = (at: number, processed: number): PollSample => ({ at, state: 'JobComplete', processed });

describe('estimateStart', () => {
  test('the first poll showing rows, less those rows at the rate up to the next poll, not before the last poll that showed none', () => {
    expect(estimateStart({ closedAt: 0, rows: 10_000, samples: [queued(1_000), ip(2_000, 500), ip(3_000, 1_500)] })).toBe(1_500);
    expect(estimateStart({ closedAt: 0, rows: 10_000, samples: [queued(1_800), ip(2_000, 500), ip(3_000, 1_500)] })).toBe(1_800);
  });

  test('without a rate (the next poll found it done, or none yet): half-way; nothing when no poll showed it queued or processing', () => {
    expect(estimateStart({ closedAt: 0, rows: 1_000, samples: [queued(1_000), ip(2_000, 500), complete(3_000, 1_000)] })).toBe(1_500);
    expect(estimateStart({ closedAt: 0, rows: 1_000, samples: [queued(1_000), ip(2_000, 500)] })).toBe(1_500);
    expect(estimateStart({ closedAt: 0, rows: 1_000, samples: [ip(2_000, 500)] })).toBeUndefined();
    expect(estimateStart({ closedAt: 0, rows: 1_000, samples: [queued(2_000)] })).toBeUndefined();
  });
});

test('batchRate: growth from the first poll showing rows to the latest still processing, per batch of the job', () => {
  // Two polls 1 s apart with the first count a little behind say 1,200 rows/s; the longest span says 1,025.
  const job: SeenJob = { closedAt: 0, rows: 10_000, samples: [queued(1_000), ip(3_000, 800), ip(4_000, 2_000), ip(11_000, 9_000), complete(12_000, 10_000)] };
  expect(batchRate(job)).toBe(1_025);
  expect(batchRate({ closedAt: 0, rows: 40_000, samples: [ip(2_000, 4_000), ip(4_000, 20_000)] })).toBe(2_000);
  expect(batchRate({ closedAt: 0, rows: 10_000, samples: [ip(2_000, 4_000), complete(4_000, 10_000)] })).toBeUndefined();
});

describe('fitSlots', () => {
  // Queue 1.5 s, 1,000 rows/s per batch. J1 (1 batch) from 1.5 s, J2 (2 batches) from 2 s; J3 (4 batches) ready at 3.5 s.
  const j1: SeenJob = { closedAt: 0, rows: 10_000, samples: [ip(4_000, 2_500)] };
  const j2: SeenJob = { closedAt: 500, rows: 20_000, samples: [ip(4_000, 4_000)] };

  test('polls showing a job with fewer batches running than it has: the slots are taken (here 4)', () => {
    const j3: SeenJob = { closedAt: 2_000, rows: 40_000, samples: [ip(9_000, 5_500)] }; // one batch running since 3.5 s
    expect(fitSlots([j1, j2, j3], 1_500, 1_000)).toBe(4);
    const j3TwoRunning: SeenJob = { ...j3, samples: [ip(9_000, 11_000)] };
    expect(fitSlots([j1, j2, j3TwoRunning], 1_500, 1_000)).toBe(5);
  });

  test('a poll within half its slack of the model (slack: 1 s + 10 % of the time since close; counters lag on a busy org) does not take slots away', () => {
    // At 4 s one batch shows 500 rows; four batches would show that 0.375 s earlier, within half the 1.2 s slack.
    const j3: SeenJob = { closedAt: 2_000, rows: 40_000, samples: [ip(4_000, 500)] };
    expect(fitSlots([j1, j2, j3], 1_500, 1_000)).toBe(7);
  });

  test('no poll shows a batch waiting: as many slots as the jobs have batches (an end predicted too early costs one poll, too late the sync waits)', () => {
    const j3: SeenJob = { closedAt: 2_000, rows: 40_000, samples: [ip(5_000, 6_000)] }; // all 4 running
    expect(fitSlots([j1, j2, j3], 1_500, 1_000)).toBe(7);
    expect(fitSlots([j1, j2, { ...j3, samples: [] }], 1_500, 1_000)).toBe(7);
  });
});

describe('predictEnd', () => {
  const p = { queueMs: 1_500, batchRowsPerS: 1_000, slots: 4 };

  test('every job’s batches on the slots in close order: a job waits for the batches of the jobs closed before it', () => {
    const jobs: SeenJob[] = [
      { closedAt: 0, rows: 10_000, samples: [] }, // 1.5–11.5 s
      { closedAt: 500, rows: 20_000, samples: [] }, // 2–12 s on 2 slots
      { closedAt: 2_000, rows: 40_000, samples: [] }, // 3.5–13.5 s, then 3 batches from 11.5, 12, 12 s
      { closedAt: 4_000, rows: 15_000, samples: [] }, // after J3's batches: from 13.5 s and 21.5 s
    ];
    expect([0, 1, 2, 3].map((i) => predictEnd(jobs, i, p)?.end)).toEqual([11_500, 12_000, 22_000, 26_500]);
  });

  test('a job seen done frees its slots then; how far a job’s latest poll was behind or ahead of the model', () => {
    const early: SeenJob = { closedAt: 0, rows: 10_000, samples: [complete(6_000, 10_000)] };
    const next: SeenJob = { closedAt: 500, rows: 40_000, samples: [] };
    // Three batches of `next` run from 2 s; its fourth starts when `early` was seen done (6 s), not at 11.5 s.
    expect(predictEnd([early, next], 1, p)).toEqual({ end: 16_000, late: [] });
    expect(predictEnd([early, next], 0, p)).toEqual({ end: 6_000, late: [] });
    // Polled at 7 s with 12,000 rows done (the model says 16,000 at 7 s, 12,000 at 6 s): 1 s late.
    const behind: SeenJob = { ...next, samples: [ip(7_000, 12_000)] };
    expect(predictEnd([early, behind], 1, p)?.late[0]?.ms).toBeCloseTo(1_000, -1);
    expect(predictEnd([early, { ...next, samples: [ip(7_000, 19_000)] }], 1, p)?.late[0]?.ms).toBeCloseTo(-750, -1);
    // Still queued 1 s after the model's start: 1 s late.
    expect(predictEnd([early, { ...next, samples: [queued(3_000)] }], 1, p)?.late).toEqual([{ at: 3_000, ms: 1_000 }]);
  });
});

describe('predictShiftedEnd', () => {
  test('of the slot counts that explain the polls, the one that says the job ends soonest (a 10-slot org is also explained by 12)', () => {
    // Org A (queue 1.5 s, 10 slots × 2,000 rows/s): 1 + 3 + 6 batches fill the slots, the 100,000-row job takes them as they free.
    const jobs: SeenJob[] = [
      { closedAt: 350, rows: 10_000, samples: [queued(600), queued(975), queued(1_538), ip(2_383, 1_066), ip(3_399, 3_098), complete(7_019, 10_000)] },
      { closedAt: 780, rows: 30_000, samples: [ip(2_433, 918), ip(2_808, 3_168), complete(7_469, 30_000)] },
      { closedAt: 1_580, rows: 60_000, samples: [queued(2_768), ip(3_768, 8_256), complete(8_266, 60_000)] },
      { closedAt: 2_500, rows: 100_000, samples: [queued(4_111), ip(9_311, 31_860)] },
    ];
    expect(fitSlots(jobs, 1_500, 2_000)).toBe(12);
    // Under 12 slots its batches would have started earlier, so the poll at 9.3 s looks 0.8 s late, yet its last
    // batches still start at 8.08 s: shifting that end would say 13.9 s. Salesforce finishes it at 13.08 s.
    expect(predictShiftedEnd(jobs, 3, 1_500, 2_000)).toBeCloseTo(13_080, -1);
  });
});
