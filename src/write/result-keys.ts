/**
 * Value normalisation and row keys for matching result CSVs to uploaded rows (pure).
 *
 * Salesforce echoes uploaded values in results, rewriting only some types: numbers (`912260031` →
 * `9.12260031E8`), booleans, dates and date-times (salesforce-api.md §1.8). Text is compared as is,
 * except that `#N/A` (a cleared field) is echoed empty and CRLF may come back for LF.
 */

const NUMERIC = new Set(['int', 'long', 'double', 'currency', 'percent']);

/** How a type's values are normalised. */
export type Rule = 'text' | 'number' | 'boolean' | 'date' | 'datetime';

export function ruleOf(type: string | undefined): Rule {
  const t = (type ?? '').toLowerCase();
  if (NUMERIC.has(t)) return 'number';
  if (t === 'boolean' || t === 'date' || t === 'datetime') return t;
  return 'text';
}

function normaliseDateTime(value: string): string {
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

function apply(rule: Rule, value: string): string {
  if (value === '' || value === '#N/A') return '';
  switch (rule) {
    case 'number': {
      const n = Number(value);
      return Number.isFinite(n) ? String(n) : value;
    }
    case 'boolean': {
      const v = value.toLowerCase();
      return v === '1' ? 'true' : v === '0' ? 'false' : v;
    }
    case 'date':
      return value.slice(0, 10);
    case 'datetime':
      return normaliseDateTime(value);
    default:
      return value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
  }
}

/** A value as both sides should agree on it, whatever Salesforce normalised. */
export function normalise(type: string | undefined, value: string): string {
  return apply(ruleOf(type), value);
}

/** `normalise` by rule (look it up once per column with `ruleOf`), date-times cached per distinct value. */
export class Normaliser {
  private readonly dateTimes = new Map<string, string>();

  value(rule: Rule, value: string): string {
    if (rule === 'text') return value === '#N/A' ? '' : value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
    if (rule !== 'datetime' || value === '' || value === '#N/A') return apply(rule, value);
    let out = this.dateTimes.get(value);
    if (out === undefined) {
      out = normaliseDateTime(value);
      this.dateTimes.set(value, out);
    }
    return out;
  }
}

const SEP = '\u0000';
const ESCAPE = '\u0001';
const ESCAPED = /[\u0000\u0001]/g;

/**
 * One flat string per list of values (escapes in place), distinct for distinct lists: joined with NUL; the rare
 * value holding NUL or U+0001 has them escaped (`\u0001` + a letter), so no value ever holds a raw NUL.
 */
export function keyOf(values: string[]): string {
  for (let k = 0; k < values.length; k += 1) {
    const v = values[k] as string;
    if (v.includes(SEP) || v.includes(ESCAPE)) values[k] = v.replace(ESCAPED, (c) => (c === SEP ? `${ESCAPE}0` : `${ESCAPE}1`));
  }
  return values.join(SEP);
}
