/** Describe fixtures shaped like Salesforce's (salesforce-api.md §6), trimmed to the keys we read. */
import type { FieldDescribe, SObjectDescribe } from '../../src/salesforce/types';

export function field(name: string, type: string, over: Partial<FieldDescribe> = {}): FieldDescribe {
  return {
    name, label: name.replace(/__c$/, '').replace(/_/g, ' '), type, length: 0,
    createable: true, updateable: true, nillable: true, defaultedOnCreate: false,
    calculated: false, autoNumber: false, externalId: false, idLookup: false,
    ...over,
  };
}

const idField = (): FieldDescribe =>
  field('Id', 'id', { label: 'Account ID', length: 18, createable: false, updateable: false, nillable: false, defaultedOnCreate: true, idLookup: true });

function object(name: string, fields: FieldDescribe[], flags: Partial<SObjectDescribe> = {}): SObjectDescribe {
  return { name, label: name, custom: name.endsWith('__c'), createable: true, updateable: true, deletable: true, queryable: true, fields, ...flags };
}

export const account = (): SObjectDescribe =>
  object('Account', [
    idField(),
    field('Name', 'string', { label: 'Account Name', length: 255, nillable: false, idLookup: true }),
    field('Ext_Id__c', 'string', { label: 'External Id', length: 40, externalId: true, unique: true }),
    field('Rating', 'picklist', {
      length: 40, restrictedPicklist: true,
      picklistValues: [
        { active: true, value: 'Hot' }, { active: true, value: 'Warm' }, { active: true, value: 'Cold' }, { active: false, value: 'Frozen' },
      ],
    }),
    field('Industry', 'picklist', { length: 255, picklistValues: [{ active: true, value: 'Banking' }, { active: true, value: 'Energy' }] }),
    field('NumberOfEmployees', 'int', { digits: 8 }),
    field('AnnualRevenue', 'currency', { precision: 18, scale: 0 }),
    field('Active__c', 'boolean', { nillable: false, defaultedOnCreate: true }),
    field('Founded__c', 'date'),
    field('Last_Synced__c', 'datetime'),
    field('CreatedDate', 'datetime', { createable: false, updateable: false, nillable: false, defaultedOnCreate: true }),
    field('BillingAddress', 'address', { createable: false, updateable: false }),
    field('BillingCity', 'string', { length: 40, compoundFieldName: 'BillingAddress' }),
    field('Score__c', 'double', { calculated: true, createable: false, updateable: false }),
    field('OwnerId', 'reference', {
      length: 18, nillable: false, defaultedOnCreate: true, referenceTo: ['Group', 'User'], relationshipName: 'Owner',
    }),
    field('Tags__c', 'multipicklist', { length: 4099, picklistValues: [{ active: true, value: 'A' }, { active: true, value: 'B' }] }),
    field('Geo__c', 'location', { createable: false, updateable: false }),
    field('Shape__c', 'weirdnewtype', { length: 10 }),
    field('Big__c', 'long'),
  ]);

export const contact = (): SObjectDescribe =>
  object('Contact', [
    idField(),
    field('LastName', 'string', { length: 80, nillable: false }),
    field('Email', 'email', { length: 80, idLookup: true }),
    field('Ext_Id__c', 'string', { length: 40, externalId: true }),
    field('AccountId', 'reference', { length: 18, referenceTo: ['Account'], relationshipName: 'Account' }),
  ]);

export const invoice = (): SObjectDescribe =>
  object('Invoice__c', [
    idField(),
    field('Name', 'string', { length: 80, autoNumber: true, createable: false, updateable: false, nillable: false, defaultedOnCreate: true }),
    field('Invoice_Number__c', 'string', { length: 30, externalId: true, unique: true }),
    field('Status__c', 'picklist', { length: 255, restrictedPicklist: true, picklistValues: [{ active: true, value: 'Draft' }, { active: true, value: 'Paid' }] }),
    field('Amount__c', 'currency', { precision: 16, scale: 2 }),
    field('Account__c', 'reference', { length: 18, nillable: false, referenceTo: ['Account'], relationshipName: 'Account__r', updateable: false }),
  ]);

export const orderEvent = (): SObjectDescribe =>
  object('Order_Event__e', [
    field('ReplayId', 'string', { createable: false, updateable: false }),
    field('Order_Number__c', 'string', { length: 20, nillable: false, updateable: false }),
    field('Amount__c', 'double', { updateable: false }),
  ], { updateable: false, deletable: false });

export const auditLog = (): SObjectDescribe =>
  object('Audit_Log__c', [idField(), field('Message__c', 'string', { createable: false, updateable: false })], {
    createable: false, updateable: false, deletable: false,
  });

export const user = (): SObjectDescribe =>
  object('User', [idField(), field('Username', 'string', { length: 80, nillable: false, idLookup: true }), field('Ext_Id__c', 'string', { length: 40, externalId: true })], {
    deletable: false,
  });

export const all = (): SObjectDescribe[] => [account(), contact(), invoice(), orderEvent(), auditLog(), user()];
