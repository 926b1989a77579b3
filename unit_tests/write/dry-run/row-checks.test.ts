import { checkRow } from '../../../src/write/dry-run/row-checks';
import { field, plan, sobject } from '../describe-fixtures';

const TASK = sobject('Task', [
  field('Id', 'id', { length: 18, createable: false, updateable: false, nillable: false, defaultedOnCreate: true }),
  field('Subject', 'string', { nillable: false }),
  field('Done__c', 'boolean', { nillable: false }),
  field('Kind__c', 'picklist', { restrictedPicklist: true, picklistValues: [{ value: 'A', active: true }, { value: 'Old', active: false }] }),
  field('Tags__c', 'multipicklist', { restrictedPicklist: true, picklistValues: [{ value: 'x', active: true }, { value: 'y', active: true }] }),
  field('WhoId', 'reference', { referenceTo: ['Contact', 'Lead'], relationshipName: 'Who', length: 18 }),
  field('AccountId', 'reference', { referenceTo: ['Account'], relationshipName: 'Account', length: 18, nillable: false }),
]);
const PREFIXES = new Map([['Task', '00T'], ['Contact', '003'], ['Lead', '00Q'], ['Account', '001']]);
const insert = plan(TASK);
const ok = { Subject: 's', AccountId: '001000000000001' };

test('insert: required fields (not checkboxes) must have a value; a relationship column sets its lookup', () => {
  expect(checkRow(insert, ok, PREFIXES)).toBeUndefined();
  expect(checkRow(insert, { Subject: '#N/A', 'Account.Ext_Id__c': 'A-1' }, PREFIXES)).toEqual({
    code: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Subject]', fields: ['Subject'],
  });
  expect(checkRow(insert, { Subject: 's', 'Account.Ext_Id__c': 'A-1' }, PREFIXES)).toBeUndefined();
  expect(checkRow(plan(TASK, { operation: 'update' }), { Id: '00T000000000001' }, PREFIXES)).toBeUndefined();
});

test('restricted picklists: active values only, each part of a multi-select', () => {
  expect(checkRow(insert, { ...ok, Kind__c: 'A', Tags__c: 'x;y' }, PREFIXES)).toBeUndefined();
  expect(checkRow(insert, { ...ok, Kind__c: 'Old' }, PREFIXES)?.code).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  expect(checkRow(insert, { ...ok, Tags__c: 'x;z' }, PREFIXES)?.fields).toEqual(['Tags__c']);
});

test('ids: the form and the key prefix of the object they point at', () => {
  expect(checkRow(insert, { ...ok, WhoId: '00Q000000000001AAA' }, PREFIXES)).toBeUndefined();
  expect(checkRow(insert, { ...ok, WhoId: 'not-an-id' }, PREFIXES)?.code).toBe('MALFORMED_ID');
  expect(checkRow(insert, { ...ok, AccountId: '003000000000001' }, PREFIXES)).toEqual({
    code: 'FIELD_INTEGRITY_EXCEPTION', message: 'AccountId: the id is of another object than Account', fields: ['AccountId'],
  });
  expect(checkRow(plan(TASK, { operation: 'delete' }), { Id: '001000000000001' }, PREFIXES)?.code).toBe('MALFORMED_ID');
  // Unknown prefixes (object not in the list): only the form is checked.
  expect(checkRow(insert, { ...ok, AccountId: '003000000000001' }, new Map())).toBeUndefined();
});
