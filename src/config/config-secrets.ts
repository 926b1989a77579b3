/**
 * Finds the secret values in a raw config, valid or not, so they can be redacted from all output
 * before validation (which may fail) or authentication runs.
 */
import { secretKeys } from './spec';

/** Key names that look secret even when a user put them where the spec does not expect them. */
const SECRET_LOOKING = /(secret|password|token|private_key|access_key|credential)/i;

export function collectSecrets(raw: unknown): string[] {
  const marked = secretKeys();
  const found = new Set<string>();
  const visit = (value: unknown, key: string | undefined, depth: number): void => {
    if (depth > 10 || value === null || value === undefined) return;
    if (typeof value === 'string') {
      if (key !== undefined && (marked.has(key) || SECRET_LOOKING.test(key))) add(found, value);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) visit(item, key, depth + 1);
      return;
    }
    if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(v, k, depth + 1);
    }
  };
  visit(raw, undefined, 0);
  return [...found];
}

function add(found: Set<string>, value: string): void {
  if (value.length === 0) return;
  found.add(value);
  // A PEM key may be printed line by line or with its line breaks escaped; redact each body line too.
  if (value.includes('-----BEGIN')) {
    for (const line of value.replace(/\\n/g, '\n').split(/\r?\n/)) {
      if (line.length >= 16 && !line.startsWith('-----')) found.add(line.trim());
    }
    found.add(value.replace(/\\n/g, '\n'));
  }
}
