import { groupByParent, parentKey, parentOrder } from '../../src/write/chunk/parent-order';

describe('parent order (rows of one parent together at the cut)', () => {
  test('a parent key joins the lookup values with NUL, a missing one as empty, trailing empties left out', () => {
    expect(parentKey([], ['a'])).toBe('');
    expect(parentKey([2, 0], ['x', 'y', 'p'])).toBe('p\u0000x');
    expect(parentKey([0, 3], ['p'])).toBe('p');
    expect(parentKey([0, 1], ['', 'q'])).toBe('\u0000q');
  });

  test('rows are sorted by key, stably; an ascending list keeps its order', () => {
    expect(parentOrder(['b', 'a', 'b', '', 'a'])).toEqual([3, 1, 4, 0, 2]);
    expect(parentOrder(['', 'a', 'a', 'b'])).toEqual([0, 1, 2, 3]);
  });

  test('in memory: rows grouped by their parent columns; without parent columns the same array', () => {
    const rows = [{ cells: ['1', '001B'] }, { cells: ['2', '001A'] }, { cells: ['3', '001B'] }, { cells: ['4'] }];
    const isParent = (c: string) => c === 'AccountId';
    expect(groupByParent(['Name', 'AccountId'], rows, isParent).map((r) => r.cells[0])).toEqual(['4', '2', '1', '3']);
    expect(groupByParent(['Name', 'Other'], rows, isParent)).toBe(rows);
  });
});
