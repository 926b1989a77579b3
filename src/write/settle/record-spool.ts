/**
 * The input records of rows in flight, on disk: a row keeps where its record is (a few bytes) instead
 * of the parsed record, whose values would otherwise stay in memory until the row is settled. The
 * record is read back only when the row is rejected (the rejects store gets it as it arrived).
 *
 * - One JSON line per record — the input line itself when given (no second serialisation on the hot
 *   path; its `record` is taken when read back), else the record serialised — appended to the current spool file (written in pieces of 256 KB); a
 *   file takes records until it holds `fileBytes`, then the next one starts.
 * - Every settled row releases its record; a file no longer written whose records are all released
 *   is removed, so the disk holds roughly the records in flight, not the whole input.
 * - Without a folder (`folder` undefined) records stay in memory as they are.
 * A record nested too deep for JSON.stringify is spooled as the rejects store would get it
 * (safe-record.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { systemError } from '../../errors';
import type { AirbyteRecord } from '../../protocol/types';
import { rejectableRecord } from './safe-record';

const WRITE_BYTES = 256 * 1024;
const FILE_BYTES = 64 * 1024 * 1024;

export class SpoolFile {
  readonly fd: number;
  /** Bytes written to disk, and bytes appended (pending included). */
  flushed = 0;
  size = 0;
  pending: string[] = [];
  /** Records kept in this file and not yet released. */
  live = 0;
  removed = false;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'wx+', 0o600);
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    fs.writeSync(this.fd, text, this.flushed, 'utf8');
    this.flushed = this.size;
  }

  remove(): void {
    if (this.removed) return;
    this.removed = true;
    fs.closeSync(this.fd);
    fs.rmSync(this.file, { force: true });
  }
}

/** Where a row's record is in the spool. */
export class SpooledRecord {
  constructor(
    readonly file: SpoolFile,
    readonly at: number,
    readonly length: number,
    /** The line is the whole input message (`{"type":"RECORD","record":…}`), not the record alone. */
    readonly wholeMessage: boolean,
  ) {}
}

export type KeptRecord = AirbyteRecord | SpooledRecord;

export class RecordSpool {
  private current: SpoolFile | undefined;
  private readonly open = new Set<SpoolFile>();
  private next = 0;

  constructor(
    /** The folder for spool files (made on first use); undefined: records stay in memory. */
    private readonly folder?: () => string,
    private readonly fileBytes = FILE_BYTES,
  ) {}

  /** `messageLine`: the input line the record came in, spooled as is. */
  keep(record: AirbyteRecord, messageLine?: string): KeptRecord {
    if (!this.folder) return record;
    const line = (messageLine ?? serialised(record)) + '\n';
    const bytes = Buffer.byteLength(line, 'utf8');
    const file = this.fileFor(bytes);
    const kept = new SpooledRecord(file, file.size, bytes - 1, messageLine !== undefined);
    file.pending.push(line);
    file.size += bytes;
    file.live += 1;
    if (file.size - file.flushed >= WRITE_BYTES) this.write(file);
    return kept;
  }

  /** The record as it arrived (read back from disk when spooled). */
  record(kept: KeptRecord): AirbyteRecord {
    if (!(kept instanceof SpooledRecord)) return kept;
    const { file, at, length } = kept;
    if (at + length > file.flushed) this.write(file);
    const buf = Buffer.alloc(length);
    let got = 0;
    try {
      while (got < length) {
        const n = fs.readSync(file.fd, buf, got, length - got, at + got);
        if (n === 0) break;
        got += n;
      }
    } catch (err) {
      throw systemError(`Could not read a rejected row's record back from the temporary folder (${(err as Error).message}).`, String(err));
    }
    const parsed = JSON.parse(buf.subarray(0, got).toString('utf8')) as { record: AirbyteRecord } | AirbyteRecord;
    return kept.wholeMessage ? (parsed as { record: AirbyteRecord }).record : (parsed as AirbyteRecord);
  }

  /** The row is settled: its record is no longer needed. */
  release(kept: KeptRecord): void {
    if (!(kept instanceof SpooledRecord)) return;
    const file = kept.file;
    file.live -= 1;
    if (file.live <= 0 && file !== this.current) this.remove(file);
  }

  /** Closes and removes every spool file (the end of the sync). */
  close(): void {
    for (const file of this.open) file.remove();
    this.open.clear();
    this.current = undefined;
  }

  private remove(file: SpoolFile): void {
    file.remove();
    this.open.delete(file);
  }

  private fileFor(bytes: number): SpoolFile {
    const cur = this.current;
    if (cur && cur.size + bytes <= this.fileBytes) return cur;
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
    this.open.add(file);
    this.current = file;
    return file;
  }

  private write(file: SpoolFile): void {
    try {
      file.flush();
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
