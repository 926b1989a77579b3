import { alignRows } from '../../src/write/csv-chunker';
import { keyColumn, splitIntoWaves as splitRows } from '../../src/write/key-waves';

/** The rows as the chunker keeps them: arrays aligned to the union of their columns. */
function splitIntoWaves(objects: Array<Record<string, string>>, column: string | undefined): number[][] {
  const columns = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  return splitRows(alignRows(columns, objects), columns, column);
}

describe('splitIntoWaves', () => {
  test('insert has no key: one wave with every row', () => {
    expect(splitIntoWaves([{ Name: 'a' }, { Name: 'a' }], keyColumn('insert', undefined))).toEqual([[0, 1]]);
  });

  test('no duplicates: one wave', () => {
    const rows = [{ Ext__c: 'A' }, { Ext__c: 'B' }, { Ext__c: 'C' }];
    expect(splitIntoWaves(rows, keyColumn('upsert', 'Ext__c'))).toEqual([[0, 1, 2]]);
  });

  test('the n-th occurrence of an external id goes to wave n, case-insensitively, in input order', () => {
    const rows = [{ Ext__c: 'A' }, { Ext__c: 'b' }, { Ext__c: 'a' }, { Ext__c: 'B' }, { Ext__c: 'A' }, { Ext__c: 'C' }];
    expect(splitIntoWaves(rows, 'Ext__c')).toEqual([[0, 1, 5], [2, 3], [4]]);
  });

  test('15- and 18-character forms of one record id are the same key; ids are case-sensitive', () => {
    const rows = [{ Id: '001Hs000000AbCdEAA' }, { Id: '001Hs000000AbCd' }, { Id: '001HS000000ABCD' }];
    expect(splitIntoWaves(rows, keyColumn('update', undefined))).toEqual([[0, 2], [1]]);
  });

  test('rows without a key value stay in the first wave', () => {
    expect(splitIntoWaves([{ Ext__c: '' }, { Ext__c: '' }, { Ext__c: '#N/A' }, {}], 'Ext__c')).toEqual([[0, 1, 2, 3]]);
  });

  test('a key column that is not among the chunk columns: one wave', () => {
    expect(splitRows([['a'], ['a']], ['Name'], 'Ext__c')).toEqual([[0, 1]]);
  });
});
