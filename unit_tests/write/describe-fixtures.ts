/** Small describe builders for the write unit tests. */
import type { FieldDescribe, SObjectDescribe } from '../../src/salesforce/types';
import type { StreamPlan } from '../../src/write/plan/stream-plan';

export function field(name: string, type = 'string', extra: Partial<FieldDescribe> = {}): FieldDescribe {
  return {
    name, label: name, type, length: type === 'string' ? 255 : 0, createable: true, updateable: true, nillable: true,
    defaultedOnCreate: false, externalId: false, idLookup: false, ...extra,
  };
}

export function sobject(name: string, fields: FieldDescribe[], extra: Partial<SObjectDescribe> = {}): SObjectDescribe {
  return { name, createable: true, updateable: true, deletable: true, fields, ...extra };
}

export const ACCOUNT = sobject('Account', [
  field('Id', 'id', { length: 18, createable: false, updateable: false, idLookup: true, nillable: false, defaultedOnCreate: true }),
  field('Name', 'string', { nillable: false }),
  field('Ext_Id__c', 'string', { externalId: true, length: 40 }),
  field('NumberOfEmployees', 'int'),
  field('AnnualRevenue', 'currency'),
  field('Active__c', 'boolean'),
  field('Founded__c', 'date'),
  field('Last_Synced__c', 'datetime'),
  field('Description', 'textarea', { length: 32000 }),
  field('Tags__c', 'multipicklist', { length: 4099 }),
  field('Short__c', 'string', { length: 5 }),
  field('CreatedDate', 'datetime', { createable: false, updateable: false }),
  field('ParentId', 'reference', { referenceTo: ['Account'], relationshipName: 'Parent', length: 18 }),
]);

export const CONTACT = sobject('Contact', [
  field('Id', 'id', { length: 18, createable: false, updateable: false, idLookup: true }),
  field('LastName'),
  field('Email', 'email', { idLookup: true, length: 80 }),
  field('AccountId', 'reference', { referenceTo: ['Account'], relationshipName: 'Account', length: 18 }),
  field('WhoId', 'reference', { referenceTo: ['Contact', 'Lead'], relationshipName: 'Who', length: 18 }),
]);

export function plan(describe: SObjectDescribe, extra: Partial<StreamPlan> = {}): StreamPlan {
  return {
    stream: { name: 's' }, key: 's', object: describe.name, operation: 'insert', describe, columnMapping: {}, ...extra,
  };
}
