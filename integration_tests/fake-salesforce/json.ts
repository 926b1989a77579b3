/** JSON output the way Salesforce writes it: compact, or `"key" : value` when X-PrettyPrint: 1; numbers like 62.0 kept. */

/** A number whose text is written verbatim (e.g. apiVersion 62.0, which JSON.stringify would print as 62). */
export class RawNumber {
  constructor(readonly text: string) {}
}

export function toJson(value: unknown, pretty = false): string {
  return write(value, pretty, '');
}

function write(value: unknown, pretty: boolean, indent: string): string {
  if (value instanceof RawNumber) return value.text;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    if (value.length === 0) return pretty ? '[ ]' : '[]';
    if (!pretty) return `[${value.map((v) => write(v, false, '')).join(',')}]`;
    const inner = indent + '  ';
    return `[ ${value.map((v) => write(v, true, inner)).join(', ')} ]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return pretty ? '{ }' : '{}';
    if (!pretty) return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${write(v, false, '')}`).join(',')}}`;
    const inner = indent + '  ';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${write(v, true, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}
