/**
 * Removes record values from an error message before it is logged. Salesforce echoes values in
 * messages (`data value too large: <value> (max length=80)`, `bad value for restricted picklist
 * field: <value>`, `duplicate value found: ... id: 006...`), and LOG messages must never carry
 * record data (PII). The full message is only ever stored next to the record itself (S3).
 */
export const MASK = '<value>';

/** Phrases after which Salesforce quotes the offending value, up to the next delimiter. */
const VALUE_AFTER: RegExp[] = [
  /(data value too large: )([\s\S]*?)( \(max length=\d+\))/g,
  /(value not of required type: )([\s\S]*?)(:|$)/g,
  /(bad value for restricted picklist field: )([\s\S]*?)(:|$)/g,
  /(id value of incorrect type: )([\s\S]*?)(:|$)/g,
  /(Duplicate external id specified: )([\s\S]*?)(:|$)/g,
  /(Foreign key external ID: )([\s\S]*?)( not found)/g,
  /(duplicates value on record with id: )([A-Za-z0-9]+)()/g,
  /(Invalid date: |Invalid number: |invalid date: |invalid number: )([\s\S]*?)(:|$)/g,
];

const MIN_LENGTH = 2;

/** Primitive values of the record data (nested objects/arrays flattened), as strings. */
function recordValues(data: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (v === null || v === undefined || typeof v === 'boolean') return;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') {
      out.push(String(v));
    } else if (typeof v === 'object' && depth < 8) {
      for (const inner of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) visit(inner, depth + 1);
    }
  };
  visit(data, 0);
  return out;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The message with every record value (and every value Salesforce quotes) replaced by `<value>`. */
export function maskValues(message: string, data: unknown): string {
  let out = message;
  for (const re of VALUE_AFTER) out = out.replace(re, (_m, pre: string, _v: string, post: string) => `${pre}${MASK}${post}`);
  const values = [...new Set(recordValues(data).map((v) => v.trim()))]
    .filter((v) => v.length >= MIN_LENGTH)
    .sort((a, b) => b.length - a.length);
  for (const v of values) {
    if (v.length > out.length) continue; // cannot occur in the message (and would be a huge RegExp)
    if (v.length >= 5) {
      // Plain substring replacement: values can be 131,072+ characters, too large for a RegExp.
      out = out.split(v).join(MASK);
      continue;
    }
    // Short values only as whole tokens, so `30` does not eat part of `max length=300`.
    out = out.replace(new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(v)}(?![A-Za-z0-9])`, 'g'), MASK);
  }
  return out;
}
