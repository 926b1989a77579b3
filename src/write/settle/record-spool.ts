/**
 * The input records of rows in flight, on disk: a row keeps where its record is (a few bytes) instead
 * of the parsed record, whose values would otherwise stay in memory until the row is settled. The
 * record is read back only when the row is rejected (the rejects store gets it as it arrived).
 *
 * - One JSON line per record — the input line itself when given, as stdin's bytes (no second serialisation
 *   or encoding on the hot path; its `record` is taken when read back), else the record serialised —
 *   appended to the current spool file through its write buffer (append-writer.ts); a
 *   file takes records until it holds `fileBytes`, then the next one starts.
 * - Every settled row releases its record; a file no longer written whose records are all released
 *   is removed, so the disk holds roughly the records in flight, not the whole input.
 * - A row keeps its record's place as one number (`SpoolPlace`: file, whether the line is the whole
 *   message, offset; the record ends at its line's newline), not an object: with hundreds of thousands
 *   of rows in flight, an object per row was ~56 bytes of each and more for the collector to trace.
 * - Without a folder (`folder` undefined) records stay in memory as they are.
 * A record nested too deep for JSON.stringify is spooled as the rejects store would get it
 * (safe-record.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { systemError } from '../../errors';
import type { AirbyteRecord } from '../../protocol/types';
import { AppendWriter } from '../append-writer';
import { rejectableRecord } from './safe-record';

const FILE_BYTES = 64 * 1024 * 1024;
const NEWLINE = 0x0a;

export class SpoolFile {
  readonly fd: number;
  readonly writer: AppendWriter;
  /** Records kept in this file and not yet released. */
  live = 0;
  removed = false;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'wx+', 0o600);
    this.writer = new AppendWriter(this.fd);
  }

  remove(): void {
    if (this.removed) return;
    this.removed = true;
    fs.closeSync(this.fd);
    fs.rmSync(this.file, { force: true });
  }
}

/**
 * Where a row's record is in the spool: `(file number × 2 + whole message) × 2²⁶ + offset` (a line starts
 * below `fileBytes` ≤ 64 MiB = 2²⁶; exact in a double up to 2²⁶ files).
 */
export type SpoolPlace = number;

const OFFSET_SPAN = 2 ** 26;

export type KeptRecord = AirbyteRecord | SpoolPlace;

/** Bytes read at a time when a record is read back up to its line's end. */
const READ_BYTES = 64 * 1024;

export class RecordSpool {
  private current: SpoolFile | undefined;
  /** Spool files not removed yet, by number. */
  private readonly open = new Map<number, SpoolFile>();
  private next = 0;

  constructor(
    /** The folder for spool files (made on first use); undefined: records stay in memory. */
    private readonly folder?: () => string,
    private readonly fileBytes = FILE_BYTES,
  ) {
    if (!(fileBytes > 0 && fileBytes <= OFFSET_SPAN)) throw new Error(`RecordSpool: fileBytes must be in (0, ${OFFSET_SPAN}]`);
  }

  /**
   * `messageLine`: the input line the record came in, spooled as is — its bytes as stdin gave them (no
   * line end in them), or its text.
   */
  keep(record: AirbyteRecord, messageLine?: string | Uint8Array): KeptRecord {
    if (!this.folder) return record;
    const line = messageLine ?? serialised(record);
    const bytes = typeof line === 'string' ? Buffer.byteLength(line, 'utf8') : line.length;
    const file = this.fileFor(bytes + 1);
    const place = (this.next * 2 + (messageLine !== undefined ? 1 : 0)) * OFFSET_SPAN + file.writer.size;
    try {
      if (typeof line === 'string') file.writer.stageText(line);
      else file.writer.stageBytes(line);
      file.writer.stageByte(NEWLINE);
      file.writer.commit();
    } catch (err) {
      file.writer.drop();
      throw spoolError(err);
    }
    file.live += 1;
    return place;
  }

  /** The record as it arrived (read back from disk when spooled). */
  record(kept: KeptRecord): AirbyteRecord {
    if (typeof kept !== 'number') return kept;
    const { file, offset, wholeMessage } = this.placeOf(kept);
    let text: string;
    try {
      text = this.lineAt(file, offset);
    } catch (err) {
      throw systemError(`Could not read a rejected row's record back from the temporary folder (${(err as Error).message}).`, String(err));
    }
    const parsed = JSON.parse(text) as { record: AirbyteRecord } | AirbyteRecord;
    return wholeMessage ? (parsed as { record: AirbyteRecord }).record : (parsed as AirbyteRecord);
  }

  /** The row is settled: its record is no longer needed. */
  release(kept: KeptRecord): void {
    if (typeof kept !== 'number') return;
    const file = this.placeOf(kept).file;
    file.live -= 1;
    if (file.live <= 0 && file !== this.current) this.remove(file);
  }

  /** Closes and removes every spool file (the end of the sync). */
  close(): void {
    for (const file of this.open.values()) file.remove();
    this.open.clear();
    this.current = undefined;
  }

  private placeOf(place: SpoolPlace): { file: SpoolFile; offset: number; wholeMessage: boolean } {
    const offset = place % OFFSET_SPAN;
    const tag = (place - offset) / OFFSET_SPAN;
    const file = this.open.get(Math.floor(tag / 2));
    if (!file) throw systemError('A spooled record was asked for after its spool file was removed; the sync stopped without settling its row.');
    return { file, offset, wholeMessage: tag % 2 === 1 };
  }

  /** The text of the line that starts at `offset` (up to its newline, not included). */
  private lineAt(file: SpoolFile, offset: number): string {
    const parts: Buffer[] = [];
    for (let at = offset; ; ) {
      if (at >= file.writer.flushed) this.write(file);
      const piece = Buffer.alloc(Math.min(READ_BYTES, Math.max(1, file.writer.flushed - at)));
      const n = fs.readSync(file.fd, piece, 0, piece.length, at);
      if (n === 0) throw new Error(`spool file ended at ${at} before the record's line did`);
      const end = piece.subarray(0, n).indexOf(NEWLINE);
      if (end >= 0) {
        parts.push(piece.subarray(0, end));
        return Buffer.concat(parts).toString('utf8');
      }
      parts.push(piece.subarray(0, n));
      at += n;
    }
  }

  private remove(file: SpoolFile): void {
    file.remove();
    for (const [n, f] of this.open) if (f === file) this.open.delete(n);
  }

  private fileFor(bytes: number): SpoolFile {
    const cur = this.current;
    if (cur && cur.writer.size + bytes <= this.fileBytes) return cur;
    if (cur) {
      this.write(cur);
      if (cur.live <= 0) this.remove(cur);
    }
    this.next += 1;
    let file: SpoolFile;
    try {
      file = new SpoolFile(path.join((this.folder as () => string)(), `records-${this.next}.jsonl`));
    } catch (err) {
      throw spoolError(err);
    }
    this.open.set(this.next, file);
    this.current = file;
    return file;
  }

  private write(file: SpoolFile): void {
    try {
      file.writer.flush();
    } catch (err) {
      throw spoolError(err);
    }
  }
}

function serialised(record: AirbyteRecord): string {
  try {
    return JSON.stringify(record);
  } catch {
    return JSON.stringify(rejectableRecord(record)); // nested too deep for JSON.stringify
  }
}

function spoolError(err: unknown): Error {
  return systemError(`Could not write the records of rows in flight to the temporary folder (${(err as Error).message}). Give the connector a writable temporary folder (TMPDIR) with room for them.`, String(err));
}
