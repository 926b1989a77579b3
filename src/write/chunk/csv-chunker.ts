/**
 * Accumulates one stream's mapped rows into chunks (pure, synchronous): what one ingest job sends.
 *
 * - A row and the input records it stands for travel together (`ChunkRow.source`, `later`; `sourcesOf`).
 * - **Versions of one record are merged** as they arrive: a row whose record key (record-key.ts) is
 *   already in the chunk is folded into that row, in input order — its cells win, cells it lacks keep
 *   the earlier values — and its input record joins the row's sources (`later`). One record, one row, one job
 *   (Salesforce fails every occurrence of an external ID repeated in a job).
 * - Header = union of the columns of the rows in the chunk (required columns first, then in order of
 *   first appearance), so a field first seen late is not lost.
 * - A chunk is cut at whichever limit comes first: `maxBytes` of CSV or `maxRows` rows, tracked
 *   incrementally with the exact size papaparse gives (csv-text.ts) — except a single row larger than
 *   `maxBytes`, which goes alone.
 * - Rows pointing at the same parent (columns `groupBy` picks: lookups) are put next to each other
 *   when the chunk is cut (parent-order.ts). Row order in a job carries no meaning otherwise (no record
 *   appears twice; results are attributed by key or content).
 * - **On disk** (`newFile` given): each row is written to the chunk's file (chunk-file.ts) as it
 *   arrives and keeps no cells — the job uploads that file as is. A later version of a record reads
 *   the earlier row back from the file, merges, and is written again (the earlier line is left out
 *   at the cut); rows are grouped by parent at the cut from a short parent key each row keeps. Each
 *   row's look-alike wave is marked as it arrives (`marker`, execute/look-alikes.ts), since the cells
 *   are gone by the cut.
 */
import type { Cells } from '../map/record-mapper';
import { chunkFileError, type ChunkFile } from './chunk-file';
import { csvBytes, csvLine, csvValueBytes, type Row } from './csv-text';
import { OpenChunkFile } from './open-chunk-file';
import { groupByParent } from './parent-order';
import { recordKey, type KeyKind } from './record-key';

export type { Row } from './csv-text';

/** Memory of one open row besides its values (cells array, string headers, sources): see `memoryBytes`. */
const ROW_MEMORY_BYTES = 400;
/** Memory of one open row whose cells are on disk (row, sources, input record's place, look-alike slot): see `memoryBytes`. */
const ROW_ON_DISK_BYTES = 150;

const NO_CELLS: Row = [];

/** One row of a chunk and the input records merged into it. */
export interface ChunkRow<T> {
  /** Empty while the row is on disk (Chunk.file): read back by whoever needs the values. */
  cells: Row;
  /** The input record the row stands for (the oldest version, when versions were merged). */
  source: T;
  /** Later versions merged into the row, oldest first (absent nearly always: no array per row). */
  later?: T[];
  /** The row's look-alike wave when not 0 (marked as rows arrive: `RowMarker`). */
  wave?: number;
}

/** Every input record a row stands for, oldest first. */
export function sourcesOf<T>(row: Pick<ChunkRow<T>, 'source' | 'later'>): T[] {
  return row.later ? [row.source, ...row.later] : [row.source];
}

/** Marks each new row of a chunk with its look-alike wave (execute/look-alikes.ts's LookAlikeMarker). */
export interface RowMarker {
  reset(): void;
  /** `values` aligned to `columns`; `exactOf(position)` a row's CSV line without trailing empty cells. */
  wave(values: Row, columns: readonly string[], position: number, exactOf: (position: number) => string): number;
}

export interface ChunkerOptions {
  /** A new file for a chunk: rows go to disk as they arrive (see above). */
  newFile?: () => ChunkFile;
  /** Marks rows' look-alike waves as they arrive (Chunk.marked). */
  marker?: RowMarker;
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
  /** The rows' CSV (header included), in `rows` order, when they went to disk as they arrived: rows hold no cells. */
  file?: ChunkFile;
  /** Every row's look-alike wave is marked (`ChunkRow.wave`). */
  marked: boolean;
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
  /** Indexes of the parent columns (groupBy) among `columns`. */
  private parentColumns: number[] = [];
  private rows: Array<ChunkRow<T>> = [];
  /** Row position of each record key in `rows`. */
  private byKey = new Map<string, number>();
  private merged = 0;
  private mergedRecords = 0;
  private nameBytes = 0;
  private valueBytes = 0;
  private readonly limits: ChunkLimits;
  /** On disk: the open chunk's file and where each row is in it (made at the first row). */
  private file: OpenChunkFile | undefined;
  /** Reused by `add`: each cell's column position and value. */
  private readonly scratchAt: number[] = [];
  private readonly scratchValues: string[] = [];

  constructor(
    limits: ChunkLimits | number,
    private readonly requiredColumns: string[] = [],
    /** Columns whose values name a parent record (lookups); rows are grouped by them at the cut. */
    private readonly groupBy: (column: string) => boolean = () => false,
    /** The record key column (Id / external id): rows with the same key are merged. */
    private readonly key?: ChunkKey,
    private readonly opts: ChunkerOptions = {},
  ) {
    this.limits = typeof limits === 'number' ? { maxBytes: limits, maxRows: Infinity } : limits;
    this.reset();
  }

  get rowCount(): number {
    return this.rows.length;
  }

  /** The first input record waiting in the chunk (the oldest), if any. */
  peekFirst(): T | undefined {
    return this.rows[0]?.source;
  }

  /**
   * Estimated bytes the open chunk holds, for the open chunks' shared budget (byte-budget.ts), not for
   * sizing jobs. In memory: about 2 B per byte of CSV value plus 400 B per row (benchmarks/row-memory.ts:
   * wide rows ~1,050 B for 320 B of CSV, narrow ~450 B for 25 B). On disk: 150 B per row (measured: ~111 B
   * of heap — the row, its RowMeta and the record's spool place — and 24 B of look-alike table, whatever
   * its width) plus half the CSV's bytes, so the open chunks of many streams also share a bound on disk.
   */
  get memoryBytes(): number {
    if (this.opts.newFile) return ROW_ON_DISK_BYTES * this.rows.length + Math.ceil(this.byteSize / 2);
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
    const at = key === undefined ? undefined : this.byKey.get(key);
    if (at !== undefined) return this.merge(at, cells, meta);
    // The row's values aligned to the columns; a column it is the first to have goes after the others.
    let fresh: string[] | undefined;
    let width = 0;
    let n = 0;
    const place = this.scratchAt;
    const cellValues = this.scratchValues;
    for (const column in cells) {
      const k = this.columnIndex.get(column) ?? this.columns.length + (fresh ??= []).push(column) - 1;
      if (k + 1 > width) width = k + 1;
      place[n] = k;
      cellValues[n++] = cells[column] as string;
    }
    const values = new Array<string>(width).fill('');
    for (let j = 0; j < n; j++) values[place[j] as number] = cellValues[j] as string;
    // On disk the row is written to the file once, staged: that gives its size, and it is kept if it fits.
    const file = this.opts.newFile ? this.openFile() : undefined;
    let rowBytes = 0;
    if (file) rowBytes = file.stage(values) - Math.max(1, width); // its values: without the commas and newline
    else for (const value of values) rowBytes += csvValueBytes(value);
    if (this.rows.length > 0) {
      const freshNameBytes = fresh ? fresh.reduce((n, c) => n + csvValueBytes(c), 0) : 0;
      const next = csvBytes(this.columns.length + (fresh?.length ?? 0), this.rows.length + 1, this.nameBytes + freshNameBytes, this.valueBytes + rowBytes);
      if (next > this.limits.maxBytes || this.rows.length >= this.limits.maxRows) {
        file?.drop();
        return this.cutBefore(cells, meta);
      }
    }
    if (fresh) for (const column of fresh) this.addColumn(column);
    this.valueBytes += rowBytes;
    const row: ChunkRow<T> = { cells: values, source: meta };
    const position = this.rows.push(row) - 1;
    if (key !== undefined) this.byKey.set(key, position);
    if (file) {
      file.commit(position, width, values, this.parentColumns);
      row.cells = NO_CELLS;
    }
    const wave = this.opts.marker?.wave(values, this.columns, position, (p) => this.exactLine(p));
    if (wave) row.wave = wave;
    return undefined;
  }

  /** A later version of the record of row `at`: merged into it (its cells win), unless it overflows the chunk. */
  private merge(at: number, cells: Cells, meta: T): Chunk<T> | undefined {
    const existing = this.rows[at] as ChunkRow<T>;
    const before = this.file ? this.file.readRow(at) : existing.cells;
    let newNameBytes = 0;
    let newCols = 0;
    let deltaBytes = 0;
    for (const column in cells) {
      const k = this.columnIndex.get(column);
      if (k === undefined) {
        newCols += 1;
        newNameBytes += csvValueBytes(column);
      }
      deltaBytes += csvValueBytes(cells[column] as string) - (k !== undefined ? csvValueBytes(before[k] ?? '') : 0);
    }
    const next = csvBytes(this.columns.length + newCols, this.rows.length, this.nameBytes + newNameBytes, this.valueBytes + deltaBytes);
    if (next > this.limits.maxBytes) return this.cutBefore(cells, meta);
    this.valueBytes += deltaBytes;
    for (const column in cells) before[this.columnIndex.get(column) ?? this.addColumn(column)] = cells[column] as string;
    for (let k = 0; k < before.length; k += 1) before[k] ??= '';
    (existing.later ??= []).push(meta);
    this.merged += 1;
    if (existing.later.length === 1) this.mergedRecords += 1;
    this.file?.rewrite(at, before, this.parentColumns);
    return undefined;
  }

  /** The rows so far are cut into a chunk (returned); the row starts the next one (an empty chunk always takes it). */
  private cutBefore(cells: Cells, meta: T): Chunk<T> | undefined {
    const cut = this.flush();
    this.add(cells, meta);
    return cut;
  }

  /** A row's exact content, as its CSV line without trailing empty cells (look-alike marking, on a collision only). */
  private exactLine(position: number): string {
    const line = this.file ? this.file.readLine(position) : csvLine((this.rows[position] as ChunkRow<T>).cells);
    let end = line.length;
    while (end > 0 && line.charCodeAt(end - 1) === 44) end -= 1; // ','
    return line.slice(0, end);
  }

  /** Cuts the rows so far into a chunk; undefined when there are none. */
  flush(): Chunk<T> | undefined {
    if (this.rows.length === 0) return undefined;
    const base = { columns: this.columns, keys: new Set(this.byKey.keys()), merged: this.merged, mergedRecords: this.mergedRecords, marked: this.opts.marker !== undefined };
    const chunk: Chunk<T> = this.file ? { ...base, ...this.finishFile(this.file) } : { ...base, rows: groupByParent(this.columns, this.rows, this.groupBy) };
    this.reset();
    return chunk;
  }

  /** On disk: the file gets its header and the rows' order (grouped by parent). */
  private finishFile(file: OpenChunkFile): { rows: Array<ChunkRow<T>>; file: ChunkFile } {
    const order = file.finish(this.columns, this.parentColumns.length > 0);
    return { rows: order.map((p) => this.rows[p] as ChunkRow<T>), file: file.file };
  }

  /** The open chunk's file, made at its first row. */
  private openFile(): OpenChunkFile {
    if (!this.file) {
      try {
        this.file = new OpenChunkFile((this.opts.newFile as () => ChunkFile)());
      } catch (err) {
        throw chunkFileError(this.rows.length, err);
      }
    }
    return this.file;
  }

  private keyOf(cells: Cells): string | undefined {
    if (!this.key || !Object.hasOwn(cells, this.key.column)) return undefined;
    const k = recordKey(this.key.kind, cells[this.key.column]);
    return k === undefined ? undefined : `${this.key.column}:${k}`;
  }

  private reset(): void {
    this.columns = [];
    this.columnIndex = new Map();
    this.parentColumns = [];
    this.rows = [];
    this.byKey = new Map();
    this.merged = 0;
    this.mergedRecords = 0;
    this.nameBytes = 0;
    this.valueBytes = 0;
    this.file = undefined;
    this.opts.marker?.reset();
    for (const c of this.requiredColumns) this.addColumn(c);
  }

  private addColumn(column: string): number {
    const existing = this.columnIndex.get(column);
    if (existing !== undefined) return existing;
    const k = this.columns.length;
    this.columnIndex.set(column, k);
    this.columns.push(column);
    this.nameBytes += csvValueBytes(column);
    if (this.groupBy(column)) this.parentColumns.push(k);
    return k;
  }
}
