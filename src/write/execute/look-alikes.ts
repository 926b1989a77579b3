/**
 * Splits a chunk's rows into waves (one job each, one after the other) so that no job holds two
 * *look-alikes*: rows that differ only in ways Salesforce may erase when it echoes them in a result
 * CSV (case of a picklist value, surrounding spaces, number formatting, `#N/A` vs empty, a 15- vs
 * 18-character Id; see result-values.ts). In one job, every relaxed identity then belongs to rows of
 * identical content, so a result row is always attributed to the right row — or to one of several
 * identical, interchangeable rows. Without look-alikes (nearly always) there is one wave.
 *
 * Two ways to the same waves:
 * - `lookAlikeWaves`: from the cells of a whole chunk (identity strings, row-identity.ts);
 * - `LookAlikeMarker`: row by row as an open chunk fills, from a 62-bit hash of each row's relaxed
 *   identity, so a chunk written to disk as it fills (chunk/csv-chunker.ts) needs no cells at the cut;
 *   exact identities are compared as text, and only within a relaxed identity two rows share. A hash
 *   collision of two relaxed identities (~2⁻⁶² a pair) only adds a wave, never puts look-alikes together.
 *   (A keyed first row's exact identity is taken as its CSV line: it differs from every key identity,
 *   which is right, since no two rows of a chunk share a key.)
 */
import type { Row } from '../chunk/csv-text';
import { isBlankCell, NULL_CELL, type KeyKind } from '../chunk/record-key';
import { exactKey, relaxed, relaxedKey, ruleOf, type Rule } from './result-values';
import { layoutOf, uploadedIdentity, type KeyedColumns } from './row-identity';

export function lookAlikeWaves<R extends { cells: Row }>(up: KeyedColumns, rows: R[]): R[][] {
  const layout = layoutOf(up);
  // Per relaxed identity: its first row, and (once a second row shares it) each exact variant's wave.
  const classes = new Map<string, { first: R; variants?: Map<string, number> }>();
  const waves: R[][] = [[]];
  for (const row of rows) {
    const loose = uploadedIdentity(row.cells, layout, 'relaxed');
    const seen = classes.get(loose);
    if (!seen) {
      // Nearly every row: nothing else looks like it, so its exact identity is never needed.
      classes.set(loose, { first: row });
      (waves[0] as R[]).push(row);
      continue;
    }
    seen.variants ??= new Map([[uploadedIdentity(seen.first.cells, layout, 'exact'), 0]]);
    const exact = uploadedIdentity(row.cells, layout, 'exact');
    let wave = seen.variants.get(exact);
    if (wave === undefined) seen.variants.set(exact, (wave = seen.variants.size));
    (waves[wave] ??= []).push(row);
  }
  return waves;
}

/** Rows grouped by the wave a LookAlikeMarker gave them (`wave` absent: 0), in order. */
export function markedWaves<R extends { wave?: number }>(rows: R[]): R[][] {
  const waves: R[][] = [[]];
  for (const row of rows) (waves[row.wave ?? 0] ??= []).push(row);
  return waves.filter((w) => w.length > 0);
}

interface ColumnHash {
  seed: number;
  rule: Rule;
}

/**
 * The relaxed identities of a chunk's rows so far: an open-addressing table of their 62-bit hashes (two
 * 31-bit lanes) → the position of the class's first row; 12 bytes a slot, no object per row. Written
 * here rather than a Map: a Map entry per row (an object, a boxed key) cost ~60 bytes of every open row.
 */
class ClassTable {
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  /** Position + 1 of the class's first row; 0: an empty slot. */
  private first = new Int32Array(1024);
  private used = 0;

  /** The first row of the class (a, b), or -1 after recording `position` as its first. */
  firstOrAdd(a: number, b: number, position: number): number {
    let mask = this.first.length - 1;
    let i = a & mask;
    for (;;) {
      const f = this.first[i] as number;
      if (f === 0) break;
      if (this.a[i] === a && this.b[i] === b) return f - 1;
      i = (i + 1) & mask;
    }
    if (2 * (this.used + 1) > this.first.length) {
      this.grow();
      mask = this.first.length - 1;
      i = a & mask;
      while (this.first[i] !== 0) i = (i + 1) & mask;
    }
    this.a[i] = a;
    this.b[i] = b;
    this.first[i] = position + 1;
    this.used += 1;
    return -1;
  }

  private grow(): void {
    const [a, b, first] = [this.a, this.b, this.first];
    const size = first.length * 2;
    this.a = new Int32Array(size);
    this.b = new Int32Array(size);
    this.first = new Int32Array(size);
    const mask = size - 1;
    for (let j = 0; j < first.length; j++) {
      if (first[j] === 0) continue;
      let i = (a[j] as number) & mask;
      while (this.first[i] !== 0) i = (i + 1) & mask;
      this.a[i] = a[j] as number;
      this.b[i] = b[j] as number;
      this.first[i] = first[j] as number;
    }
  }
}

/**
 * The waves of `lookAlikeWaves`, decided one row at a time (see the top of this file): per row, a
 * 62-bit hash of its relaxed identity; exact identities (a key's exact form, or the row's CSV line) only
 * when a row of the same relaxed identity came before. A row is given aligned to the chunk's columns.
 */
export class LookAlikeMarker {
  private byIndex: ColumnHash[] = [];
  private classes = new ClassTable();
  /** Per first row of a class that another row joined: each exact variant's wave. */
  private variants = new Map<number, Map<string, number>>();
  private readonly lanes = new Int32Array(2);

  constructor(
    private readonly typeOf: (column: string) => string | undefined,
    private readonly key?: { column: string; kind: KeyKind },
  ) {}

  /** A new chunk: rows of earlier chunks no longer count, column positions start again. */
  reset(): void {
    this.classes = new ClassTable();
    this.variants = new Map();
    this.byIndex = [];
  }

  /**
   * The wave of the row at `position` of the chunk: 0 unless a row of other exact content looks like it.
   * `exactOf(position)` gives a row's exact content (its CSV line, trailing empty cells trimmed), asked
   * only for rows whose relaxed identity an earlier row shares. Keyed rows are known by their key: two
   * rows of one chunk never have the same one (versions are merged), so each keyed look-alike is a variant.
   */
  wave(values: Row, columns: readonly string[], position: number, exactOf: (position: number) => string): number {
    const keyAt = this.key ? columns.indexOf(this.key.column) : -1; // the key column leads the header: 0
    const keyValue = keyAt >= 0 ? values[keyAt] : undefined;
    const keyed = this.key !== undefined && keyValue !== undefined && !isBlankCell(keyValue);
    if (keyed) fnv2(relaxedKey((this.key as { kind: KeyKind }).kind, keyValue), 0x2545f491, this.lanes);
    else this.contentHash(values, columns);
    const first = this.classes.firstOrAdd((this.lanes[0] as number) & 0x7fffffff, (this.lanes[1] as number) & 0x7fffffff, position);
    if (first < 0) return 0;
    let variants = this.variants.get(first);
    if (!variants) this.variants.set(first, (variants = new Map([[`C${exactOf(first)}`, 0]])));
    const mine = keyed ? `K${exactKey((this.key as { kind: KeyKind }).kind, keyValue)}` : `C${exactOf(position)}`;
    let wave = variants.get(mine);
    if (wave === undefined) variants.set(mine, (wave = variants.size));
    return wave;
  }

  /** The relaxed identity of a row of content (as row-identity.ts: every cell, blank ones as absent), into `lanes`. */
  private contentHash(values: Row, columns: readonly string[]): void {
    const h = this.lanes;
    let la = 0;
    let lb = 0;
    for (let k = 0; k < values.length; k++) {
      const value = values[k] as string;
      if (value === '' || value === NULL_CELL) continue;
      const c = this.byIndex[k] ?? this.column(k, columns[k] as string);
      // Relaxed text of a plain value is its ASCII lower case: hashed as it is checked, in one pass.
      if (c.rule !== 'text' || !plainTextHash(value, c.seed, h)) {
        const loose = relaxed(c.rule, value);
        if (loose === '') continue;
        fnv2(loose, c.seed, h);
      }
      // Sums: a cell's place in the row comes from its column's seed.
      la = (la + (h[0] as number)) | 0;
      lb = (lb + (h[1] as number)) | 0;
    }
    h[0] = la;
    h[1] = lb;
  }

  private column(k: number, name: string): ColumnHash {
    fnv2(name, 0x9e3779b9, this.lanes);
    const c = { seed: this.lanes[0] as number, rule: ruleOf(this.typeOf(name)) };
    this.byIndex[k] = c;
    return c;
  }
}

/**
 * For a text whose relaxed form is its ASCII lower case (ASCII, no CR, no space at either end): its hash as
 * `fnv2` of its lower case gives it, and true; false (and `out` left to be overwritten) for any other.
 */
function plainTextHash(value: string, seed: number, out: Int32Array): boolean {
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if (first <= 32 || last <= 32) return false;
  let a = seed | 0;
  let b = (seed ^ 0x27d4eb2d) | 0;
  for (let i = 0; i < value.length; i++) {
    let ch = value.charCodeAt(i);
    if (ch >= 127 || ch === 13) return false;
    if (ch >= 65 && ch <= 90) ch += 32;
    a = Math.imul(a ^ ch, 0x01000193);
    b = Math.imul(b ^ ch, 0x0100019d);
  }
  out[0] = avalanche(a);
  out[1] = avalanche(b ^ value.length);
  return true;
}

/**
 * Two 32-bit FNV-1a lanes (different seeds and primes) over the UTF-16 code units of `text`, each finished
 * with an avalanche so sums of cell hashes mix well. Written here: a hash of a few lines, where a library
 * would hash bytes of an encoded copy of every value.
 */
function fnv2(text: string, seed: number, out: Int32Array): void {
  let a = seed | 0;
  let b = (seed ^ 0x27d4eb2d) | 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193);
    b = Math.imul(b ^ ch, 0x0100019d);
  }
  out[0] = avalanche(a);
  out[1] = avalanche(b ^ text.length);
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

