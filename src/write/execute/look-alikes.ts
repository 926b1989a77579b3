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
 * - `LookAlikeMarker`: row by row as an open chunk fills, from 53-bit hashes of the two identities, so
 *   a chunk written to disk as it fills (chunk/csv-chunker.ts) needs no cells at the cut. A hash
 *   collision of relaxed identities only adds a wave; one of exact identities (~2⁻⁵³) would put two
 *   look-alikes in one job, where attribution (result-attribution.ts) finds them ambiguous and rejects
 *   them as DESTINATION_RESULT_AMBIGUOUS — never attributes them wrongly.
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
 * The waves of `lookAlikeWaves`, decided one row at a time from hashes (see the top of this file).
 * A row is given as its cells by column name (the mapper's output): blank cells count as absent, as in
 * an aligned row, so the order and width of rows do not matter.
 */
export class LookAlikeMarker {
  private readonly columns = new Map<string, ColumnHash>();
  private classes = new Map<number, { first: number; variants?: Map<number, number> }>();
  private looseA = 0;
  private looseB = 0;
  private exactA = 0;
  private exactB = 0;
  private readonly lanes = new Int32Array(2);

  constructor(
    private readonly typeOf: (column: string) => string | undefined,
    private readonly key?: { column: string; kind: KeyKind },
  ) {}

  /** A new chunk: rows of earlier chunks no longer count. */
  reset(): void {
    this.classes = new Map();
  }

  /** The wave of the next row of the chunk: 0 unless a row of other exact content looks like it. */
  wave(cells: Record<string, string>): number {
    this.identities(cells);
    const loose = hash53(this.looseA, this.looseB);
    const exact = hash53(this.exactA, this.exactB);
    const seen = this.classes.get(loose);
    if (!seen) {
      this.classes.set(loose, { first: exact });
      return 0;
    }
    seen.variants ??= new Map([[seen.first, 0]]);
    let wave = seen.variants.get(exact);
    if (wave === undefined) seen.variants.set(exact, (wave = seen.variants.size));
    return wave;
  }

  /** Both identities' hashes, two 32-bit lanes each (as row-identity.ts: the key alone when set, else every cell). */
  private identities(cells: Record<string, string>): void {
    const h = this.lanes;
    const keyValue = this.key ? cells[this.key.column] : undefined;
    if (this.key && keyValue !== undefined && !isBlankCell(keyValue)) {
      fnv2(relaxedKey(this.key.kind, keyValue), 0x2545f491, false, h);
      this.looseA = h[0] as number;
      this.looseB = h[1] as number;
      fnv2(exactKey(this.key.kind, keyValue), 0x68e31da4, false, h);
      this.exactA = h[0] as number;
      this.exactB = h[1] as number;
      return;
    }
    let la = 0;
    let lb = 0;
    let ea = 0;
    let eb = 0;
    for (const column in cells) {
      const value = cells[column] as string;
      if (value === '') continue;
      const c = this.columns.get(column) ?? this.column(column);
      // Sums: the same cells give the same hash in any order.
      fnv2(value, c.seed, false, h);
      ea = (ea + (h[0] as number)) | 0;
      eb = (eb + (h[1] as number)) | 0;
      if (value === NULL_CELL) continue; // relaxed: blank
      if (c.rule !== 'text' || !plainText(value)) {
        const loose = relaxed(c.rule, value);
        if (loose === '') continue;
        fnv2(loose, c.seed ^ 0x5bd1e995, false, h);
      } else {
        fnv2(value, c.seed ^ 0x5bd1e995, true, h); // relaxed text of a plain value: its ASCII lower case
      }
      la = (la + (h[0] as number)) | 0;
      lb = (lb + (h[1] as number)) | 0;
    }
    this.looseA = la;
    this.looseB = lb;
    this.exactA = ea;
    this.exactB = eb;
  }

  private column(name: string): ColumnHash {
    fnv2(name, 0x9e3779b9, false, this.lanes);
    const c = { seed: this.lanes[0] as number, rule: ruleOf(this.typeOf(name)) };
    this.columns.set(name, c);
    return c;
  }
}

/** A text whose relaxed form is its ASCII lower case: ASCII, no CR, no space at either end. */
function plainText(value: string): boolean {
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if (first <= 32 || last <= 32) return false;
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i);
    if (ch >= 127 || ch === 13) return false;
  }
  return true;
}

/**
 * Two 32-bit FNV-1a lanes (different seeds and primes) over the UTF-16 code units of `text`, A–Z
 * lower-cased when `lower`, each finished with an avalanche so sums of cell hashes mix well. Written
 * here: a hash of a few lines, where a library would hash bytes of an encoded copy of every value.
 */
function fnv2(text: string, seed: number, lower: boolean, out: Int32Array): void {
  let a = seed | 0;
  let b = (seed ^ 0x27d4eb2d) | 0;
  for (let i = 0; i < text.length; i++) {
    let ch = text.charCodeAt(i);
    if (lower && ch >= 65 && ch <= 90) ch += 32;
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

function hash53(a: number, b: number): number {
  return (a >>> 0) * 0x200000 + (b >>> 11);
}
