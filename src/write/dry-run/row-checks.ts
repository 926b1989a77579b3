/**
 * Dry run: the checks Salesforce would make on a mapped row that can be made without writing
 * (pure; describe data handed in). The mapper already refuses wrong types and too-long values;
 * these add required fields on insert, restricted picklists, and the form of record ids (Id and
 * direct lookups: 15/18 characters, key prefix of the object they point at). Codes are the ones
 * Salesforce answers with, so a dry run's report reads like the real sync's rejects; messages never
 * quote the value (they may be logged).
 */
import type { FieldDescribe } from '../../salesforce/types';
import { NULL_VALUE, type Cells } from '../map/record-mapper';
import type { StreamPlan } from '../plan/stream-plan';

export interface RowProblem {
  code: string;
  message: string;
  fields: string[];
}

const ID_FORM = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** `keyPrefixes`: object API name → its record id prefix (from the sObject list). */
export function checkRow(plan: StreamPlan, cells: Cells, keyPrefixes: ReadonlyMap<string, string>): RowProblem | undefined {
  if (plan.operation === 'insert') {
    const missing = requiredFields(plan).filter((f) => !hasValue(cells, f));
    if (missing.length) {
      const names = missing.map((f) => f.name);
      return { code: 'REQUIRED_FIELD_MISSING', message: `Required fields are missing: [${names.join(', ')}]`, fields: names };
    }
  }
  for (const [column, text] of Object.entries(cells)) {
    if (text === NULL_VALUE || text === '') continue;
    const field = plan.describe.fields.find((f) => f.name === column);
    if (!field) continue; // relationship columns (Rel.ExtField): their parents cannot be looked up without a query
    const problem = checkValue(plan, field, text, keyPrefixes);
    if (problem) return problem;
  }
  return undefined;
}

function checkValue(plan: StreamPlan, field: FieldDescribe, text: string, keyPrefixes: ReadonlyMap<string, string>): RowProblem | undefined {
  if (field.restrictedPicklist && (field.type === 'picklist' || field.type === 'multipicklist')) {
    const allowed = new Set((field.picklistValues ?? []).filter((p) => p.active).map((p) => p.value));
    const parts = field.type === 'multipicklist' ? text.split(';') : [text];
    if (parts.some((p) => !allowed.has(p))) {
      return {
        code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        message: `${field.label}: the value is not an active value of this restricted picklist`,
        fields: [field.name],
      };
    }
  }
  if (field.type === 'id' || field.type === 'reference') {
    const targets = field.type === 'id' ? [plan.object] : field.referenceTo ?? [];
    const prefixes = targets.map((t) => keyPrefixes.get(t)).filter((p): p is string => p !== undefined);
    if (!ID_FORM.test(text) || (field.type === 'id' && prefixes.length > 0 && !prefixes.includes(text.slice(0, 3)))) {
      return { code: 'MALFORMED_ID', message: `${field.label}: the value is not a ${targets.join(' or ')} record id`, fields: [field.name] };
    }
    if (prefixes.length === targets.length && !prefixes.includes(text.slice(0, 3))) {
      return {
        code: 'FIELD_INTEGRITY_EXCEPTION',
        message: `${field.label}: the id is of another object than ${targets.join(' or ')}`,
        fields: [field.name],
      };
    }
  }
  return undefined;
}

/** Required on insert: createable, not nillable, no default (checkboxes always have one). */
function requiredFields(plan: StreamPlan): FieldDescribe[] {
  return plan.describe.fields.filter((f) => f.createable && !f.nillable && !f.defaultedOnCreate && f.type !== 'boolean');
}

/** A value for the field: its own column, or a relationship column setting it (`Account.Ext_Id__c`). */
function hasValue(cells: Cells, field: FieldDescribe): boolean {
  const own = cells[field.name];
  if (own !== undefined && own !== NULL_VALUE && own !== '') return true;
  const rel = field.relationshipName;
  if (!rel) return false;
  return Object.entries(cells).some(([column, text]) => {
    const path = column.includes(':') ? column.slice(column.indexOf(':') + 1) : column;
    return path.startsWith(`${rel}.`) && text !== NULL_VALUE && text !== '';
  });
}
