import { minSeq, rejectionText } from '../../src/write/settle/rejections';
import { overdueStreams } from '../../src/write/settle/state-delay';

describe('rejections helpers', () => {
  test('minSeq handles more rows than a spread could pass as arguments', () => {
    const rows = Array.from({ length: 500_000 }, (_, i) => ({ seq: 1_000_000 - i }));
    expect(minSeq(rows)).toBe(500_001);
    expect(minSeq([])).toBe(Infinity);
  });

  test('rejectionText counts rows per code with their fields', () => {
    const rows = [
      { code: 'A', fields: ['X'] },
      { code: 'A', fields: ['Y', 'X'] },
      { code: 'B', fields: [] },
    ];
    expect(rejectionText({ key: 's', object: 'Account', operation: 'insert' }, rows, 'nowhere')).toBe(
      '3 row(s) of stream s were rejected by Account (insert): 2 with A (fields: X, Y); 1 with B. ' +
        'allow_failures is false, so the sync stopped; the rejected rows are in nowhere.',
    );
  });
});

describe('overdueStreams (max_state_delay_seconds)', () => {
  test('nothing before the oldest waiting STATE has waited the delay; then the streams holding rows read before it', () => {
    const waiting = { receivedAt: 1000, seq: 50, stream: 'a' };
    expect(overdueStreams(waiting, 5999, 5000)).toBeUndefined();
    expect(overdueStreams(undefined, 99_999, 5000)).toBeUndefined();
    const overdue = overdueStreams(waiting, 6000, 5000);
    expect(overdue?.('a', 49)).toBe(true);
    expect(overdue?.('a', 50)).toBe(false); // read after the STATE
    expect(overdue?.('b', 1)).toBe(false); // another stream's STATE
    expect(overdue?.('a', undefined)).toBe(false); // nothing open
    expect(overdueStreams({ receivedAt: 0, seq: 10 }, 6000, 5000)?.('b', 3)).toBe(true); // a global STATE
  });
});
