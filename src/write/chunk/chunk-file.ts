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
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { NEEDS_QUOTES } from './csv-text';

/** Written to the file once this much text is pending. */
const WRITE_BYTES = 256 * 1024;

export function csvCell(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** This connector's folder in the temp folder; each process's chunk folder in it is `<pid>-XXXXXX`. */
const ROOT = 'dsf-salesforce';

/**
 * Removes `<pid>-…` folders whose process is gone (a SIGKILL leaves its folder behind). Only our own
 * folder is read, never the whole temp folder (tens of thousands of entries on a busy host).
 */
function removeStale(root: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** `<tmp>/dsf-salesforce`, made private to this user; undefined when it exists as something else (another user's folder, a file). */
function sharedRoot(tmp: string): string | undefined {
  const root = path.join(tmp, ROOT);
  try {
    fs.mkdirSync(root, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const stat = fs.lstatSync(root);
  const uid = process.getuid?.();
  return stat.isDirectory() && (uid === undefined || stat.uid === uid) ? root : undefined;
}

/** A folder for this process's chunk files, removed (with any file left) by `remove`. */
export class ChunkDir {
  private next = 0;

  private constructor(
    readonly path: string,
    private readonly root: string | undefined,
  ) {}

  /**
   * `<tmp>/dsf-salesforce/<pid>-XXXXXX`; folders there left by processes that no longer run (killed) are
   * removed first. When `dsf-salesforce` is not ours, `<tmp>/dsf-salesforce-<pid>-XXXXXX` (no clean-up).
   */
  static create(tmp = os.tmpdir()): ChunkDir {
    for (let attempt = 1; ; attempt++) {
      try {
        const root = sharedRoot(tmp);
        if (!root) return new ChunkDir(fs.mkdtempSync(path.join(tmp, `${ROOT}-${process.pid}-`)), undefined);
        removeStale(root);
        return new ChunkDir(fs.mkdtempSync(path.join(root, `${process.pid}-`)), root);
      } catch (err) {
        // Another process removed the shared folder as it left it empty: make it again (each such removal is
        // another sync ending, so this does not go on; the bound only ends it when the temp folder is missing).
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 20) throw err;
      }
    }
  }

  newFile(): ChunkFile {
    this.next += 1;
    return new ChunkFile(path.join(this.path, `chunk-${this.next}.csv`));
  }

  /** Removes this process's folder, and the shared folder when no other process has one in it. */
  remove(): void {
    fs.rmSync(this.path, { recursive: true, force: true });
    if (!this.root) return;
    try {
      fs.rmdirSync(this.root);
    } catch {
      // not empty (another sync is running) or already gone
    }
  }
}

export class ChunkFile {
  private fd: number | undefined;
  private pending: string[] = [];
  private pendingBytes = 0;
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
    this.fd = fs.openSync(file, 'wx', 0o600);
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
    if (this.fd === undefined) throw new Error('ChunkFile: row added after finish');
    const last = this.widths[this.widths.length - 1];
    if (!last || last.width !== values.length) this.widths.push({ fromRow: this.rows, width: values.length });
    let line = '';
    for (let i = 0; i < values.length; i++) line += (i ? ',' : '') + csvCell(values[i] as string);
    line += '\n';
    const n = Buffer.byteLength(line, 'utf8');
    this.pending.push(line);
    this.pendingBytes += n;
    this.bodyBytes += n;
    if (this.rows === this.rowEnds.length) {
      const grown = new Float64Array(this.rowEnds.length * 2);
      grown.set(this.rowEnds);
      this.rowEnds = grown;
    }
    this.rowEnds[this.rows] = this.bodyBytes;
    this.rows += 1;
    if (this.pendingBytes >= WRITE_BYTES) this.writePending();
  }

  /** Writes the rest to disk and fixes the header: no row may be added after. */
  finish(columns: readonly string[]): void {
    if (this.fd === undefined) return;
    this.writePending();
    fs.closeSync(this.fd);
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
    if (pads.every((p) => p === 0)) return Readable.from(concat(header, fs.createReadStream(this.file)));
    return Readable.from(this.padded(header, pads));
  }

  /** Removes the file; the chunk is done with. */
  remove(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    fs.rmSync(this.file, { force: true });
  }

  private writePending(): void {
    if (this.pending.length === 0 || this.fd === undefined) return;
    fs.writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Streams the file, adding `pads[s]` empty cells before the '\n' of every row of width segment s. */
  private async *padded(header: Buffer, pads: number[]): AsyncGenerator<Buffer> {
    yield header;
    let row = 0;
    let segment = 0;
    let offset = 0; // file offset of the first byte of `piece`
    for await (const piece of fs.createReadStream(this.file) as AsyncIterable<Buffer>) {
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

async function* concat(first: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  yield* rest;
}
