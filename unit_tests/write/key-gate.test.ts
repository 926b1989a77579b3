import { KeyGate } from '../../src/write/admit/key-gate';

const tick = () => new Promise((r) => setImmediate(r));

describe('KeyGate', () => {
  test('a chunk sharing a key with one in flight waits for its release; others pass at once', async () => {
    const gate = new KeyGate();
    const order: string[] = [];
    await gate.acquire('Account', new Set(['k1', 'k2']));
    const second = gate.acquire('Account', new Set(['k2'])).then(() => order.push('second'));
    const other = gate.acquire('Account', new Set(['k3'])).then(() => order.push('other'));
    const otherObject = gate.acquire('Contact', new Set(['k2'])).then(() => order.push('contact'));
    await tick();
    expect(order).toEqual(['other', 'contact']);
    gate.release('Account', new Set(['k1', 'k2']));
    await second;
    await Promise.all([other, otherObject]);
    expect(order).toEqual(['other', 'contact', 'second']);
  });

  test('inserts (no keys) never wait', async () => {
    const gate = new KeyGate();
    await gate.acquire('Account', new Set(['k']));
    let passed = false;
    await gate.acquire('Account', new Set()).then(() => (passed = true));
    expect(passed).toBe(true);
  });
});
