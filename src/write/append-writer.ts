/**
 * Appends to a temporary file through one write buffer: text is encoded straight into the buffer and bytes
 * are copied into it, and the buffer goes to disk in one write when full. Used by the record spool
 * (settle/record-spool.ts) and the chunk files (chunk/chunk-file.ts), which append a line per row.
 *
 * Why not a list of pending strings joined at each write (what both did before): the join copies every
 * line once more and `writeSync` of a string encodes it again, while stdin's bytes are already UTF-8
 * (the spool copies them as they came). A row may be staged (written after the committed bytes, not yet
 * counted) and then committed or dropped: the chunker learns a row's CSV size by writing it, and keeps it
 * only if the chunk has room.
 */
import * as fs from 'node:fs';

const BUFFER_BYTES = 256 * 1024;

export class AppendWriter {
  private buf: Buffer;
  /** Committed bytes in the buffer, not yet on disk. */
  private used = 0;
  /** Staged bytes after `used` (a row being written). */
  private staged = 0;
  /** Bytes on disk. */
  private written = 0;

  constructor(
    private readonly fd: number,
    private readonly capacity = BUFFER_BYTES,
  ) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Bytes committed (on disk and in the buffer). */
  get size(): number {
    return this.written + this.used;
  }

  /** Bytes staged and not yet committed or dropped. */
  get stagedBytes(): number {
    return this.staged;
  }

  /** Bytes committed and already on disk (what a read of the file sees). */
  get flushed(): number {
    return this.written;
  }

  /** Stages `text` (UTF-8) after what is staged so far; returns its bytes. */
  stageText(text: string): number {
    const free = this.buf.length - this.used - this.staged;
    // At most 3 bytes per UTF-16 unit: only a long text needs its exact size first.
    const n = text.length * 3 <= free ? this.buf.write(text, this.used + this.staged, 'utf8') : this.stageLong(text);
    this.staged += n;
    return n;
  }

  /** Stages bytes (already UTF-8, e.g. as stdin gave them); returns their length. */
  stageBytes(bytes: Uint8Array): number {
    this.room(bytes.length);
    this.buf.set(bytes, this.used + this.staged);
    this.staged += bytes.length;
    return bytes.length;
  }

  /** Stages one byte (a comma, a newline). */
  stageByte(byte: number): void {
    this.room(1);
    this.buf[this.used + this.staged] = byte;
    this.staged += 1;
  }

  /** The staged bytes become part of the file (at offset `size` before this call). */
  commit(): void {
    this.used += this.staged;
    this.staged = 0;
    if (this.used < this.capacity) return;
    this.flush();
    if (this.buf.length > 4 * this.capacity) this.buf = Buffer.allocUnsafe(this.capacity); // after a huge row
  }

  /** Forgets the staged bytes. */
  drop(): void {
    this.staged = 0;
  }

  /** Writes the committed bytes to disk (staged ones stay staged). */
  flush(): void {
    if (this.used === 0) return;
    fs.writeSync(this.fd, this.buf, 0, this.used, this.written);
    this.written += this.used;
    this.buf.copy(this.buf, 0, this.used, this.used + this.staged);
    this.used = 0;
  }

  private stageLong(text: string): number {
    const n = Buffer.byteLength(text, 'utf8');
    this.room(n);
    return this.buf.write(text, this.used + this.staged, 'utf8');
  }

  /** Makes room for `n` more staged bytes: the committed ones go to disk, and a row larger than the buffer grows it. */
  private room(n: number): void {
    if (this.used + this.staged + n <= this.buf.length) return;
    this.flush();
    if (this.staged + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.staged + n));
    this.buf.copy(grown, 0, 0, this.staged);
    this.buf = grown;
  }
}
