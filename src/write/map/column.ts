/**
 * A column of one stream's rows and what every value of it needs, worked out once per stream (when its
 * source key is first met) instead of once per value: its formatter, its length limit, whether `""`
 * clears it. Pure.
 */
import type { FieldDescribe } from '../../salesforce/types';
import { primitiveFormatter } from './value-format';

export const MAX_FIELD_CHARS = 131_072;

/** Types whose describe `length` limits the value. */
const LENGTH_TYPES = new Set([
  'string', 'textarea', 'picklist', 'multipicklist', 'combobox', 'email', 'phone', 'url', 'encryptedstring', 'id', 'reference',
]);

/** A column with the field that types it; for a relationship column also the lookup field it sets (`Account.Ext_Id__c` → AccountId). */
export interface Column {
  column: string;
  field: FieldDescribe;
  lookup?: FieldDescribe;
  /** primitiveFormatter of the field's type: text, or undefined where formatValue must be asked. */
  format: (value: unknown) => string | undefined;
  /** Most characters a value may have. */
  limit: number;
  /** Whether `""` clears the field (record-mapper.ts's header); relationship columns keep the empty cell. */
  clearable: boolean;
}

/** `isKey`: the field is the record key of the operation (never cleared). */
export function columnOf(column: string, field: FieldDescribe, isKey: boolean, lookup?: FieldDescribe): Column {
  return {
    column,
    field,
    ...(lookup ? { lookup } : {}),
    format: primitiveFormatter(field.type),
    limit: LENGTH_TYPES.has(field.type) && field.length > 0 ? Math.min(field.length, MAX_FIELD_CHARS) : MAX_FIELD_CHARS,
    clearable: field.nillable && field.type !== 'boolean' && !column.includes('.') && !isKey,
  };
}

/** Characters (code points) of `text`, counted exactly only when its UTF-16 length is over `limit`. */
export function charCount(text: string, limit: number): number {
  if (text.length <= limit) return text.length; // UTF-16 length ≥ code points
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}
