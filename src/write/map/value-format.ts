/**
 * Turns one JSON value into the CSV text Salesforce expects for a describe type (pure).
 * salesforce-api.md §3: booleans true/false, dates yyyy-MM-dd (no offset), datetimes ISO-8601 with Z
 * or an offset, numbers plain (no exponent, no thousands separators), multipicklists `;`-joined.
 *
 * Values that cannot be read as the field's type (e.g. "abc" for a number) are rejected here with
 * DESTINATION_TYPECAST_ERROR instead of being sent: our message names the field and never
 * depends on how Salesforce would word it.
 */

export type Formatted = { ok: true; text: string } | { ok: false; message: string; code?: string };

/** Deepest nesting of objects/arrays a value may have (JSON.stringify recurses; Salesforce fields are flat). */
export const MAX_VALUE_DEPTH = 100;
export const VALUE_TOO_DEEP_ERROR = 'DESTINATION_VALUE_TOO_DEEP';
export const SERIALIZATION_ERROR = 'DESTINATION_SERIALIZATION_ERROR';

/** Whether `value` nests objects/arrays more than `limit` levels deep (iterative: any depth is safe). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return false;
}

const NUMERIC_TYPES = new Set(['int', 'long', 'double', 'currency', 'percent']);
const ok = (text: string): Formatted => ({ ok: true, text });
const fail = (message: string): Formatted => ({ ok: false, message });

/** Expands a decimal in exponent notation (`1.5e-7`, `1E21`) to plain digits; other text unchanged. */
export function expandExponent(text: string): string {
  if (!text.includes('e') && !text.includes('E')) return text; // the usual case: no regex
  const m = /^([+-]?)(\d*)(?:\.(\d*))?[eE]([+-]?\d+)$/.exec(text);
  if (!m) return text;
  const sign = m[1] === '-' ? '-' : '';
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  const exp = Number(m[4]);
  let digits = intPart + fracPart;
  let point = intPart.length + exp; // position of the decimal point within digits
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  } else if (point > digits.length) {
    digits = digits + '0'.repeat(point - digits.length);
  }
  let whole = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const frac = digits.slice(point).replace(/0+$/, '');
  if (whole === '') whole = '0';
  const out = frac === '' ? whole : `${whole}.${frac}`;
  return out === '0' ? '0' : sign + out;
}

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** A number or numeric text as plain decimal text, or undefined when it is not a number. */
export function plainNumber(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    return expandExponent(String(value));
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  if (THOUSANDS.test(text)) text = text.replace(/,/g, '');
  if (!PLAIN_NUMBER.test(text)) return undefined;
  if (text.startsWith('+')) text = text.slice(1);
  if (text.startsWith('.')) text = `0${text}`;
  if (text.startsWith('-.')) text = `-0${text.slice(1)}`;
  if (text.endsWith('.')) text = text.slice(0, -1);
  return expandExponent(text);
}

export function formatBoolean(value: unknown): string | undefined {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === 1 || value === 0) return value === 1 ? 'true' : 'false';
  if (typeof value === 'string') {
    const t = value.trim().toLowerCase();
    if (t === 'true' || t === '1') return 'true';
    if (t === 'false' || t === '0') return 'false';
  }
  return undefined;
}

const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/;
const DATETIME =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(y: number, m: number): number {
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return m === 2 && leap ? 29 : (DAYS_IN_MONTH[m - 1] as number);
}

/**
 * A real calendar day. Years 0–99 are refused: this used to be checked through `Date.UTC`, which reads
 * them as 1900–1999, and the arithmetic (no Date per value) keeps that answer.
 */
function validDate(y: number, m: number, d: number): boolean {
  return y >= 100 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** yyyy-MM-dd from a date or datetime text, as written (no time-zone shift); epoch ms → UTC date. */
export function formatDate(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const m = DATE_PREFIX.exec(text);
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  if (text.length > 10 && formatDateTime(text) === undefined) return undefined;
  return text.slice(0, 10);
}

const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/;

/** The number of the two digits at `at` (the caller checked they are digits). */
const twoDigits = (text: string, at: number): number => (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;

/**
 * True for text already in the form `Date.prototype.toISOString` writes (`2024-05-01T10:20:30.000Z`,
 * milliseconds optional) naming a real instant. Most warehouse date-times come so; checking it by
 * character codes is ~20× cheaper than parsing (a date-time column is the costliest value of a row).
 */
export function isCanonicalUtc(text: string): boolean {
  if (!CANONICAL_UTC.test(text)) return false;
  const y = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const mo = twoDigits(text, 5);
  const d = twoDigits(text, 8);
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo) && twoDigits(text, 11) <= 23 && twoDigits(text, 14) <= 59 && twoDigits(text, 17) <= 59;
}

/** ISO-8601 in UTC with Z; text without a zone is read as UTC; epoch ms accepted. */
export function formatDateTime(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  if (typeof value !== 'string') return undefined;
  if (isCanonicalUtc(value)) return value.length === 24 ? value : `${value.slice(0, 19)}.000Z`;
  const m = DATETIME.exec(value.trim());
  if (!m) return undefined;
  const [, date = '', hh = '00', mi = '00', ss = '00', frac = '', zoneRaw] = m;
  let zone = zoneRaw === undefined || /^(z|utc)$/i.test(zoneRaw) ? 'Z' : zoneRaw;
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    zone = `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
  }
  const ms = frac === '' ? '' : `.${(frac.slice(1) + '000').slice(0, 3)}`;
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  if (!validDate(y, mo, d) || Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 59) return undefined;
  const parsed = new Date(`${date}T${hh}:${mi}:${ss}${ms}${zone}`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

/** Text of any JSON value for a text-like field: strings as-is, numbers plain, objects as JSON. */
export function formatText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return plainNumber(value) ?? String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

/**
 * The text of a string, number or boolean for one describe type, exactly as `formatValue` gives it; or
 * undefined where `formatValue` must be asked (an object or array, or a value it refuses, so it can say
 * why). The mapper picks one per column: no type dispatch and no result object per value, the usual case.
 */
export function primitiveFormatter(type: string): (value: unknown) => string | undefined {
  const t = type.toLowerCase();
  const primitive = (format: (value: unknown) => string | undefined) => (value: unknown) =>
    typeof value === 'object' ? undefined : format(value);
  if (NUMERIC_TYPES.has(t)) return primitive(plainNumber);
  switch (t) {
    case 'boolean':
      return primitive(formatBoolean);
    case 'date':
      return primitive(formatDate);
    case 'datetime':
      return primitive(formatDateTime);
    default:
      return (value) => (typeof value === 'string' ? value : typeof value === 'object' ? undefined : formatText(value));
  }
}

/** Formats a non-null value for a Salesforce field type. */
export function formatValue(type: string, value: unknown, label: string): Formatted {
  if (typeof value === 'object' && value !== null && nestedDeeperThan(value, MAX_VALUE_DEPTH)) {
    return { ok: false, code: VALUE_TOO_DEEP_ERROR, message: `${label} is nested more than ${MAX_VALUE_DEPTH} levels deep; not sent` };
  }
  try {
    return formatFor(type, value, label);
  } catch (err) {
    return { ok: false, code: SERIALIZATION_ERROR, message: `${label} cannot be serialised (${err instanceof Error ? err.message : String(err)})` };
  }
}

function formatFor(type: string, value: unknown, label: string): Formatted {
  const t = type.toLowerCase();
  if (NUMERIC_TYPES.has(t)) {
    const n = plainNumber(value);
    return n === undefined ? fail(`${label} needs a number`) : ok(n);
  }
  switch (t) {
    case 'boolean': {
      const b = formatBoolean(value);
      return b === undefined ? fail(`${label} needs true or false`) : ok(b);
    }
    case 'date': {
      const d = formatDate(value);
      return d === undefined ? fail(`${label} needs a date (yyyy-MM-dd)`) : ok(d);
    }
    case 'datetime': {
      const d = formatDateTime(value);
      return d === undefined ? fail(`${label} needs an ISO-8601 date-time`) : ok(d);
    }
    case 'multipicklist':
      if (Array.isArray(value)) return ok(value.map((v) => formatText(v)).join(';'));
      return ok(formatText(value));
    default:
      return ok(formatText(value));
  }
}
