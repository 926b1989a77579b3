import { backoffWait, heldBehind, learnPace, mergePace, measuredRate, nextPollWait, noteEnd, type PollJob, type PollLimits, type PollPace } from '../../src/write/execute/poll-schedule';

const LIMITS = { minMs: 250, maxMs: 10_000 };

/** A job as Salesforce's processing model shows it: queued `queueMs`, then `processedAt(t)` rows until all `rows` are done. */
interface ModelJob {
  rows: number;
  queueMs: number;
  processedAt: (msSinceClose: number) => number;
}

const steady = (rows: number, queueMs: number, rowsPerS: number): ModelJob => ({
  rows,
  queueMs,
  processedAt: (t) => Math.min(rows, Math.max(0, Math.floor(((t - queueMs) * rowsPerS) / 1000))),
});

/** Polls `model` on the schedule until it is complete; the polls (times since close) and when it was done. */
function poll(model: ModelJob, pace: PollPace = {}, limits: PollLimits = LIMITS): { job: PollJob; polls: number[]; doneAt: number } {
  const job: PollJob = { closedAt: 0, rows: model.rows, samples: [], previousMs: 0 };
  let t = 0;
  let doneAt = Infinity;
  for (let i = 0; i < 10_000; i += 1) {
    const wait = nextPollWait(job, pace, limits);
    job.previousMs = wait;
    t += wait;
    const processed = model.processedAt(t);
    if (processed >= model.rows && doneAt === Infinity) doneAt = t;
    const complete = processed >= model.rows && t >= model.queueMs;
    job.samples.push({ at: t, state: complete ? 'JobComplete' : processed > 0 ? 'InProgress' : 'UploadComplete', processed });
    if (complete) break;
  }
  const firstDone = Math.ceil(Array.from({ length: 1_000_000 }, (_, ms) => ms).find((ms) => model.processedAt(ms) >= model.rows) ?? Infinity);
  return { job, polls: job.samples.map((s) => s.at), doneAt: firstDone };
}

const afterStart = (polls: number[], queueMs: number) => polls.filter((t) => t > queueMs).length;

describe('nextPollWait', () => {
  test('while queued: the first wait is pollInitialMs, then a ×1.5 backoff, each wait at most max(1 s, half the time polled)', () => {
    const { polls } = poll(steady(10_000, 5_000, 2_000));
    const waits = polls.map((t, i) => t - (polls[i - 1] ?? 0));
    expect(waits.slice(0, 7)).toEqual([250, 375, 563, 845, 1016, 1524, 2286]);
  });

  test('once processing: the next poll is when the rows left are done at the measured rate (3 polls after the start, more only past pollMaxMs)', () => {
    for (const [rows, queue, rate] of [
      [10_000, 1_500, 2_000],
      [100_000, 1_500, 20_000],
      [100_000, 1_500, 4_000],
      [50_000, 3_000, 10_000],
      [20_000, 200, 1_000],
    ] as const) {
      const { polls, doneAt } = poll(steady(rows, queue, rate));
      const noticedAt = polls[polls.length - 1] as number;
      expect(afterStart(polls, queue)).toBeLessThanOrEqual(2 + Math.ceil((doneAt - queue) / LIMITS.maxMs));
      // Noticed at most 5 % + 100 ms (and the poll granularity) after it was done, never before.
      expect(noticedAt).toBeGreaterThanOrEqual(doneAt);
      expect(noticedAt - doneAt).toBeLessThanOrEqual(0.05 * (doneAt - queue) + 100 + LIMITS.minMs);
    }
  });

  test('a job whose rate changes half-way (other jobs take the slots) is still noticed soon after it is done', () => {
    const model: ModelJob = { rows: 40_000, queueMs: 1_000, processedAt: (t) => Math.min(40_000, Math.max(0, t < 3_000 ? (t - 1_000) * 10 : 20_000 + (t - 3_000) * 2)) };
    const { polls, doneAt } = poll(model);
    const noticedAt = polls[polls.length - 1] as number;
    expect(doneAt).toBe(13_000);
    expect(noticedAt - doneAt).toBeLessThanOrEqual(1_000);
    expect(afterStart(polls, 1_000)).toBeLessThanOrEqual(5);
  });

  test('numberRecordsProcessed growing in 10,000-row steps (a batch at a time) still ends within pollMaxMs of done', () => {
    const model: ModelJob = { rows: 50_000, queueMs: 1_000, processedAt: (t) => Math.min(50_000, Math.max(0, Math.floor((t - 1_000) / 5_000) * 10_000)) };
    const { polls, doneAt } = poll(model);
    expect(doneAt).toBe(26_000);
    expect((polls[polls.length - 1] as number) - doneAt).toBeLessThanOrEqual(LIMITS.maxMs);
  });

  test('once the sync knows the queue delay and a batch’s rate (from its first job), the next job is polled once, when the org model says it is done', () => {
    const first = poll(steady(10_000, 1_500, 2_000));
    const pace = learnPace(first.job);
    expect(pace.queueMs).toBeGreaterThan(1_400);
    expect(pace.queueMs).toBeLessThanOrEqual(1_600);
    expect(pace.batchRowsPerS).toBeCloseTo(2_000, -1);
    // A job of 3 batches (run side by side): queue + 10,000 rows at one batch's rate = 6.5 s, +2 % +100 ms.
    const second = poll(steady(30_000, 1_500, 6_000), pace);
    expect(second.polls).toEqual([6_730]);
    expect(first.polls.length).toBeGreaterThan(3);
    // Its only poll found it done: nothing new learned, the pace stays.
    expect(learnPace(second.job)).toEqual({});
  });

  test('every wait stays between the limits; a job that never moves is polled every pollMaxMs', () => {
    const { polls } = poll({ rows: 10, queueMs: 3_600_000, processedAt: (t) => (t > 3_600_000 ? 10 : 0) });
    const waits = polls.map((t, i) => t - (polls[i - 1] ?? 0));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(250);
    expect(Math.max(...waits)).toBe(10_000);
    expect(polls.length).toBeLessThan(400);
    expect(nextPollWait({ closedAt: 0, rows: 1e9, previousMs: 0, samples: [{ at: 1, state: 'InProgress', processed: 1 }, { at: 2, state: 'InProgress', processed: 2 }] }, {}, { minMs: 5, maxMs: 7 })).toBe(7);
  });
});

describe('heldBehind', () => {
  test('a job waits for the next poll of a job closed before it that was still queued (first come first served), not after it', () => {
    const first: PollJob = { id: 'J1', closedAt: 0, rows: 10_000, samples: [{ at: 250, state: 'UploadComplete', processed: 0 }], previousMs: 375, nextAt: 625 };
    const second: PollJob = { id: 'J2', closedAt: 100, rows: 20_000, samples: [], previousMs: 250 };
    const pace: PollPace = { jobs: new Map([['J1', first], ['J2', second]]) };
    expect(heldBehind(second, pace, 350, 10_000)).toBe(625 + 50 - 350);
    expect(heldBehind(second, pace, 350, 400)).toBe(100 + 400 - 350); // never past maxMs after its own latest poll (here its close)
    expect(heldBehind(second, pace, 700, 10_000)).toBe(0); // past J1's poll: look
    expect(heldBehind(first, pace, 350, 10_000)).toBe(0); // a job closed later never holds an earlier one
    first.samples.push({ at: 625, state: 'InProgress', processed: 1_000 });
    first.nextAt = 2_000;
    expect(heldBehind(second, pace, 700, 10_000)).toBe(0); // J1 is processing: J2 may be too
    first.samples.push({ at: 2_000, state: 'UploadComplete', processed: 0 });
    second.samples.push({ at: 900, state: 'InProgress', processed: 10 });
    expect(heldBehind(second, pace, 950, 10_000)).toBe(0); // J2 itself showed processing
    const twin: PollJob = { id: 'J3', closedAt: 0, rows: 1, samples: [{ at: 250, state: 'UploadComplete', processed: 0 }], previousMs: 250, nextAt: 900 };
    const sameClose: PollPace = { jobs: new Map([['J1', { ...first, samples: [{ at: 250, state: 'UploadComplete', processed: 0 }] }], ['J3', twin]]) };
    expect(heldBehind(twin, sameClose, 300, 10_000)).toBe(0); // closed at the same moment: neither holds the other
  });

  test('an org that runs a later job first (not first come first served): its end is still seen within maxMs', () => {
    const first: PollJob = { id: 'J1', closedAt: 0, rows: 10_000, samples: [{ at: 60_000, state: 'UploadComplete', processed: 0 }], previousMs: 10_000, nextAt: 70_000 };
    const second: PollJob = { id: 'J2', closedAt: 100, rows: 10_000, samples: [{ at: 59_000, state: 'UploadComplete', processed: 0 }], previousMs: 10_000 };
    const pace: PollPace = { jobs: new Map([['J1', first], ['J2', second]]) };
    // J1 sits in the queue for minutes; J2 (done meanwhile) looks at most maxMs after its own latest poll.
    expect(heldBehind(second, pace, 62_000, 10_000)).toBe(59_000 + 10_000 - 62_000);
    expect(heldBehind(second, pace, 69_000, 10_000)).toBe(0);
  });
});

describe('backoffWait and measuredRate', () => {
  test('backoff: ×1.5, at most max(1 s, 50 % of the time polled) and maxMs', () => {
    expect(backoffWait(5_000, 10_000, 10_000)).toBe(5_000);
    expect(backoffWait(500, 1_000, 10_000)).toBe(750);
    expect(backoffWait(900, 1_000, 10_000)).toBe(1_000);
    expect(backoffWait(2_000, 20_000, 10_000)).toBe(3_000);
    expect(backoffWait(9_000, 120_000, 500)).toBe(500);
  });

  test('rate: growth between the last two polls, else from the first poll that showed rows processed; none without growth', () => {
    expect(measuredRate([{ at: 1_000, state: 'InProgress', processed: 500 }, { at: 2_000, state: 'InProgress', processed: 2_500 }, { at: 3_000, state: 'InProgress', processed: 2_500 }])).toBe(1_000);
    expect(measuredRate([{ at: 0, state: 'UploadComplete', processed: 0 }, { at: 1_000, state: 'InProgress', processed: 500 }, { at: 3_000, state: 'InProgress', processed: 4_500 }])).toBe(2_000);
    expect(measuredRate([{ at: 1_000, state: 'InProgress', processed: 500 }])).toBeUndefined();
    expect(measuredRate([{ at: 1_000, state: 'InProgress', processed: 500 }, { at: 2_000, state: 'InProgress', processed: 500 }])).toBeUndefined();
  });
});

describe('a job queued behind the sync\'s other jobs', () => {
  test('after the queue delay it waits for the soonest predicted end of the jobs processing, not a backoff', () => {
    // Another job of the sync is processing and should be done 20 s after this one's close; this one starts then.
    const pace: PollPace = { queueMs: 1500, ends: new Map([['750other', 20_000]]) };
    const model = steady(10_000, 20_000, 2_000);
    const { polls } = poll(model, pace);
    const queuedPolls = polls.filter((t) => t < 20_000);
    expect(queuedPolls[0]).toBe(1500);
    // Without the other job's end: the backoff polls 6 times while queued; with it, 3 (1.5 s, then ≤ 10 s steps).
    expect(queuedPolls.length).toBeLessThanOrEqual(3);
    expect(poll(model, { queueMs: 1500 }).polls.filter((t) => t < 20_000).length).toBeGreaterThanOrEqual(5);
  });

  test('noteEnd records a processing job\'s predicted end from its measured rate and forgets it when finished', () => {
    const pace: PollPace = {};
    const job: PollJob = { closedAt: 0, rows: 20_000, samples: [{ at: 2000, state: 'InProgress', processed: 2000 }, { at: 3000, state: 'InProgress', processed: 4000 }], previousMs: 1000 };
    noteEnd(pace, '750A', job, false);
    expect(pace.ends?.get('750A')).toBe(3000 + (16_000 * 1000) / 2000);
    noteEnd(pace, '750A', job, true);
    expect(pace.ends?.has('750A')).toBe(false);
  });
});

test('with predictedMaxMs a long job is polled about once after its rate is measured, and its end is still seen soon', () => {
  const model = steady(100_000, 1500, 4_000); // 25 s of processing
  const capped = poll(model, {}, LIMITS);
  const longer = poll(model, {}, { ...LIMITS, predictedMaxMs: 30_000 });
  expect(afterStart(longer.polls, 1500)).toBeLessThan(afterStart(capped.polls, 1500));
  expect(afterStart(longer.polls, 1500)).toBeLessThanOrEqual(4);
  const seen = longer.polls[longer.polls.length - 1] as number;
  expect(seen - longer.doneAt).toBeLessThan(0.1 * 25_000 + 1000);
});

test('a processing job looks again just after another job of the sync should end (freed slots may speed it up)', () => {
  // 40,000 rows at 1,000 rows/s until the other job ends at 10 s, then 4,000 rows/s: done at 17.5 s.
  const model: ModelJob = { rows: 40_000, queueMs: 0, processedAt: (t) => Math.min(40_000, Math.floor(t <= 10_000 ? t : 10_000 + (t - 10_000) * 4)) };
  const limits: PollLimits = { ...LIMITS, predictedMaxMs: 30_000 };
  const late = (pace: PollPace) => {
    const { polls, doneAt } = poll(model, pace, limits);
    return (polls[polls.length - 1] as number) - doneAt;
  };
  expect(late({})).toBeGreaterThan(10_000); // the rate measured early predicts 40 s
  expect(late({ ends: new Map([['750other', 10_000]]) })).toBeLessThan(5_000);
});

test('mergePace keeps the highest rate per batch seen (a job waiting for slots shows less) and the latest queue delay', () => {
  const pace: PollPace = {};
  mergePace(pace, { queueMs: 1500, batchRowsPerS: 1000 }); // a one-batch job: the real rate
  mergePace(pace, { queueMs: 1400, batchRowsPerS: 400 }); // ten batches on four slots
  expect(pace).toEqual({ queueMs: 1400, batchRowsPerS: 1000 });
  mergePace(pace, {});
  expect(pace).toEqual({ queueMs: 1400, batchRowsPerS: 1000 });
});

test('a queued job is not polled before its close + the queue delay (before any job showed processing: the longest any was seen queued)', () => {
  const queued: PollJob = { closedAt: 0, rows: 10_000, previousMs: 250, samples: [{ at: 250, state: 'UploadComplete', processed: 0 }] };
  // The blind backoff would wait 375 ms; the queue delay says 1.5 s after close: 1,250 ms more (+5 % +100 ms).
  expect(nextPollWait(queued, { queueMs: 1500 }, LIMITS)).toBe(1413);
  expect(nextPollWait(queued, {}, LIMITS)).toBe(375);
  // The sync's first job was still queued 1.2 s after its close: a job closed since waits at least as long.
  const first: PollJob = { closedAt: 0, rows: 10_000, previousMs: 563, samples: [{ at: 1200, state: 'UploadComplete', processed: 0 }] };
  const next: PollJob = { closedAt: 1000, rows: 20_000, previousMs: 0, samples: [] };
  expect(nextPollWait(next, { jobs: new Map([['750a', first], ['750b', next]]) }, LIMITS)).toBe(1200);
});
