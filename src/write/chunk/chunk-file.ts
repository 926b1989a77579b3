/**
 * One chunk's CSV on disk: rows are appended while the chunk fills, the header is written when it is cut,
 * and the whole CSV is read back as a fresh stream for every upload attempt (a job takes one PUT; a
 * failed upload is replayed into a new job from the same file). Memory per chunk is a write buffer and
 * 8 bytes per row, whatever the chunk's size.
 *
 * - The header is the union of the chunk's columns, known only when it is cut. A row written before a
 *   later column appeared is shorter; it is padded with empty cells (an empty cell leaves the field
 *   unchanged, as the column's absence would) while the file is read back.
 * - Cells are quoted with the rules papaparse's `unparse` applies (`,` `"` CR LF BOM, leading or trailing
 *   space; `"` doubled), as csv-text.ts writes them; LF line ends. Written here rather than with
 *   papaparse because papaparse serialises whole documents, and a chunk is written a row at a time.
 */
import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { systemError } from '../../errors';
import { AppendWriter } from '../append-writer';
import { csvCell, csvLine } from './csv-text';

/** Rows copied in a new order are written in pieces of this size. */
const WRITE_BYTES = 256 * 1024;
/** At most this much is read at once when rows are copied in a new order. */
const READ_BYTES = 1024 * 1024;

/** What a user reads when a chunk could not be written to (or read from) the temporary folder. */
export function chunkFileError(rows: number, err: unknown): Error {
  return systemError(
    `Could not write a chunk of ${rows} rows to the temporary folder (${(err as Error).message}). Give the connector a writable temporary folder with room for the open chunks and the jobs in flight (TMPDIR; bulk_job_max_mb bounds both).`,
    String(err),
  );
}

export class ChunkFile {
  private fd: number | undefined;
  /** Rows are encoded into one buffer (a line string each, no string per file write), flushed to the file when full. */
  private writer: AppendWriter;
  private bodyBytes = 0;
  /** Byte offset just past each row's '\n' in the file. */
  private rowEnds = new Float64Array(1024);
  private rows = 0;
  /** Where the row width changed: rows from `fromRow` on have `width` cells (widths only grow). */
  private readonly widths: Array<{ fromRow: number; width: number }> = [];
  private header: Buffer | undefined;
  private headerWidth = 0;
  private padding = 0;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'wx+', 0o600); // read too: readRow
    this.writer = new AppendWriter(this.fd);
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Bytes the upload sends (header and padding included) once `finish` was called; before, the rows so far. */
  get bytes(): number {
    return (this.header?.length ?? 0) + this.bodyBytes + this.padding;
  }

  /** Appends one row, its values aligned to the chunk's columns so far. */
  addRow(values: readonly string[]): void {
    this.stageRow(values);
    this.commitRow(values.length);
  }

  /**
   * Writes one row's CSV line (values aligned to the chunk's columns so far; quoted as `csvCell`) without
   * adding it yet, and returns its bytes, newline included: the chunker learns a row's size this way and
   * then adds it (`commitRow`) or, when the chunk has no room for it, forgets it (`dropRow`).
   */
  stageRow(values: readonly string[]): number {
    this.writable();
    // The line as one string, encoded into the buffer at once (a write per cell was a native call each).
    this.writer.stageText(`${csvLine(values)}\n`);
    return this.writer.stagedBytes;
  }

  /** The staged row, of `width` cells, is added. */
  commitRow(width: number): void {
    const cells = Math.max(1, width); // a row of no cells is a line of one empty cell
    const last = this.widths[this.widths.length - 1];
    if (!last || last.width !== cells) this.widths.push({ fromRow: this.rows, width: cells });
    this.bodyBytes += this.writer.stagedBytes;
    this.writer.commit();
    if (this.rows === this.rowEnds.length) {
      const grown = new Float64Array(this.rowEnds.length * 2);
      grown.set(this.rowEnds);
      this.rowEnds = grown;
    }
    this.rowEnds[this.rows] = this.bodyBytes;
    this.rows += 1;
  }

  /** The staged row is forgotten. */
  dropRow(): void {
    this.writer.drop();
  }

  /** Row `i`'s CSV line as written (no newline, not padded), read back from the file. */
  readLine(i: number): string {
    if (this.fd === undefined || i < 0 || i >= this.rows) throw new Error(`ChunkFile: no row ${i} to read`);
    this.writePending();
    const start = i === 0 ? 0 : (this.rowEnds[i - 1] as number);
    const bytes = Buffer.alloc((this.rowEnds[i] as number) - start - 1); // without its '\n'
    if (bytes.length > 0) fs.readSync(this.fd, bytes, 0, bytes.length, start);
    return bytes.toString('utf8');
  }

  /**
   * The cells of row `i` as it was written (aligned to the columns of that moment), read back from the
   * file: the chunker merges a later version of a record into it. Rare, so a read per call.
   */
  readRow(i: number): string[] {
    const line = this.readLine(i);
    const width = this.widthOf(i);
    if (line === '') return new Array<string>(width).fill('');
    const parsed = Papa.parse<string[]>(line, { header: false, delimiter: ',', newline: '\n', quoteChar: '"', dynamicTyping: false });
    return parsed.data[0] ?? new Array<string>(width).fill('');
  }

  /**
   * Writes the rest to disk and fixes the header: no row may be added after. With `order`, the file is
   * rewritten to hold only those rows, in that order (a version merged into a later row is left out;
   * rows of one parent go together), each padded to the header's width.
   */
  finish(columns: readonly string[], order?: ArrayLike<number>): void {
    if (this.fd === undefined) return;
    this.writePending();
    if (order) this.rewrite(order, columns.length); // closes the file
    else fs.closeSync(this.fd);
    this.fd = undefined;
    this.header = Buffer.from(columns.map(csvCell).join(',') + '\n', 'utf8');
    this.headerWidth = columns.length;
    this.padding = 0;
    for (let s = 0; s < this.widths.length; s++) {
      const { fromRow, width } = this.widths[s] as { fromRow: number; width: number };
      const toRow = this.widths[s + 1]?.fromRow ?? this.rows;
      this.padding += (toRow - fromRow) * Math.max(0, columns.length - width);
    }
  }

  /** The whole CSV (header, then the rows padded to the header's width), as a new stream each call. */
  open(): Readable {
    if (!this.header) throw new Error('ChunkFile: open before finish');
    const header = this.header;
    const pads = this.widths.map((w) => Math.max(0, this.headerWidth - w.width));
    if (pads.every((p) => p === 0)) return Readable.from(concat(header, fs.createReadStream(this.file, UPLOAD_READS)));
    return Readable.from(this.padded(header, pads));
  }

  /** Removes the file; the chunk is done with. */
  remove(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    fs.rmSync(this.file, { force: true });
  }

  private writePending(): void {
    if (this.fd !== undefined) this.writer.flush();
  }

  private writable(): void {
    if (this.fd === undefined) throw new Error('ChunkFile: row added after finish');
  }

  /** Cells of row `i` when it was written (widths only grow, so the last segment starting at or before it). */
  private widthOf(i: number): number {
    let lo = 0;
    let hi = this.widths.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.widths[mid] as { fromRow: number }).fromRow <= i) lo = mid;
      else hi = mid - 1;
    }
    return this.widths[lo]?.width ?? 0;
  }

  /** Copies rows `order` (in that order, padded to `width` cells) to a new file that replaces this one. */
  private rewrite(order: ArrayLike<number>, width: number): void {
    const fd = this.fd as number;
    const target = `${this.file}.next`;
    const out = fs.openSync(target, 'wx', 0o600);
    const ends = new Float64Array(Math.max(1, order.length));
    const parts: Buffer[] = [];
    let partBytes = 0;
    let written = 0;
    try {
      for (let j = 0; j < order.length; ) {
        // A run of consecutive rows is read at once (data often arrives already in order).
        const first = order[j] as number;
        const from = this.startOf(first);
        let run = 1;
        while (j + run < order.length && order[j + run] === first + run && (this.rowEnds[first + run - 1] as number) - from < READ_BYTES) run += 1;
        const last = first + run - 1;
        const block = Buffer.allocUnsafe((this.rowEnds[last] as number) - from);
        fs.readSync(fd, block, 0, block.length, from);
        for (let i = first; i <= last; i++, j++) {
          const line = block.subarray(this.startOf(i) - from, (this.rowEnds[i] as number) - from);
          const pad = width - this.widthOf(i);
          if (pad > 0) parts.push(line.subarray(0, line.length - 1), Buffer.from(`${','.repeat(pad)}\n`));
          else parts.push(line);
          partBytes += line.length + Math.max(0, pad);
          written += line.length + Math.max(0, pad);
          ends[j] = written;
        }
        if (partBytes >= WRITE_BYTES) {
          fs.writevSync(out, parts);
          parts.length = 0;
          partBytes = 0;
        }
      }
      if (parts.length > 0) fs.writevSync(out, parts);
    } finally {
      fs.closeSync(out);
    }
    fs.renameSync(target, this.file);
    fs.closeSync(fd);
    this.fd = undefined;
    this.rowEnds = ends;
    this.rows = order.length;
    this.bodyBytes = written;
    this.widths.length = 0;
    this.widths.push({ fromRow: 0, width });
  }

  private startOf(i: number): number {
    return i === 0 ? 0 : (this.rowEnds[i - 1] as number);
  }

  /** Streams the file, adding `pads[s]` empty cells before the '\n' of every row of width segment s. */
  private async *padded(header: Buffer, pads: number[]): AsyncGenerator<Buffer> {
    yield header;
    let row = 0;
    let segment = 0;
    let offset = 0; // file offset of the first byte of `piece`
    for await (const piece of fs.createReadStream(this.file, UPLOAD_READS) as AsyncIterable<Buffer>) {
      const end = offset + piece.length;
      let from = 0;
      const out: Buffer[] = [];
      while (row < this.rows && (this.rowEnds[row] as number) <= end) {
        while (segment + 1 < this.widths.length && (this.widths[segment + 1] as { fromRow: number }).fromRow <= row) segment += 1;
        const newline = (this.rowEnds[row] as number) - 1 - offset; // index of the row's '\n' in piece
        const pad = pads[segment] as number;
        if (pad > 0) {
          out.push(piece.subarray(from, newline), Buffer.from(','.repeat(pad)));
          from = newline;
        }
        row += 1;
      }
      out.push(piece.subarray(from));
      yield Buffer.concat(out);
      offset = end;
    }
  }
}

/**
 * Reads of 1 MB for an upload (the default is 64 KB): the upload runs while stdin is still read, and each
 * read waits for a turn of the busy event loop — a 20 MB job took ~300 ms to send in 64 KB pieces, ~60 ms
 * in 1 MB ones (BENCHMARKS.md). An upload holds about one piece ahead of its socket (measured with a
 * consumer slower than the disk: 1 MB read and not yet sent), so four in flight hold a few MB.
 */
const UPLOAD_READS = { highWaterMark: 1 << 20 };

async function* concat(first: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  yield* rest;
}
