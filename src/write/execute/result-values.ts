/**
 * How an uploaded value and Salesforce's echo of it in a result CSV are compared (pure).
 *
 * Result CSVs echo the uploaded columns, but Salesforce may rewrite values on the way: numbers
 * (`912260031` → `9.12260031E8`, 18 digits through a double), booleans, dates and date-times, a
 * cleared field (`#N/A` echoed empty), the case of a picklist value, surrounding spaces, 15-character
 * Ids echoed as 18. So a value has two forms:
 * - **exact**: as uploaded (record keys in their canonical form: 18-character Id, exact decimal);
 * - **relaxed**: what any of those rewrites leaves of it (lower case, trimmed, `#N/A` = empty, a
 *   number to 15 significant digits, an Id's first 15 characters, …).
 * Two different uploaded values with the same relaxed form are *look-alikes*: look-alikes.ts keeps
 * them out of one job, so a relaxed match is never ambiguous.
 */
import { isCanonicalUtc } from '../map/value-format';
import { exactDecimal, isBlankCell, NULL_CELL, to18, type KeyKind } from '../chunk/record-key';

/** An integer of at most 15 digits, in its shortest form: `String(Number(x))` gives it back unchanged. */
const PLAIN_INTEGER = /^(?:0|-?[1-9]\d{0,14})$/;
/** A decimal ≥ 1 in magnitude, no trailing zero, at most 15 digits (checked apart): also given back unchanged. */
const PLAIN_DECIMAL = /^-?[1-9]\d*\.\d*[1-9]$/;

const NUMERIC = new Set(['int', 'long', 'double', 'currency', 'percent']);

/** How a column's values relax. */
export type Rule = 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'id';

export function ruleOf(type: string | undefined): Rule {
  const t = (type ?? '').toLowerCase();
  if (NUMERIC.has(t)) return 'number';
  if (t === 'id' || t === 'reference') return 'id';
  if (t === 'boolean' || t === 'date' || t === 'datetime') return t;
  return 'text';
}

/** The relaxed form of a cell (see above). */
export function relaxed(rule: Rule, value: string): string {
  if (value === '' || value === NULL_CELL) return '';
  switch (rule) {
    case 'number': {
      // What the general path gives them, without the float round trip.
      if (PLAIN_INTEGER.test(value) || (value.length <= 17 && PLAIN_DECIMAL.test(value) && value.length - (value[0] === '-' ? 2 : 1) <= 15)) return value;
      const n = Number(value.trim());
      return Number.isFinite(n) ? String(Number(n.toPrecision(15))) : value.trim().toLowerCase();
    }
    case 'boolean': {
      const v = value.trim().toLowerCase();
      return v === '1' ? 'true' : v === '0' ? 'false' : v;
    }
    case 'date':
      return value.trim().slice(0, 10);
    case 'datetime': {
      if (value.length === 24 && isCanonicalUtc(value)) return value; // as toISOString() writes it: what the general path gives
      const ms = Date.parse(value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      return Number.isNaN(ms) ? value.trim().toLowerCase() : new Date(ms).toISOString();
    }
    case 'id':
      return value.trim().slice(0, 15);
    default:
      return (value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value).trim().toLowerCase();
  }
}

/** The exact form of a record key cell (as record-key.ts compares keys, but case kept for text). */
export function exactKey(kind: KeyKind, value: string): string {
  if (kind === 'id') return to18(value) ?? value;
  if (kind === 'number') return exactDecimal(value) ?? value;
  return value;
}

/** The relaxed form of a record key cell. */
export function relaxedKey(kind: KeyKind, value: string): string {
  return relaxed(kind === 'id' ? 'id' : kind === 'number' ? 'number' : 'text', value);
}

export { isBlankCell };

const SEP = '\u0000';
const ESCAPE = '\u0001';
const ESCAPED = /[\u0000\u0001]/g;

/**
 * One flat string per list of values, distinct for distinct lists: joined with NUL; the rare value
 * holding NUL or U+0001 has them escaped (`\u0001` + a digit), so no value ever holds a raw NUL.
 */
export function keyOf(values: string[]): string {
  const joined = values.join(SEP);
  // Fast path: no value holds NUL or U+0001 (then the joined text has exactly one NUL per separator).
  if (!joined.includes(ESCAPE) && nulCount(joined) === values.length - 1) return joined;
  for (let k = 0; k < values.length; k += 1) {
    const v = values[k] as string;
    if (v.includes(SEP) || v.includes(ESCAPE)) values[k] = v.replace(ESCAPED, (c) => (c === SEP ? `${ESCAPE}0` : `${ESCAPE}1`));
  }
  return values.join(SEP);
}

function nulCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf(SEP); i >= 0; i = text.indexOf(SEP, i + 1)) n += 1;
  return n;
}
