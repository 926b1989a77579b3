/**
 * Converts one uploaded cell (a string, as in a CSV) to the field's stored value, or a row error worded as
 * in reference §4.4. '' and '#N/A' are handled by the caller (record-ops.ts).
 */
import { to18 } from './ids';
import { type FieldDef, ORG_SCHEMA } from './org-schema';
import type { FieldValue } from './store';

export interface RowError {
  code: string;
  message: string;
  fields: string[];
}

export type Converted = { ok: true; value: FieldValue } | { ok: false; error: RowError };

/** Per-field cap for any value [DOC §2]. */
export const MAX_FIELD_CHARS = 131072;

const fail = (code: string, message: string, fields: string[]): Converted => ({ ok: false, error: { code, message, fields } });

export function tooLong(fd: FieldDef, value: string, max: number): Converted {
  return fail('STRING_TOO_LONG', `${fd.label}: data value too large: ${value} (max length=${max})`, [fd.name]);
}

function wrongType(fd: FieldDef, value: string): Converted {
  return fail('INVALID_TYPE_ON_FIELD_IN_RECORD', `${fd.label}: value not of required type: ${value}`, [fd.name]);
}

function outOfRange(fd: FieldDef, value: string): Converted {
  return fail('NUMBER_OUTSIDE_VALID_RANGE', `${fd.label}: value outside of valid range on numeric field: ${value}`, [fd.name]);
}

export function malformedId(fd: FieldDef, value: string): RowError {
  return { code: 'MALFORMED_ID', message: `${fd.label}: id value of incorrect type: ${value}`, fields: [fd.name] };
}

const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const INT_RE = /^[+-]?\d+$/;
const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A real calendar day of years 0100–9999 (the proleptic Gregorian calendar of JavaScript's Date; years below 100
 * are refused, as a Date built from them lands in the 1900s). Arithmetic rather than a Date per value: the stand-in
 * shares the benchmark machine with the loader it measures.
 */
function validYmd(year: number, month: number, day: number): boolean {
  if (year < 100 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number));
}

/** The number of the ASCII digits at [from, to) of `s`, or -1 when any is not a digit 0-9 (as `\d`). */
function digitsAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Whether `raw` is `YYYY-MM-DD` (ASCII digits) of a real day, read by its characters rather than a RegExp
 * match (no array of captures per value: the stand-in shares the benchmark machine with the loader it measures).
 */
function isDate(raw: string): boolean {
  return raw.length === 10 && startsWithDate(raw);
}

/** Whether `s` starts with `YYYY-MM-DD` of a real day. */
function startsWithDate(s: string): boolean {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false; // '-'
  const y = digitsAt(s, 0, 4);
  const m = digitsAt(s, 5, 7);
  const d = digitsAt(s, 8, 10);
  return y >= 0 && m >= 0 && d >= 0 && validYmd(y, m, d);
}

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ` — the stored form, which most loaders send — checked as the DATETIME_RE path
 * checks it: true only when that path would accept it and give it back unchanged; any other text takes it.
 */
function isStoredDateTime(raw: string): boolean {
  if (raw.length !== 24 || raw.charCodeAt(23) !== 90 || raw.charCodeAt(19) !== 46 || !startsWithDate(raw)) return false; // 'Z' '.'
  if (raw.charCodeAt(10) !== 84 || raw.charCodeAt(13) !== 58 || raw.charCodeAt(16) !== 58) return false; // 'T' ':' ':'
  const h = digitsAt(raw, 11, 13);
  const min = digitsAt(raw, 14, 16);
  const sec = digitsAt(raw, 17, 19);
  return h >= 0 && h <= 23 && min >= 0 && min <= 59 && sec >= 0 && sec <= 59 && digitsAt(raw, 20, 23) >= 0;
}

export function convertCell(fd: FieldDef, raw: string): Converted {
  if (raw.length > MAX_FIELD_CHARS) return tooLong(fd, raw, MAX_FIELD_CHARS);
  switch (fd.type) {
    case 'string': case 'textarea': case 'phone': case 'url': case 'email':
    case 'picklist': case 'multipicklist': {
      if (fd.length > 0 && raw.length > fd.length) return tooLong(fd, raw, fd.length);
      if (fd.type === 'email' && !EMAIL_RE.test(raw)) {
        return fail('INVALID_EMAIL_ADDRESS', `${fd.label}: invalid email address: ${raw}`, [fd.name]);
      }
      if (fd.restrictedPicklist) {
        const parts = fd.type === 'multipicklist' ? raw.split(';') : [raw];
        const bad = parts.find((p) => !fd.picklistValues.includes(p));
        if (bad !== undefined) {
          return fail('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${fd.label}: bad value for restricted picklist field: ${bad}`, [fd.name]);
        }
      }
      return { ok: true, value: raw };
    }
    case 'boolean': {
      const v = raw.toLowerCase();
      if (v === 'true' || v === '1') return { ok: true, value: true };
      if (v === 'false' || v === '0') return { ok: true, value: false };
      return wrongType(fd, raw);
    }
    case 'int': {
      if (!INT_RE.test(raw)) return wrongType(fd, raw);
      const n = Number(raw);
      if (Math.abs(n) >= 10 ** (fd.digits ?? 9)) return outOfRange(fd, raw);
      return { ok: true, value: n };
    }
    case 'double': case 'currency': case 'percent': {
      if (!DECIMAL_RE.test(raw)) return wrongType(fd, raw);
      const n = Number(raw);
      const scale = fd.scale ?? 0;
      const intDigits = (fd.precision ?? 18) - scale;
      if (!Number.isFinite(n) || Math.abs(n) >= 10 ** intDigits) return outOfRange(fd, raw);
      // Salesforce stores decimals exactly: a whole number a double cannot hold keeps its digits (as text).
      if (scale === 0 && INT_RE.test(raw) && !Number.isSafeInteger(n)) return { ok: true, value: BigInt(raw).toString() };
      return { ok: true, value: Number(n.toFixed(scale)) };
    }
    case 'date': {
      return isDate(raw) ? { ok: true, value: raw } : wrongType(fd, raw);
    }
    case 'datetime': {
      if (isStoredDateTime(raw)) return { ok: true, value: raw };
      const m = DATETIME_RE.exec(raw);
      if (!m || !startsWithDate(raw) || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) {
        return wrongType(fd, raw);
      }
      // Already the stored form (what toISOString would give back): most values a loader sends.
      if (m[8] === 'Z' && m[7]?.length === 4) return { ok: true, value: raw };
      const zone = m[8] === 'Z' ? 'Z' : `${m[8]!.slice(0, 3)}:${m[8]!.slice(-2)}`;
      const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}${zone}`);
      if (Number.isNaN(ms)) return wrongType(fd, raw);
      return { ok: true, value: new Date(ms).toISOString() };
    }
    case 'reference': {
      const id = to18(raw);
      if (!id) return { ok: false, error: malformedId(fd, raw) };
      const prefixes = ORG_SCHEMA.filter((o) => fd.referenceTo.includes(o.name)).map((o) => o.keyPrefix);
      if (!prefixes.includes(id.slice(0, 3))) {
        return fail('FIELD_INTEGRITY_EXCEPTION', `${fd.label}: id value of incorrect type: ${raw}`, [fd.name]);
      }
      return { ok: true, value: id };
    }
    default:
      return wrongType(fd, raw);
  }
}

/** `CODE:message:fields --` (reference §4.4). */
export function formatSfError(e: RowError): string {
  return `${e.code}:${e.message}:${e.fields.length > 0 ? e.fields.join(',') + ' ' : ''}--`;
}
