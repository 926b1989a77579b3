import { ByteBudget } from '../../src/write/chunk/byte-budget';

describe('ByteBudget', () => {
  it('names nothing below the budget', () => {
    const b = new ByteBudget<string>(100);
    expect(b.update('a', 40)).toBeUndefined();
    expect(b.update('b', 59)).toBeUndefined();
    expect(b.heldBytes).toBe(99);
  });

  it('names the largest open chunk once the total reaches the budget, whichever stream grew', () => {
    const b = new ByteBudget<string>(100);
    b.update('a', 60);
    b.update('b', 30);
    expect(b.update('c', 10)).toBe('a');
  });

  it('counts a chunk by its latest size, not the sum of its updates', () => {
    const b = new ByteBudget<string>(100);
    b.update('a', 50);
    b.update('a', 70);
    expect(b.heldBytes).toBe(70);
    expect(b.update('a', 99)).toBeUndefined();
    expect(b.update('b', 1)).toBe('a');
  });

  it('never names a chunk alone: one stream is cut by the job limits only', () => {
    const b = new ByteBudget<string>(100);
    expect(b.update('a', 150)).toBeUndefined();
    b.update('b', 0);
    expect(b.update('a', 160)).toBeUndefined();
    expect(b.update('b', 1)).toBe('a');
  });

  it('frees a released chunk', () => {
    const b = new ByteBudget<string>(100);
    b.update('a', 80);
    expect(b.update('b', 30)).toBe('a');
    b.release('a');
    expect(b.heldBytes).toBe(30);
    expect(b.update('b', 31)).toBeUndefined();
    b.release('unknown');
    expect(b.heldBytes).toBe(31);
  });

  it('refuses a budget that is not positive', () => {
    expect(() => new ByteBudget(0)).toThrow('maxBytes must be > 0');
  });
});
