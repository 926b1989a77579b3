import { newCells, RecordMapper } from '../../src/write/map/record-mapper';
import { ACCOUNT, CONTACT, plan } from './describe-fixtures';

function mapper(p = plan(ACCOUNT)) {
  const warnings: string[] = [];
  return { m: new RecordMapper(p, (w) => warnings.push(w)), warnings };
}

describe('RecordMapper', () => {
  test('names match describe case-insensitively and are written as describe spells them', () => {
    const { m } = mapper();
    expect(m.map({ name: 'Acme', NUMBEROFEMPLOYEES: 12 })).toEqual({ ok: true, cells: { Name: 'Acme', NumberOfEmployees: '12' } });
  });

  test('null clears (#N/A), absent stays absent', () => {
    const { m } = mapper();
    expect(m.map({ Name: 'A', Description: null })).toEqual({ ok: true, cells: { Name: 'A', Description: '#N/A' } });
  });

  test('"" clears a field that can be empty; not a required field, a checkbox or the record key', () => {
    const { m } = mapper(plan(ACCOUNT, { operation: 'upsert', externalIdFieldName: 'Ext_Id__c' }));
    expect(m.map({ Ext_Id__c: 'k', Name: '', Description: '', NumberOfEmployees: '', Founded__c: '' })).toEqual({
      ok: true, cells: { Ext_Id__c: 'k', Name: '', Description: '#N/A', NumberOfEmployees: '#N/A', Founded__c: '#N/A' },
    });
  });

  test('any field name works: constructor, __proto__, toString (in data and in column_mapping)', () => {
    const { m } = mapper(plan(ACCOUNT, { columnMapping: JSON.parse('{"constructor":"Description","__proto__":"Ext_Id__c"}') as Record<string, string> }));
    const data = JSON.parse('{"Name":"A","constructor":"c","__proto__":"p","toString":"t","hasOwnProperty":"h"}') as Record<string, unknown>;
    const r = m.map(data);
    expect(r).toMatchObject({ ok: true });
    const cells = (r as { cells: Record<string, string> }).cells;
    expect({ ...cells }).toEqual({ Name: 'A', Description: 'c', Ext_Id__c: 'p' });
    // Nothing inherited: a column may be named like any Object.prototype member and is then an own key.
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__']) expect(name in cells).toBe(false);
    const fresh = newCells();
    fresh['__proto__'] = 'x';
    fresh['constructor'] = 'y';
    expect(Object.keys(fresh)).toEqual(['__proto__', 'constructor']);
  });

  test('a value nested too deep is rejected with a DESTINATION_ code, never a stack overflow', () => {
    const { m } = mapper();
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    expect(m.map({ Name: 'A', Description: deep })).toMatchObject({ ok: false, code: 'DESTINATION_VALUE_TOO_DEEP', fields: ['Description'] });
  });

  test('unknown and non-writable fields are dropped with one warning per field', () => {
    const { m, warnings } = mapper();
    expect(m.map({ Name: 'A', Nope: 1, CreatedDate: '2024-01-01T00:00:00Z' })).toEqual({ ok: true, cells: { Name: 'A' } });
    m.map({ Name: 'B', Nope: 2 });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('"Nope"');
    expect(warnings[1]).toContain('CreatedDate');
  });

  test('column_mapping wins over name matching', () => {
    const { m } = mapper(plan(ACCOUNT, { columnMapping: { company: 'Name', name: 'Description' } }));
    expect(m.map({ company: 'Acme', name: 'desc' })).toEqual({ ok: true, cells: { Name: 'Acme', Description: 'desc' } });
  });

  test('types: booleans, dates, datetimes, numbers, multipicklist, objects', () => {
    const { m } = mapper();
    const r = m.map({
      Name: { nested: true }, Active__c: 'TRUE', Founded__c: '2001-09-09T23:00:00-05:00', Last_Synced__c: '2024-01-01T00:00:00+01:00',
      AnnualRevenue: 1.5e-7, Tags__c: ['a', 'b'],
    });
    expect(r).toEqual({
      ok: true,
      cells: {
        Name: '{"nested":true}', Active__c: 'true', Founded__c: '2001-09-09', Last_Synced__c: '2023-12-31T23:00:00.000Z',
        AnnualRevenue: '0.00000015', Tags__c: 'a;b',
      },
    });
  });

  test('CR and CRLF inside values become LF (jobs are lineEnding LF)', () => {
    const { m } = mapper();
    expect(m.map({ Description: 'a\r\nb\rc\nd' })).toEqual({ ok: true, cells: { Description: 'a\nb\nc\nd' } });
  });

  test('uncoercible values are rejected with DESTINATION_TYPECAST_ERROR', () => {
    const { m } = mapper();
    expect(m.map({ Name: 'A', NumberOfEmployees: 'many' })).toMatchObject({ ok: false, code: 'DESTINATION_TYPECAST_ERROR', fields: ['NumberOfEmployees'] });
  });

  test('a value over its describe length is rejected, never truncated', () => {
    const { m } = mapper();
    expect(m.map({ Name: 'A', Short__c: '123456' })).toMatchObject({ ok: false, code: 'DESTINATION_FIELD_SIZE_LIMITATION', fields: ['Short__c'] });
    expect(m.map({ Name: 'A', Short__c: '12345' })).toMatchObject({ ok: true });
    // code points, not UTF-16 units: 5 emoji fit in length 5
    expect(m.map({ Name: 'A', Short__c: '😀😀😀😀😀' })).toMatchObject({ ok: true });
  });

  test('a value over 131,072 characters and a row over 400,000 are rejected', () => {
    const { m } = mapper();
    expect(m.map({ Name: 'A', Description: 'x'.repeat(131_073) })).toMatchObject({ ok: false, code: 'DESTINATION_FIELD_SIZE_LIMITATION' });
    const big = plan({ ...ACCOUNT, fields: [...ACCOUNT.fields, ...[1, 2, 3, 4].map((i) => ({ ...ACCOUNT.fields[8]!, name: `Big${i}__c` }))] });
    const { m: m2 } = mapper({ ...big, describe: { ...big.describe, fields: big.describe.fields.map((f) => (f.name.startsWith('Big') ? { ...f, length: 131_072 } : f)) } });
    const data = Object.fromEntries([1, 2, 3, 4].map((i) => [`Big${i}__c`, 'y'.repeat(100_001)]));
    expect(m2.map(data)).toMatchObject({ ok: false, code: 'DESTINATION_RECORD_SIZE_LIMITATION' });
  });

  test('delete: only Id; a record without Id is rejected', () => {
    const { m } = mapper(plan(ACCOUNT, { operation: 'delete' }));
    expect(m.map({ id: '001000000000001AAA', Name: 'x' })).toEqual({ ok: true, cells: { Id: '001000000000001AAA' } });
    expect(m.map({ Name: 'x' })).toMatchObject({ ok: false, code: 'DESTINATION_ID_MISSING' });
  });

  test('update keeps Id although it is not updateable; insert drops it', () => {
    expect(mapper(plan(ACCOUNT, { operation: 'update' })).m.map({ Id: '001', Name: 'n' })).toEqual({ ok: true, cells: { Id: '001', Name: 'n' } });
    expect(mapper(plan(ACCOUNT)).m.map({ Id: '001', Name: 'n' })).toEqual({ ok: true, cells: { Name: 'n' } });
  });

  test('relationship columns need the parent describe, then pass through as describe spells them', () => {
    const { m, warnings } = mapper(plan(CONTACT));
    const data = { LastName: 'L', 'account.ext_id__c': 'E-1', 'Account.Name': 'x', 'Lead:Who.Email': 'a@b.c' };
    expect(m.parentsNeeded(data).sort()).toEqual(['Account', 'Lead']);
    expect(m.mapOrNeed({ Email: 'x'.repeat(81), ...data })).toEqual({ need: ['Account', 'Lead'] }); // found past a failing value too
    m.addParent('Account', ACCOUNT);
    m.addParent('Lead', undefined);
    expect(m.parentsNeeded(data)).toEqual([]);
    expect(m.mapOrNeed(data)).toEqual(m.map(data));
    expect(m.map(data)).toEqual({ ok: true, cells: { LastName: 'L', 'Account.Ext_Id__c': 'E-1' } });
    expect(warnings.join('\n')).toMatch(/Account.Name is not an External ID/);
    expect(warnings.join('\n')).toMatch(/Lead is not visible/);
    expect(m.columnTypes.get('Account.Ext_Id__c')).toBe('string');
  });

  test('a null (or "") relationship column clears its lookup field, which every API documents (#N/A in AccountId)', () => {
    const { m } = mapper(plan(CONTACT, { operation: 'update' }));
    m.addParent('Account', ACCOUNT);
    expect(m.map({ Id: '003', 'Account.Ext_Id__c': null })).toEqual({ ok: true, cells: { Id: '003', AccountId: '#N/A' } });
    expect(m.map({ Id: '003', 'Account.Ext_Id__c': '' })).toEqual({ ok: true, cells: { Id: '003', AccountId: '#N/A' } });
    expect(m.columnTypes.get('AccountId')).toBe('reference');
  });

  test('a type prefix on a lookup to one object is dropped (Salesforce would fail the whole job)', () => {
    const { m } = mapper(plan(CONTACT));
    m.addParent('Account', ACCOUNT);
    expect(m.map({ LastName: 'L', 'Account:Account.Ext_Id__c': 'E-1' })).toEqual({
      ok: true,
      cells: { LastName: 'L', 'Account.Ext_Id__c': 'E-1' },
    });
  });

  test('a record with no writable field is rejected', () => {
    const { m } = mapper();
    expect(m.map({ Nope: 1 })).toMatchObject({ ok: false, code: 'DESTINATION_SERIALIZATION_ERROR' });
  });
});
