import { EarlyJobs } from '../../src/write/chunk/early-jobs';

describe('EarlyJobs', () => {
  test('whole Salesforce batches: 10,000 rows, then 20,000, then every 40,000; never between multiples of 10,000', () => {
    const early = new EarlyJobs(4);
    expect(early.due(9_999, 0)).toBe(false);
    expect(early.due(10_000, 0)).toBe(true);
    expect(early.due(10_000, 1)).toBe(false);
    expect(early.due(15_000, 1)).toBe(false);
    expect(early.due(20_000, 1)).toBe(true);
    expect(early.due(30_000, 2)).toBe(false);
    expect(early.due(40_000, 2)).toBe(true);
    expect(early.due(40_000, 2)).toBe(true);
    expect(early.due(45_000, 0)).toBe(false);
    expect(early.due(80_000, 0)).toBe(true);
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
