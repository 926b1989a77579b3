/**
 * Accumulates one stream's mapped rows and cuts them into CSV chunks (pure, synchronous).
 *
 * - Header = union of the columns of the rows in the chunk (required columns first, then in order
 *   of first appearance), so a field first seen late is not lost.
 * - The CSV byte size is tracked incrementally with the exact rules papaparse's `unparse` applies
 *   (quotes on `,` `"` CR LF BOM and leading/trailing spaces, `"` doubled), so a chunk never exceeds
 *   `maxBytes` (header included) — except a single row larger than `maxBytes`, which goes alone.
 * - Serialised with explicit `fields` and array rows (papaparse would otherwise take the header
 *   from the first row, and write nothing at all for a row object without keys), `newline: '\n'`
 *   (jobs declare lineEnding LF), no formula escaping; UTF-8 without BOM.
 */
import Papa from 'papaparse';
import type { Cells } from './record-mapper';

export interface ChunkRow<T> {
  cells: Cells;
  meta: T;
}

export interface Chunk<T> {
  csv: Buffer;
  columns: string[];
  rows: Array<ChunkRow<T>>;
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

/** Serialises rows with papaparse under the rules above. */
export function toCsv(columns: string[], rows: Cells[]): Buffer {
  const data = rows.map((cells) => columns.map((c) => cells[c] ?? ''));
  const text = Papa.unparse(
    { fields: columns, data },
    { newline: '\n', delimiter: ',', quotes: false, quoteChar: '"', escapeFormulae: false, header: true },
  );
  return Buffer.from(text, 'utf8');
}

export class CsvChunker<T> {
  private columns: string[] = [];
  private columnSet = new Set<string>();
  private rows: Array<ChunkRow<T>> = [];
  private nameBytes = 0;
  private valueBytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly requiredColumns: string[] = [],
  ) {
    this.reset();
  }

  get rowCount(): number {
    return this.rows.length;
  }

  /** The first row waiting in the chunk, if any. */
  peekFirst(): ChunkRow<T> | undefined {
    return this.rows[0];
  }

  /** Exact byte size of the CSV the current rows would serialise to. */
  get byteSize(): number {
    return CsvChunker.size(this.columns.length, this.rows.length, this.nameBytes, this.valueBytes);
  }

  /**
   * Adds a row. When the row would push the chunk over `maxBytes`, the rows so far are cut into a
   * chunk (returned) and the row starts the next one.
   */
  add(cells: Cells, meta: T): Chunk<T> | undefined {
    let newNameBytes = 0;
    let newCols = 0;
    let rowBytes = 0;
    for (const [column, value] of Object.entries(cells)) {
      if (!this.columnSet.has(column)) {
        newCols += 1;
        newNameBytes += csvValueBytes(column);
      }
      rowBytes += csvValueBytes(value);
    }
    const next = CsvChunker.size(this.columns.length + newCols, this.rows.length + 1, this.nameBytes + newNameBytes, this.valueBytes + rowBytes);
    let cut: Chunk<T> | undefined;
    if (this.rows.length > 0 && next > this.maxBytes) {
      cut = this.flush();
      return this.add(cells, meta) ?? cut;
    }
    for (const column of Object.keys(cells)) this.addColumn(column);
    this.valueBytes += rowBytes;
    this.rows.push({ cells, meta });
    return cut;
  }

  /** Cuts the rows so far into a chunk; undefined when there are none. */
  flush(): Chunk<T> | undefined {
    if (this.rows.length === 0) return undefined;
    const columns = this.columns;
    const rows = this.rows;
    const csv = toCsv(columns, rows.map((r) => r.cells));
    this.reset();
    return { csv, columns, rows };
  }

  private reset(): void {
    this.columns = [];
    this.columnSet = new Set();
    this.rows = [];
    this.nameBytes = 0;
    this.valueBytes = 0;
    for (const c of this.requiredColumns) this.addColumn(c);
  }

  private addColumn(column: string): void {
    if (this.columnSet.has(column)) return;
    this.columnSet.add(column);
    this.columns.push(column);
    this.nameBytes += csvValueBytes(column);
  }

  /** header (names + commas) + per row: newline + commas + values; papaparse writes no final newline. */
  private static size(columns: number, rows: number, nameBytes: number, valueBytes: number): number {
    if (columns === 0) return 0;
    return nameBytes + (columns - 1) + valueBytes + rows * columns;
  }
}
