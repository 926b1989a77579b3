/**
 * Accumulates one stream's mapped rows into chunks (pure, synchronous): what one ingest job sends.
 *
 * - A row and the input records it stands for travel together (`ChunkRow.sources`).
 * - **Versions of one record are merged** as they arrive: a row whose record key (record-key.ts) is
 *   already in the chunk is folded into that row, in input order — its cells win, cells it lacks keep
 *   the earlier values — and its input record joins the row's sources. One record, one row, one job
 *   (Salesforce fails every occurrence of an external ID repeated in a job).
 * - Header = union of the columns of the rows in the chunk (required columns first, then in order of
 *   first appearance), so a field first seen late is not lost.
 * - A chunk is cut at whichever limit comes first: `maxBytes` of CSV or `maxRows` rows, tracked
 *   incrementally with the exact size papaparse gives (csv-text.ts) — except a single row larger than
 *   `maxBytes`, which goes alone.
 * - Rows pointing at the same parent (columns `groupBy` picks: lookups) are put next to each other
 *   when the chunk is cut: Salesforce processes a job in parallel batches and locks the parent of each
 *   row, so children of one parent spread over many batches cause UNABLE_TO_LOCK_ROW. Row order in a
 *   job carries no meaning (no record appears twice; results are attributed by key or content).
 */
import type { Cells } from '../map/record-mapper';
import { csvBytes, csvValueBytes, type Row } from './csv-text';
import { recordKey, type KeyKind } from './record-key';

export type { Row } from './csv-text';

/** Memory of one open row besides its values (cells array, string headers, sources): see `memoryBytes`. */
const ROW_MEMORY_BYTES = 400;

/** One row of a chunk and the input records merged into it (oldest first). */
export interface ChunkRow<T> {
  cells: Row;
  sources: T[];
}

export interface Chunk<T> {
  columns: string[];
  rows: Array<ChunkRow<T>>;
  /** The record keys the chunk writes (`column:key`), empty without a key column. */
  keys: Set<string>;
  /** Input rows folded into an earlier version of their record. */
  merged: number;
  /** Rows of the chunk that hold more than one version of their record. */
  mergedRecords: number;
}

export interface ChunkLimits {
  maxBytes: number;
  maxRows: number;
}

export interface ChunkKey {
  column: string;
  kind: KeyKind;
}

export class CsvChunker<T> {
  private columns: string[] = [];
  private columnIndex = new Map<string, number>();
  private rows: Array<ChunkRow<T>> = [];
  private byKey = new Map<string, ChunkRow<T>>();
  private merged = 0;
  private mergedRecords = 0;
  private nameBytes = 0;
  private valueBytes = 0;
  private readonly limits: ChunkLimits;

  constructor(
    limits: ChunkLimits | number,
    private readonly requiredColumns: string[] = [],
    /** Columns whose values name a parent record (lookups); rows are grouped by them at the cut. */
    private readonly groupBy: (column: string) => boolean = () => false,
    /** The record key column (Id / external id): rows with the same key are merged. */
    private readonly key?: ChunkKey,
  ) {
    this.limits = typeof limits === 'number' ? { maxBytes: limits, maxRows: Infinity } : limits;
    this.reset();
  }

  get rowCount(): number {
    return this.rows.length;
  }

  /** The first input record waiting in the chunk (the oldest), if any. */
  peekFirst(): T | undefined {
    return this.rows[0]?.sources[0];
  }

  /**
   * Estimated bytes of memory the open chunk's rows hold (their cells and what travels with them): about
   * 2 B per byte of CSV value plus 400 B per row, from benchmarks/row-memory.ts (wide rows ~1,050 B for
   * 320 B of CSV, narrow ~450 B for 25 B). Sizes the open chunks' shared budget (byte-budget.ts), not jobs.
   */
  get memoryBytes(): number {
    return 2 * this.valueBytes + ROW_MEMORY_BYTES * this.rows.length;
  }

  /** Exact byte size of the CSV the current rows would serialise to. */
  get byteSize(): number {
    return csvBytes(this.columns.length, this.rows.length, this.nameBytes, this.valueBytes);
  }

  /**
   * Adds a row (or merges it into its record's row). When that would push the chunk over `maxBytes`
   * (or it is full at `maxRows`), the rows so far are cut into a chunk (returned) and the row starts
   * the next one.
   */
  add(cells: Cells, meta: T): Chunk<T> | undefined {
    const key = this.keyOf(cells);
    const existing = key === undefined ? undefined : this.byKey.get(key);
    let newNameBytes = 0;
    let newCols = 0;
    let deltaBytes = 0;
    for (const column in cells) {
      const k = this.columnIndex.get(column);
      if (k === undefined) {
        newCols += 1;
        newNameBytes += csvValueBytes(column);
      }
      deltaBytes += csvValueBytes(cells[column] as string) - (existing && k !== undefined ? csvValueBytes(existing.cells[k] ?? '') : 0);
    }
    if (this.rows.length > 0) {
      const rows = this.rows.length + (existing ? 0 : 1);
      const next = csvBytes(this.columns.length + newCols, rows, this.nameBytes + newNameBytes, this.valueBytes + deltaBytes);
      if (next > this.limits.maxBytes || (!existing && this.rows.length >= this.limits.maxRows)) {
        const cut = this.flush();
        this.add(cells, meta); // an empty chunk always takes the row
        return cut;
      }
    }
    this.valueBytes += deltaBytes;
    if (existing) {
      for (const column in cells) existing.cells[this.columnIndex.get(column) ?? this.addColumn(column)] = cells[column] as string;
      for (let k = 0; k < existing.cells.length; k += 1) existing.cells[k] ??= '';
      existing.sources.push(meta);
      this.merged += 1;
      if (existing.sources.length === 2) this.mergedRecords += 1;
      return undefined;
    }
    // Sized once (an array grown by push keeps spare capacity).
    let width = 0;
    for (const column in cells) {
      const k = this.columnIndex.get(column) ?? this.addColumn(column);
      if (k + 1 > width) width = k + 1;
    }
    const row: ChunkRow<T> = { cells: new Array<string>(width).fill(''), sources: [meta] };
    for (const column in cells) row.cells[this.columnIndex.get(column) as number] = cells[column] as string;
    this.rows.push(row);
    if (key !== undefined) this.byKey.set(key, row);
    return undefined;
  }

  /** Cuts the rows so far into a chunk; undefined when there are none. */
  flush(): Chunk<T> | undefined {
    if (this.rows.length === 0) return undefined;
    const chunk: Chunk<T> = {
      columns: this.columns,
      rows: groupByParent(this.columns, this.rows, this.groupBy),
      keys: new Set(this.byKey.keys()),
      merged: this.merged,
      mergedRecords: this.mergedRecords,
    };
    this.reset();
    return chunk;
  }

  private keyOf(cells: Cells): string | undefined {
    if (!this.key || !Object.hasOwn(cells, this.key.column)) return undefined;
    const k = recordKey(this.key.kind, cells[this.key.column]);
    return k === undefined ? undefined : `${this.key.column}:${k}`;
  }

  private reset(): void {
    this.columns = [];
    this.columnIndex = new Map();
    this.rows = [];
    this.byKey = new Map();
    this.merged = 0;
    this.mergedRecords = 0;
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
}

/** Stable sort of rows by the values of the parent columns; unchanged when there are none. */
export function groupByParent<R extends { cells: Row }>(columns: string[], rows: R[], isParent: (column: string) => boolean): R[] {
  const keys = columns.flatMap((c, k) => (isParent(c) ? [k] : []));
  if (keys.length === 0 || rows.length < 2) return rows;
  const order = rows.map((_, i) => i);
  order.sort((a, b) => {
    for (const k of keys) {
      const x = (rows[a] as R).cells[k] ?? '';
      const y = (rows[b] as R).cells[k] ?? '';
      if (x !== y) return x < y ? -1 : 1;
    }
    return a - b;
  });
  return order.map((i) => rows[i] as R);
}
