/**
 * Which record a row writes (pure): the key column of an operation and the canonical value of a key.
 *
 * Two rows with the same record key write the same Salesforce record; the chunker merges them
 * (versions), the key gate keeps chunks that share one from running at once, and the Bulk executor
 * attributes results of keyed operations by it. A record key is a fact, never a float:
 * - `Id`: the 18-character form (a 15-character Id gets its case checksum), so `001…AAA` and its
 *   15-character prefix are one record; an Id that is not well-formed is kept as written.
 * - a number external ID: its exact decimal value (`12.50` = `12.5`, `1E3` = `1000`; 18 digits stay
 *   18 digits — never through `Number()`).
 * - a text external ID: the text, lower-cased unless the field is case-sensitive (Salesforce matches
 *   External ID values case-insensitively by default).
 */
import type { BulkOperation } from '../../salesforce/types';

export const NULL_CELL = '#N/A';

/** The column whose value identifies the record the row writes, or undefined (insert). */
export function keyColumn(operation: BulkOperation, externalIdFieldName: string | undefined): string | undefined {
  if (operation === 'upsert') return externalIdFieldName;
  if (operation === 'update' || operation === 'delete' || operation === 'hardDelete') return 'Id';
  return undefined;
}

export type KeyKind = 'id' | 'number' | 'text' | 'case-sensitive-text';

const NUMBER_TYPES = new Set(['int', 'long', 'double', 'currency', 'percent']);

/** How values of a key column compare, from the column's describe type. */
export function keyKindOf(column: string, type: string | undefined, caseSensitive = false): KeyKind {
  if (column === 'Id' || type === 'id') return 'id';
  if (NUMBER_TYPES.has((type ?? '').toLowerCase())) return 'number';
  return caseSensitive ? 'case-sensitive-text' : 'text';
}

export const isBlankCell = (value: string | undefined): boolean => value === undefined || value === '' || value === NULL_CELL;

/** The record key of a key cell; undefined when blank (such a row names no record). */
export function recordKey(kind: KeyKind, value: string | undefined): string | undefined {
  if (value === undefined || isBlankCell(value)) return undefined;
  switch (kind) {
    case 'id':
      return to18(value) ?? value;
    case 'number':
      return exactDecimal(value) ?? value;
    case 'text':
      return value.toLowerCase();
    default:
      return value;
  }
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_RE = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** The 18-character form of a Salesforce Id (15 case-sensitive characters + a 3-character case checksum). */
export function to18(id: string): string | undefined {
  if (!ID_RE.test(id)) return undefined;
  const base = id.slice(0, 15);
  let suffix = '';
  for (let block = 0; block < 3; block += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = base.charCodeAt(block * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += ID_CHARS[bits];
  }
  if (id.length === 18 && id.slice(15).toUpperCase() !== suffix) return undefined;
  return base + suffix;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The exact decimal value of a number text, canonical (`-0012.500e1` → `-125`), by string arithmetic:
 * no binary float is involved, so 18-digit values stay distinct. undefined when it is not a number.
 */
export function exactDecimal(text: string): string | undefined {
  const m = DECIMAL.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const exp = Number(m[4] ?? 0);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) return undefined;
  const digits = `${m[2] ?? ''}${m[3] ?? ''}`;
  const point = (m[2] ?? '').length + exp; // the decimal point sits before digits[point]
  const padded = point < 0 ? '0'.repeat(-point) + digits : point > digits.length ? digits + '0'.repeat(point - digits.length) : digits;
  const at = Math.max(point, 0);
  const whole = padded.slice(0, at).replace(/^0+/, '') || '0';
  const frac = padded.slice(at).replace(/0+$/, '');
  const value = frac ? `${whole}.${frac}` : whole;
  return value === '0' ? '0' : `${m[1] === '-' ? '-' : ''}${value}`;
}
