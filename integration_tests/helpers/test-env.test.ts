/** The handles test-env.ts returns: usable before the instance exists, read from it once it does. */
import { lateBound, useFakeSalesforce } from './test-env';

test('lateBound throws before the instance exists, then forwards reads, writes and method calls to it', () => {
  let current: { n: number; inc(): number } | undefined;
  const handle = lateBound('the counter', () => current);
  expect(() => handle.n).toThrow('the counter is used before its beforeAll hook started it');
  current = { n: 1, inc() { this.n += 1; return this.n; } };
  const { inc } = handle; // detached: still bound to the instance
  expect(inc()).toBe(2);
  handle.n = 10;
  expect(current.n).toBe(10);
  expect('inc' in handle).toBe(true);
  current = { n: 7, inc: () => 0 };
  expect(handle.n).toBe(7); // always the current instance
});

describe('useFakeSalesforce', () => {
  const fake = useFakeSalesforce();
  test('starts the stand-in before the tests and resets its org before each', () => {
    expect(fake.records('Account')).toEqual([]);
    fake.seed('Account', [{ Name: 'left behind' }]);
    expect(fake.records('Account')).toHaveLength(1);
  });
  test('the next test starts from an empty org', () => {
    expect(fake.records('Account')).toEqual([]);
  });
});
