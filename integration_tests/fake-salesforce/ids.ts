/** Salesforce-shaped record ids: 3-char key prefix + 12 chars, plus the 3-char case-safe checksum (18 chars). */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const counters = new Map<string, number>();

/** The documented 15 → 18 conversion: one char per 5-char chunk encoding which chars are upper-case letters. */
export function checksum(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i; // 'A'..'Z'
    }
    out += CHECKSUM_CHARS.charAt(bits);
  }
  return out;
}

/** `n` in base 62, left-padded with '0' to at least `width` chars (one string built, not one per digit). */
function base62(n: number, width: number): string {
  const codes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 62)) codes.push(BASE62.charCodeAt(v % 62));
  while (codes.length < width) codes.push(48); // '0'
  return String.fromCharCode(...codes.reverse());
}

/** Next id for a key prefix; counters are process-wide and never reset so ids never repeat. */
export function newId(prefix: string): string {
  const n = (counters.get(prefix) ?? 0) + 1;
  counters.set(prefix, n);
  const id15 = `${prefix}Hs00${base62(n + 62 * 62 * 7, 8)}`.slice(0, 15);
  return id15 + checksum(id15);
}

/** Normalises a 15- or 18-char id to 18 chars; undefined when the shape is not an id. */
export function to18(value: string): string | undefined {
  if (/^[a-zA-Z0-9]{15}$/.test(value)) return value + checksum(value);
  if (/^[a-zA-Z0-9]{18}$/.test(value)) {
    const id15 = value.slice(0, 15);
    return value.slice(15).toUpperCase() === checksum(id15) ? id15 + checksum(id15) : undefined;
  }
  return undefined;
}
