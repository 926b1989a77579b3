import { keyColumn, splitIntoWaves } from '../../src/write/key-waves';

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
});
