import { minSeq, rejectionText } from '../../src/write/settle/rejections';

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
