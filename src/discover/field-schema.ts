/**
 * Salesforce field describe → JSON Schema property (pure).
 *
 * Unlike Airbyte's Kotlin destination, an unknown Salesforce type never throws: it is offered as a
 * string (Bulk API 2.0 takes every value as CSV text anyway) and its type is named in the description.
 * Compound fields (address, location) are left out: Bulk API writes their components instead
 * (BillingStreet, BillingCity, ...), which are ordinary fields and are kept.
 */
import type { FieldDescribe, PicklistValue } from '../salesforce/types';

export type JsonSchema = Record<string, unknown>;

/** Types whose values are text and whose describe `length` is a character limit worth advertising. */
const LENGTH_LIMITED = new Set([
  'string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox',
  'id', 'reference', 'encryptedstring',
]);
/** Compound parents: read-only in the API; their component fields are written instead. */
const COMPOUND = new Set(['address', 'location']);
/** Bulk CSV text longer than this for a multipicklist/picklist enumeration is not worth printing. */
const MAX_LISTED_VALUES = 100;

/** True when the field can never be written: compound parents, formulas, roll-ups, auto-numbers. */
export function isNeverWritable(f: FieldDescribe): boolean {
  return COMPOUND.has(f.type.toLowerCase()) || f.calculated === true || f.autoNumber === true;
}

/** Required on insert: Salesforce rejects a create without it (salesforce-api.md §6). */
export function isRequiredOnCreate(f: FieldDescribe): boolean {
  return f.createable && !f.nillable && !f.defaultedOnCreate && !isNeverWritable(f);
}

function activeValues(values: PicklistValue[] | undefined): string[] {
  return (values ?? []).filter((v) => v.active !== false).map((v) => v.value);
}

function listed(values: string[]): string {
  const shown = values.slice(0, MAX_LISTED_VALUES).join(', ');
  return values.length > MAX_LISTED_VALUES ? `${shown}, … (${values.length} in all)` : shown;
}

/** Adds null to a schema's type (and enum) so a nillable field can be cleared. */
function withNull(schema: JsonSchema): JsonSchema {
  const type = schema.type;
  const out: JsonSchema = { ...schema, type: Array.isArray(type) ? [...type, 'null'] : [type, 'null'] };
  if (Array.isArray(schema.enum)) out.enum = [...(schema.enum as unknown[]), null];
  return out;
}

/**
 * The value schema of a field's type, without description or nullability. Used for the field itself
 * and for relationship paths that match on a parent's external ID.
 */
export function valueSchema(f: FieldDescribe): JsonSchema {
  const type = f.type.toLowerCase();
  switch (type) {
    case 'boolean':
      return { type: 'boolean' };
    case 'int': {
      const s: JsonSchema = { type: 'integer' };
      if (typeof f.digits === 'number' && f.digits > 0 && f.digits <= 15) {
        s.maximum = 10 ** f.digits - 1;
        s.minimum = -(10 ** f.digits - 1);
      }
      return s;
    }
    // `long` holds whole numbers only (e.g. large number fields); integer says so, `number` would not.
    case 'long':
      return { type: 'integer' };
    case 'double':
    case 'currency':
    case 'percent':
      return { type: 'number' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' };
    // A time of day, not tied to a time zone in Salesforce (the API spells it HH:mm:ss.SSSZ).
    case 'time':
      return { type: 'string', format: 'time', airbyte_type: 'time_without_timezone' };
    case 'picklist':
    case 'multipicklist': {
      const s: JsonSchema = { type: 'string' };
      if (f.length > 0) s.maxLength = f.length;
      const values = activeValues(f.picklistValues);
      // A restricted single-select picklist rejects anything else: advertise the exact set.
      if (type === 'picklist' && f.restrictedPicklist === true && values.length > 0) s.enum = values;
      return s;
    }
    default: {
      // string, textarea, email, phone, url, combobox, id, reference, encryptedstring, base64,
      // anyType, json and any type Salesforce adds later. No `format` for email/url: Salesforce accepts
      // values JSON Schema's email/uri formats reject (e.g. "www.example.com" in a URL field), and the
      // Airbyte platform's FieldGenerator types a string with an unknown format as UNKNOWN.
      const s: JsonSchema = { type: 'string' };
      if (LENGTH_LIMITED.has(type) && f.length > 0) s.maxLength = f.length;
      return s;
    }
  }
}

/** Human notes appended to the label: what the value must look like. */
function notes(f: FieldDescribe): string[] {
  const type = f.type.toLowerCase();
  const out: string[] = [];
  const values = activeValues(f.picklistValues);
  if (type === 'multipicklist') {
    out.push(`Multi-select picklist: values joined with ';'${values.length ? ` from ${listed(values)}` : ''}.`);
  } else if (type === 'picklist' && f.restrictedPicklist !== true && values.length > 0) {
    out.push(`Picklist; values: ${listed(values)}.`);
  } else if (type === 'time') {
    out.push('Time of day, HH:mm:ss.SSSZ.');
  } else if (type === 'base64') {
    out.push('Base64-encoded content.');
  } else if ((type === 'double' || type === 'currency' || type === 'percent') && typeof f.precision === 'number' && f.precision > 0) {
    out.push(`At most ${f.precision - (f.scale ?? 0)} digits before and ${f.scale ?? 0} after the decimal point.`);
  } else if (type === 'reference' && f.referenceTo && f.referenceTo.length > 0) {
    out.push(`Record Id of the related ${f.referenceTo.join(' or ')}.`);
  } else if (!KNOWN_TYPES.has(type)) {
    out.push(`Salesforce type ${f.type}, written as text.`);
  }
  return out;
}

const KNOWN_TYPES = new Set([
  'id', 'boolean', 'string', 'textarea', 'picklist', 'multipicklist', 'combobox', 'reference', 'currency',
  'double', 'percent', 'int', 'long', 'date', 'datetime', 'time', 'email', 'phone', 'url', 'encryptedstring',
  'base64',
]);

export function describeField(f: FieldDescribe): string {
  const label = f.label || f.name;
  const extra = notes(f);
  return extra.length > 0 ? `${label}. ${extra.join(' ')}` : label;
}

/**
 * The JSON Schema property of a writable field, or undefined when the field can never be written
 * (compound, calculated, auto-number). Whether it is writable for a given operation (createable /
 * updateable) is the operation catalog's choice.
 */
export function fieldSchema(f: FieldDescribe): JsonSchema | undefined {
  if (isNeverWritable(f)) return undefined;
  const base: JsonSchema = { ...valueSchema(f), description: describeField(f) };
  return f.nillable ? withNull(base) : base;
}

/** The schema of a relationship path such as `Account.Ext_Id__c`: the parent key's value type. */
export function relationshipPathSchema(parentKey: FieldDescribe, description: string, nullable: boolean): JsonSchema {
  const base: JsonSchema = { ...valueSchema(parentKey), description };
  delete base.enum;
  return nullable ? withNull(base) : base;
}
