import { makespanS, type OrgModel } from '../../benchmarks/modeled-org';

const ORG_A: OrgModel = { name: 'A', queueMs: 1500, slots: 10, batchRowsPerS: 2000 };
const ORG_B: OrgModel = { name: 'B', queueMs: 1500, slots: 4, batchRowsPerS: 1000 };

test('reading free: every slot busy from the start (20 batches of 5 s on 10 slots; of 10 s on 4 slots; a short last batch)', () => {
  expect(makespanS(200_000, ORG_A)).toBe(10);
  expect(makespanS(200_000, ORG_B)).toBe(50);
  expect(makespanS(25_000, { name: 's', queueMs: 0, slots: 2, batchRowsPerS: 10_000 })).toBe(1.5);
});

test('no batch starts before its rows could be there: the 10th batch of org A read at 0.5 s ends the second wave at 10.5 s', () => {
  const readyS = Array.from({ length: 20 }, (_, k) => 0.05 * (k + 1));
  expect(makespanS(200_000, ORG_A, readyS)).toBeCloseTo(10.5, 9);
  // Org B's 4 slots stay busy long after the input is read: only its 4th batch's reading (0.2 s) counts.
  expect(makespanS(200_000, ORG_B, readyS)).toBeCloseTo(50.2, 9);
});
