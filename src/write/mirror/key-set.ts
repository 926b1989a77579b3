/**
 * The keys a mirror stream's source sent in this sync (pure).
 *
 * Every row counts, rejected ones included: a row Salesforce refused this time still exists in the
 * source, so its record must not be deleted. Keys compare as the write path's record keys do
 * (chunk/record-key.ts): text case-insensitively unless describe says `caseSensitive`, numbers by
 * exact decimal value (a query may echo `912260031` as `9.12260031E8`). An empty key is no key.
 */
import { recordKey, type KeyKind } from '../chunk/record-key';

export class MirrorKeySet {
  private readonly keys = new Set<string>();
  /** Source field names that carry the key: column_mapping sources onto it, then its own name. */
  private readonly sources: string[];
  private readonly keyLower: string;

  constructor(
    keyField: string,
    private readonly kind: KeyKind,
    columnMapping: Record<string, string>,
  ) {
    this.keyLower = keyField.toLowerCase();
    this.sources = Object.entries(columnMapping).filter(([, target]) => target.toLowerCase() === this.keyLower).map(([source]) => source);
  }

  /** Notes the key of one source row (as it arrived, before mapping). */
  add(data: Record<string, unknown>): void {
    const key = this.normalize(this.rawKey(data));
    if (key !== undefined) this.keys.add(key);
  }

  /** Whether a key as Salesforce holds it was sent. */
  has(value: string): boolean {
    const key = this.normalize(value);
    return key !== undefined && this.keys.has(key);
  }

  get size(): number {
    return this.keys.size;
  }

  private normalize(value: unknown): string | undefined {
    if (value === null || value === undefined) return undefined;
    const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return text.trim() === '' ? undefined : recordKey(this.kind, text);
  }

  private rawKey(data: Record<string, unknown>): unknown {
    for (const s of this.sources) if (data[s] !== undefined) return data[s];
    for (const [name, value] of Object.entries(data)) if (name.toLowerCase() === this.keyLower) return value;
    return undefined;
  }
}
