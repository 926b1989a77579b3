/**
 * Keeps two chunks that write the same record from running at the same time.
 *
 * Inside a chunk the versions of one record are merged into one row (chunk/csv-chunker.ts); across
 * chunks (a stream's next chunk, or another stream writing the same object) two jobs could otherwise
 * race, and an older version — e.g. one retried after UNABLE_TO_LOCK_ROW — could land last. A chunk
 * that shares a record key with a chunk in flight waits for it; chunks without shared keys run in
 * parallel. Keys are the chunk's `column:record key` strings (chunk/record-key.ts).
 */
export class KeyGate {
  /** object → key → chunks in flight holding it */
  private readonly held = new Map<string, Map<string, number>>();
  private waiters: Array<() => void> = [];

  /** Resolves once no chunk in flight on `object` holds any of `keys`; then holds them. */
  async acquire(object: string, keys: Set<string>): Promise<void> {
    while (this.overlaps(object, keys)) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (keys.size === 0) return;
    let held = this.held.get(object);
    if (!held) this.held.set(object, (held = new Map()));
    for (const k of keys) held.set(k, (held.get(k) ?? 0) + 1);
  }

  release(object: string, keys: Set<string>): void {
    const held = this.held.get(object);
    if (held) {
      for (const k of keys) {
        const n = (held.get(k) ?? 0) - 1;
        if (n > 0) held.set(k, n);
        else held.delete(k);
      }
      if (held.size === 0) this.held.delete(object);
    }
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }

  private overlaps(object: string, keys: Set<string>): boolean {
    const held = this.held.get(object);
    if (!held || keys.size === 0) return false;
    for (const k of keys) if (held.has(k)) return true;
    return false;
  }
}
