/**
 * Accumulates one stream's mapped rows and cuts them into CSV chunks (pure, synchronous).
 *
 * - Header = union of the columns of the rows in the chunk (required columns first, then in order
 *   of first appearance), so a field first seen late is not lost.
 * - A chunk is cut at whichever limit comes first: `maxBytes` of CSV or `maxRows` rows.
 * - The CSV byte size is tracked incrementally with the exact rules papaparse's `unparse` applies
 *   (quotes on `,` `"` CR LF BOM and leading/trailing spaces, `"` doubled), so a chunk never exceeds
 *   `maxBytes` (header included) — except a single row larger than `maxBytes`, which goes alone.
 * - Rows are kept as arrays aligned to the chunk's columns (`row[k]` is the value of `columns[k]`;
 *   a row may be shorter than `columns`: later columns are empty), not as one object per row: a row
 *   in flight costs its values and one small array.
 * - Rows pointing at the same parent (columns `groupBy` picks: lookups) are put next to each other
 *   when the chunk is cut. Salesforce processes a job in parallel batches of 200 rows and locks the
 *   parent of each row it writes; children of one parent spread over many batches are the classic
 *   cause of UNABLE_TO_LOCK_ROW. Row order within a job carries no meaning (results are matched by
 *   content), so the regrouping is free.
 * - Serialised with explicit `fields` and array rows, `newline: '\n'` (jobs declare lineEnding LF),
 *   no formula escaping; UTF-8 without BOM.
 */
import Papa from 'papaparse';
import { scanKeys } from './key-gate';
import type { Cells } from './record-mapper';

/** One row's values, aligned to its chunk's columns (missing trailing values are empty). */
export type Row = string[];

export interface Chunk<T> {
  csv: Buffer;
  columns: string[];
  rows: Row[];
  /** One per row, same order. */
  metas: T[];
  /** The record keys the chunk writes (key-gate.ts), empty without a key column. */
  keys: Set<string>;
  /** Whether some record key appears twice (then the rows are in input order, and need key waves). */
  repeatsKey: boolean;
}

export interface ChunkLimits {
  maxBytes: number;
  maxRows: number;
}

const NEEDS_QUOTES = /[",\r\n\ufeff]|^ | $/;

/** Bytes one value takes in the CSV (quotes and doubled quotes included). */
export function csvValueBytes(value: string): number {
  if (value === '') return 0;
  const bytes = Buffer.byteLength(value, 'utf8');
  if (!NEEDS_QUOTES.test(value)) return bytes;
  let quotes = 0;
  for (let i = value.indexOf('"'); i >= 0; i = value.indexOf('"', i + 1)) quotes += 1;
  return bytes + quotes + 2;
}

/** Serialises rows (aligned to `columns`) with papaparse under the rules above. */
export function toCsv(columns: string[], rows: Row[]): Buffer {
  const text = Papa.unparse(
    { fields: columns, data: rows },
    { newline: '\n', delimiter: ',', quotes: false, quoteChar: '"', escapeFormulae: false, header: true },
  );
  return Buffer.from(text, 'utf8');
}

/** The rows of `cells` objects as arrays aligned to `columns` (cells outside `columns` are left out). */
export function alignRows(columns: string[], cells: Cells[]): Row[] {
  return cells.map((c) => columns.map((name) => c[name] ?? ''));
}

export class CsvChunker<T> {
  private columns: string[] = [];
  private columnIndex = new Map<string, number>();
  private rows: Row[] = [];
  private metas: T[] = [];
  private nameBytes = 0;
  private valueBytes = 0;
  private readonly limits: ChunkLimits;

  constructor(
    limits: ChunkLimits | number,
    private readonly requiredColumns: string[] = [],
    /** Columns whose values name a parent record (lookups); rows are grouped by them at the cut. */
    private readonly groupBy: (column: string) => boolean = () => false,
    /** The record key column (Id / external id), whose repeated values must keep their input order. */
    private readonly keyColumn?: string,
  ) {
    this.limits = typeof limits === 'number' ? { maxBytes: limits, maxRows: Infinity } : limits;
    this.reset();
  }

  get rowCount(): number {
    return this.rows.length;
  }

  /** The meta of the first row waiting in the chunk, if any. */
  peekFirst(): T | undefined {
    return this.metas[0];
  }

  /** Exact byte size of the CSV the current rows would serialise to. */
  get byteSize(): number {
    return CsvChunker.size(this.columns.length, this.rows.length, this.nameBytes, this.valueBytes);
  }

  /**
   * Adds a row. When the row would push the chunk over `maxBytes` (or it is full at `maxRows`), the
   * rows so far are cut into a chunk (returned) and the row starts the next one.
   */
  add(cells: Cells, meta: T): Chunk<T> | undefined {
    let newNameBytes = 0;
    let newCols = 0;
    let rowBytes = 0;
    for (const column in cells) {
      if (!this.columnIndex.has(column)) {
        newCols += 1;
        newNameBytes += csvValueBytes(column);
      }
      rowBytes += csvValueBytes(cells[column] as string);
    }
    if (this.rows.length > 0) {
      const next = CsvChunker.size(this.columns.length + newCols, this.rows.length + 1, this.nameBytes + newNameBytes, this.valueBytes + rowBytes);
      if (next > this.limits.maxBytes || this.rows.length >= this.limits.maxRows) {
        const cut = this.flush();
        this.add(cells, meta); // an empty chunk always takes the row
        return cut;
      }
    }
    // Sized once (an array grown by push keeps spare capacity: ~17 slots for 3 values).
    let width = 0;
    for (const column in cells) {
      const k = this.columnIndex.get(column) ?? this.addColumn(column);
      if (k + 1 > width) width = k + 1;
    }
    const row: Row = new Array<string>(width).fill('');
    for (const column in cells) row[this.columnIndex.get(column) as number] = cells[column] as string;
    this.valueBytes += rowBytes;
    this.rows.push(row);
    this.metas.push(meta);
    return undefined;
  }

  /** Cuts the rows so far into a chunk; undefined when there are none. */
  flush(): Chunk<T> | undefined {
    if (this.rows.length === 0) return undefined;
    const { columns } = this;
    const { keys, repeats } = scanKeys(columns, this.rows, this.keyColumn);
    // Versions of one record must stay in input order (key-waves.ts applies them in that order), so
    // a chunk that repeats a record key is not regrouped.
    const { rows, metas } = repeats ? { rows: this.rows, metas: this.metas } : groupByParent(columns, this.rows, this.metas, this.groupBy);
    const csv = toCsv(columns, rows);
    this.reset();
    return { csv, columns, rows, metas, keys, repeatsKey: repeats };
  }

  private reset(): void {
    this.columns = [];
    this.columnIndex = new Map();
    this.rows = [];
    this.metas = [];
    this.nameBytes = 0;
    this.valueBytes = 0;
    for (const c of this.requiredColumns) this.addColumn(c);
  }

  private addColumn(column: string): number {
    const existing = this.columnIndex.get(column);
    if (existing !== undefined) return existing;
    const k = this.columns.length;
    this.columnIndex.set(column, k);
    this.columns.push(column);
    this.nameBytes += csvValueBytes(column);
    return k;
  }

  /** header (names + commas) + per row: newline + commas + values; papaparse writes no final newline. */
  private static size(columns: number, rows: number, nameBytes: number, valueBytes: number): number {
    if (columns === 0) return 0;
    return nameBytes + (columns - 1) + valueBytes + rows * columns;
  }
}

/** Stable sort of rows (and their metas) by the values of the parent columns; unchanged when there are none. */
export function groupByParent<T>(columns: string[], rows: Row[], metas: T[], isParent: (column: string) => boolean): { rows: Row[]; metas: T[] } {
  const keys = columns.flatMap((c, k) => (isParent(c) ? [k] : []));
  if (keys.length === 0 || rows.length < 2) return { rows, metas };
  const order = rows.map((_, i) => i);
  order.sort((a, b) => {
    for (const k of keys) {
      const x = (rows[a] as Row)[k] ?? '';
      const y = (rows[b] as Row)[k] ?? '';
      if (x !== y) return x < y ? -1 : 1;
    }
    return a - b;
  });
  return { rows: order.map((i) => rows[i] as Row), metas: order.map((i) => metas[i] as T) };
}
