/**
 * A chunk row's CSV cells → the JSON record sObject Collections takes (pure).
 *
 * The cells already follow the Bulk path's rules (map/record-mapper.ts, map/value-format.ts): the
 * same rows were refused before sending, and values are in Salesforce's text forms. Here only the
 * JSON spelling changes:
 * - `#N/A` (a JSON null or a clearable `""` in the input) → `null`: the field is cleared;
 * - an empty cell → no key: the field is left unchanged (as an empty CSV value);
 * - numbers (int, long, double, currency, percent) → JSON numbers when the number survives the
 *   trip exactly, else the plain decimal text (Salesforce reads numeric text for a number field);
 *   booleans → `true` / `false`; everything else → the text;
 * - a relationship column `Account.Ext_Id__c` → `{"Account": {"Ext_Id__c": "x"}}`; a polymorphic one
 *   `Lead:Who.Email` → `{"Who": {"attributes": {"type": "Lead"}, "Email": "x"}}`.
 */
import type { Row } from '../chunk/csv-text';
import { NULL_CELL } from '../chunk/record-key';
import { plainNumber } from '../map/value-format';

const NUMERIC_TYPES = new Set(['int', 'long', 'double', 'currency', 'percent']);

export type JsonRecord = Record<string, unknown>;

/** The JSON value of one non-empty cell for a Salesforce type. */
export function jsonValue(type: string, cell: string): unknown {
  if (cell === NULL_CELL) return null;
  const t = type.toLowerCase();
  if (t === 'boolean') return cell === 'true' ? true : cell === 'false' ? false : cell;
  if (NUMERIC_TYPES.has(t)) {
    const n = Number(cell);
    return Number.isFinite(n) && plainNumber(n) === cell ? n : cell;
  }
  return cell;
}

/** One row's record (no `attributes`: the collections client adds the object). */
export function jsonRecord(columns: readonly string[], cells: Row, types: ReadonlyMap<string, string>): JsonRecord {
  const out: JsonRecord = Object.create(null) as JsonRecord;
  columns.forEach((column, i) => {
    const cell = cells[i];
    if (cell === undefined || cell === '') return;
    const value = jsonValue(types.get(column) ?? 'string', cell);
    const dot = column.indexOf('.');
    if (dot < 0) {
      out[column] = value;
      return;
    }
    const colon = column.indexOf(':');
    const typePrefix = colon > 0 && colon < dot ? column.slice(0, colon) : undefined;
    const rel = column.slice(typePrefix ? colon + 1 : 0, dot);
    const parent: JsonRecord = typePrefix ? { attributes: { type: typePrefix } } : {};
    parent[column.slice(dot + 1)] = value;
    out[rel] = parent;
  });
  return out;
}
