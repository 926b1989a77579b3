import { EarlyJobs } from '../../src/write/chunk/early-jobs';

describe('EarlyJobs', () => {
  test('whole Salesforce batches: 10,000 rows, then 30,000, then every 60,000; never between multiples of 10,000', () => {
    const early = new EarlyJobs(4);
    expect(early.due(9_999, 0)).toBe(false);
    expect(early.due(10_000, 0)).toBe(true);
    expect(early.due(10_000, 1)).toBe(false);
    expect(early.due(20_000, 1)).toBe(false);
    expect(early.due(25_000, 1)).toBe(false);
    expect(early.due(30_000, 1)).toBe(true);
    expect(early.due(50_000, 2)).toBe(false);
    expect(early.due(60_000, 2)).toBe(true);
    expect(early.due(60_000, 2)).toBe(true);
    expect(early.due(65_000, 0)).toBe(false);
    expect(early.due(90_000, 0)).toBe(true);
  });

  test('only while job slots are free but one (the last takes the chunk the input’s end cuts); one slot: only when none is busy', () => {
    const four = new EarlyJobs(4);
    expect(four.due(10_000, 3)).toBe(false);
    expect(four.due(10_000, 2)).toBe(true);
    const one = new EarlyJobs(1);
    expect(one.due(10_000, 1)).toBe(false);
    expect(one.due(10_000, 0)).toBe(true);
  });
});
