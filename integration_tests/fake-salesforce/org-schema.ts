/**
 * The sample org, declared once. Field flags follow describe semantics (reference §6):
 * required on insert ⇔ createable && !nillable && !defaultedOnCreate.
 */

export type FieldType =
  | 'id' | 'string' | 'textarea' | 'picklist' | 'multipicklist' | 'reference' | 'currency' | 'double'
  | 'percent' | 'int' | 'boolean' | 'date' | 'datetime' | 'email' | 'phone' | 'url' | 'address';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  precision?: number;
  scale?: number;
  digits?: number;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  defaultedOnCreate: boolean;
  /** Value applied on insert when the column is absent or empty. */
  defaultValue?: string | boolean | null;
  externalId: boolean;
  unique: boolean;
  idLookup: boolean;
  caseSensitive: boolean;
  custom: boolean;
  autoNumber: boolean;
  nameField: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  picklistValues: string[];
  restrictedPicklist: boolean;
  compoundFieldName: string | null;
}

export type ObjectKind = 'standard' | 'custom' | 'event';

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  kind: ObjectKind;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  fields: FieldDef[];
}

type FieldOpts = Partial<FieldDef> & { required?: boolean };

function f(name: string, label: string, type: FieldType, o: FieldOpts = {}): FieldDef {
  const { required, ...rest } = o;
  const isBool = type === 'boolean';
  return {
    name,
    label,
    type,
    length: ['string', 'textarea', 'picklist', 'multipicklist', 'email', 'phone', 'url'].includes(type) ? 255 : 0,
    createable: true,
    updateable: true,
    nillable: !required && !isBool,
    defaultedOnCreate: isBool,
    defaultValue: isBool ? false : undefined,
    externalId: false,
    unique: false,
    idLookup: false,
    caseSensitive: false,
    custom: name.endsWith('__c'),
    autoNumber: false,
    nameField: false,
    referenceTo: [],
    relationshipName: null,
    picklistValues: [],
    restrictedPicklist: false,
    compoundFieldName: null,
    ...rest,
  };
}

const readOnly: FieldOpts = { createable: false, updateable: false };

function idField(objectLabel: string): FieldDef {
  return f('Id', `${objectLabel} ID`, 'id', { ...readOnly, nillable: false, defaultedOnCreate: true, idLookup: true, length: 18 });
}

/** Audit fields every stored object has (none are writable). */
function systemFields(): FieldDef[] {
  return [
    f('IsDeleted', 'Deleted', 'boolean', readOnly),
    f('CreatedById', 'Created By ID', 'reference', { ...readOnly, nillable: false, defaultedOnCreate: true, referenceTo: ['User'], relationshipName: 'CreatedBy', length: 18 }),
    f('LastModifiedDate', 'Last Modified Date', 'datetime', { ...readOnly, nillable: false, defaultedOnCreate: true }),
    f('LastModifiedById', 'Last Modified By ID', 'reference', { ...readOnly, nillable: false, defaultedOnCreate: true, referenceTo: ['User'], relationshipName: 'LastModifiedBy', length: 18 }),
    f('SystemModstamp', 'System Modstamp', 'datetime', { ...readOnly, nillable: false, defaultedOnCreate: true }),
  ];
}

function createdDate(): FieldDef {
  return f('CreatedDate', 'Created Date', 'datetime', { ...readOnly, nillable: false, defaultedOnCreate: true });
}

function ownerId(): FieldDef {
  return f('OwnerId', 'Owner ID', 'reference', { nillable: false, defaultedOnCreate: true, referenceTo: ['User'], relationshipName: 'Owner', length: 18 });
}

const INDUSTRIES = ['Agriculture', 'Apparel', 'Banking', 'Biotechnology', 'Chemicals', 'Communications', 'Construction',
  'Consulting', 'Education', 'Electronics', 'Energy', 'Engineering', 'Entertainment', 'Environmental', 'Finance',
  'Food & Beverage', 'Government', 'Healthcare', 'Hospitality', 'Insurance', 'Machinery', 'Manufacturing', 'Media',
  'Not For Profit', 'Recreation', 'Retail', 'Shipping', 'Technology', 'Telecommunications', 'Transportation', 'Utilities', 'Other'];

export const ORG_SCHEMA: ObjectDef[] = [
  {
    name: 'Account', label: 'Account', labelPlural: 'Accounts', keyPrefix: '001', kind: 'standard',
    createable: true, updateable: true, deletable: true, queryable: true,
    fields: [
      idField('Account'),
      f('Name', 'Account Name', 'string', { required: true, nameField: true }),
      f('AccountNumber', 'Account Number', 'string', { length: 40 }),
      f('Ext_Id__c', 'External Id', 'string', { length: 50, externalId: true, unique: true, idLookup: true }),
      f('Industry', 'Industry', 'picklist', { length: 255, picklistValues: INDUSTRIES }),
      f('Rating', 'Account Rating', 'picklist', { length: 255, picklistValues: ['Hot', 'Warm', 'Cold'], restrictedPicklist: true }),
      f('NumberOfEmployees', 'Employees', 'int', { digits: 8 }),
      f('AnnualRevenue', 'Annual Revenue', 'currency', { precision: 18, scale: 2 }),
      f('Description', 'Account Description', 'textarea', { length: 32000 }),
      f('Website', 'Website', 'url', { length: 255 }),
      f('Active__c', 'Active', 'boolean'),
      f('Founded__c', 'Founded', 'date'),
      f('Last_Synced__c', 'Last Synced', 'datetime'),
      f('Discount__c', 'Discount', 'percent', { precision: 5, scale: 2 }),
      ownerId(),
      createdDate(),
      f('BillingAddress', 'Billing Address', 'address', { ...readOnly, length: 0 }),
      f('BillingCity', 'Billing City', 'string', { length: 40, compoundFieldName: 'BillingAddress' }),
      ...systemFields(),
    ],
  },
  {
    name: 'Contact', label: 'Contact', labelPlural: 'Contacts', keyPrefix: '003', kind: 'standard',
    createable: true, updateable: true, deletable: true, queryable: true,
    fields: [
      idField('Contact'),
      f('LastName', 'Last Name', 'string', { length: 80, required: true }),
      f('FirstName', 'First Name', 'string', { length: 40 }),
      f('Email', 'Email', 'email', { length: 80, idLookup: true }),
      f('Ext_Id__c', 'External Id', 'string', { length: 50, externalId: true, unique: true, idLookup: true }),
      f('AccountId', 'Account ID', 'reference', { referenceTo: ['Account'], relationshipName: 'Account', length: 18 }),
      f('Birthdate', 'Birthdate', 'date'),
      f('Phone', 'Business Phone', 'phone', { length: 40 }),
      ownerId(),
      createdDate(),
      ...systemFields(),
    ],
  },
  {
    name: 'Lead', label: 'Lead', labelPlural: 'Leads', keyPrefix: '00Q', kind: 'standard',
    createable: true, updateable: true, deletable: true, queryable: true,
    fields: [
      idField('Lead'),
      f('LastName', 'Last Name', 'string', { length: 80, required: true }),
      f('Company', 'Company', 'string', { length: 255, required: true }),
      f('Email', 'Email', 'email', { length: 80, idLookup: true }),
      f('Status', 'Status', 'picklist', {
        nillable: false, defaultedOnCreate: true, defaultValue: 'Open - Not Contacted',
        picklistValues: ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'],
      }),
      f('Rating', 'Rating', 'picklist', { picklistValues: ['Hot', 'Warm', 'Cold'] }),
      f('AnnualRevenue', 'Annual Revenue', 'currency', { precision: 18, scale: 0 }),
      ownerId(),
      createdDate(),
      ...systemFields(),
    ],
  },
  {
    name: 'Invoice__c', label: 'Invoice', labelPlural: 'Invoices', keyPrefix: 'a0X', kind: 'custom',
    createable: true, updateable: true, deletable: true, queryable: true,
    fields: [
      idField('Record'),
      f('Name', 'Invoice Name', 'string', { ...readOnly, length: 80, autoNumber: true, nillable: false, defaultedOnCreate: true, nameField: true }),
      f('Invoice_Number__c', 'Invoice Number', 'string', { length: 30, externalId: true, unique: true, idLookup: true, required: true }),
      f('Amount__c', 'Amount', 'currency', { precision: 18, scale: 2 }),
      f('Status__c', 'Status', 'picklist', { picklistValues: ['Draft', 'Sent', 'Paid'], restrictedPicklist: true }),
      f('Account__c', 'Account', 'reference', { referenceTo: ['Account'], relationshipName: 'Account__r', length: 18 }),
      f('Paid_On__c', 'Paid On', 'date'),
      f('Quantity__c', 'Quantity', 'double', { precision: 18, scale: 4 }),
      f('Legacy_Number__c', 'Legacy Number', 'double', { precision: 18, scale: 0, externalId: true, unique: true, idLookup: true }),
      ownerId(),
      createdDate(),
      ...systemFields(),
    ],
  },
  {
    name: 'Order_Event__e', label: 'Order Event', labelPlural: 'Order Events', keyPrefix: 'e00', kind: 'event',
    createable: true, updateable: false, deletable: false, queryable: false,
    fields: [
      idField('Order Event'),
      f('ReplayId', 'Replay ID', 'string', { ...readOnly }),
      f('CreatedDate', 'Created Date', 'datetime', { ...readOnly, nillable: false, defaultedOnCreate: true }),
      f('CreatedById', 'Created By ID', 'reference', { ...readOnly, nillable: false, defaultedOnCreate: true, referenceTo: ['User'], relationshipName: 'CreatedBy', length: 18 }),
      f('EventUuid', 'Event UUID', 'string', { ...readOnly, length: 36 }),
      f('Order_Number__c', 'Order Number', 'string', { length: 40, required: true, updateable: false }),
      f('Amount__c', 'Amount', 'double', { precision: 18, scale: 2, updateable: false }),
      f('Payload__c', 'Payload', 'textarea', { length: 131072, updateable: false }),
    ],
  },
  {
    name: 'Audit_Log__c', label: 'Audit Log', labelPlural: 'Audit Logs', keyPrefix: 'a0Y', kind: 'custom',
    createable: false, updateable: false, deletable: false, queryable: true,
    fields: [
      idField('Record'),
      f('Name', 'Audit Log Name', 'string', { ...readOnly, length: 80, autoNumber: true, nillable: false, defaultedOnCreate: true, nameField: true }),
      f('Message__c', 'Message', 'string', { length: 255, ...readOnly }),
      createdDate(),
      ...systemFields(),
    ],
  },
  {
    name: 'User', label: 'User', labelPlural: 'Users', keyPrefix: '005', kind: 'standard',
    createable: false, updateable: false, deletable: false, queryable: true,
    fields: [
      idField('User'),
      f('Username', 'Username', 'string', { ...readOnly, length: 80, unique: true, idLookup: true, nillable: false }),
      f('LastName', 'Last Name', 'string', { ...readOnly, length: 80, nillable: false }),
      f('Email', 'Email', 'email', { ...readOnly, length: 128, nillable: false }),
      createdDate(),
      ...systemFields(),
    ],
  },
];

export function findObject(name: string): ObjectDef | undefined {
  const lower = name.toLowerCase();
  return ORG_SCHEMA.find((o) => o.name.toLowerCase() === lower);
}

export function findField(obj: ObjectDef, name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return obj.fields.find((fd) => fd.name.toLowerCase() === lower);
}

export function objectByPrefix(prefix: string): ObjectDef | undefined {
  return ORG_SCHEMA.find((o) => o.keyPrefix === prefix);
}

/** createable && !nillable && !defaultedOnCreate (reference §6). */
export function isRequiredOnInsert(fd: FieldDef): boolean {
  return fd.createable && !fd.nillable && !fd.defaultedOnCreate;
}

/**
 * An object's fields as record-ops.ts and store.ts look them up, listed once per object (the schema never
 * changes). Performance only, for the benchmarks: the stand-in shares the machine with the loader it measures
 * (BENCHMARKS.md).
 */
export interface FieldLists {
  requiredOnInsert: FieldDef[];
  unique: FieldDef[];
  /** Createable fields an insert fills when the row leaves them out: OwnerId and fields with a default. */
  defaulted: FieldDef[];
  autoNumber: FieldDef[];
  byName: Map<string, FieldDef>;
}

const listCache = new WeakMap<ObjectDef, FieldLists>();

export function fieldLists(obj: ObjectDef): FieldLists {
  let lists = listCache.get(obj);
  if (!lists) {
    lists = {
      requiredOnInsert: obj.fields.filter(isRequiredOnInsert),
      unique: obj.fields.filter((fd) => fd.unique),
      defaulted: obj.fields.filter((fd) => fd.createable && (fd.name === 'OwnerId' || (fd.defaultValue !== undefined && fd.defaultValue !== null))),
      autoNumber: obj.fields.filter((fd) => fd.autoNumber),
      byName: new Map(obj.fields.map((fd) => [fd.name, fd])),
    };
    listCache.set(obj, lists);
  }
  return lists;
}
