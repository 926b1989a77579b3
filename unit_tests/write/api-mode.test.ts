/** api_mode / rest_max_rows (config), the choice of API per chunk, and a chunk row's cells as a collections record. */
import { parseConfig } from '../../src/config/load-config';
import { ConnectorError } from '../../src/errors';
import { chooseApi } from '../../src/write/execute/api-choice';
import { jsonRecord, jsonValue } from '../../src/write/execute/rest-values';

const base = { client_id: 'client-id-1', refresh_token: 'refresh-token-1' };

test('api_mode defaults to auto with rest_max_rows 2000; given values are kept; others refused', () => {
  expect(parseConfig(base)).toMatchObject({ apiMode: 'auto', restMaxRows: 2000 });
  expect(parseConfig({ ...base, api_mode: 'rest', rest_max_rows: 500 })).toMatchObject({ apiMode: 'rest', restMaxRows: 500 });
  expect(parseConfig({ ...base, api_mode: 'bulk' }).apiMode).toBe('bulk');
  expect(() => parseConfig({ ...base, api_mode: 'soap' })).toThrow(ConnectorError);
  expect(() => parseConfig({ ...base, rest_max_rows: 0 })).toThrow(ConnectorError);
});

test('auto: fewer than rest_max_rows rows → REST, else Bulk; bulk and rest force their API; hard delete always Bulk', () => {
  expect(chooseApi('auto', 2000, 'insert', 1999)).toBe('rest');
  expect(chooseApi('auto', 2000, 'upsert', 2000)).toBe('bulk');
  expect(chooseApi('bulk', 2000, 'insert', 5)).toBe('bulk');
  expect(chooseApi('rest', 2000, 'delete', 3000)).toBe('rest');
  expect(chooseApi('rest', 2000, 'hardDelete', 3)).toBe('bulk');
  expect(chooseApi('auto', 2000, 'hardDelete', 3)).toBe('bulk');
});

test('values: #N/A → null, numbers and booleans typed, numbers that would lose digits stay text', () => {
  expect(jsonValue('string', '#N/A')).toBeNull();
  expect(jsonValue('int', '42')).toBe(42);
  expect(jsonValue('currency', '-0.5')).toBe(-0.5);
  expect(jsonValue('double', '12345678901234567890.123')).toBe('12345678901234567890.123');
  expect(jsonValue('boolean', 'true')).toBe(true);
  expect(jsonValue('boolean', 'false')).toBe(false);
  expect(jsonValue('string', '007')).toBe('007');
  expect(jsonValue('date', '2024-01-02')).toBe('2024-01-02');
});

test('records: empty cells left out, relationship columns nested, polymorphic ones typed', () => {
  const columns = ['Name', 'NumberOfEmployees', 'Description', 'Account.Ext_Id__c', 'Lead:Who.Email', 'Website'];
  const types = new Map([['NumberOfEmployees', 'int'], ['Account.Ext_Id__c', 'string'], ['Lead:Who.Email', 'email']]);
  expect({ ...jsonRecord(columns, ['Acme', '3', '#N/A', 'A-1', 'a@x.example'], types) }).toEqual({
    Name: 'Acme',
    NumberOfEmployees: 3,
    Description: null,
    Account: { Ext_Id__c: 'A-1' },
    Who: { attributes: { type: 'Lead' }, Email: 'a@x.example' },
  });
  expect({ ...jsonRecord(['Id', 'Name'], ['001000000000001AAA', ''], new Map()) }).toEqual({ Id: '001000000000001AAA' });
});
