/**
 * Rejected rows to S3: buffered per stream, each flush() stores the buffered rows as the next
 * part file(s) under `{bucket_path}/{run}/{namespace}/{stream}/`. A row leaves the buffer only once
 * S3 confirmed its part; when storing fails the rows go back to the front of the buffer, flush()
 * rejects (system_error) and the next flush() tries them again: nothing is dropped.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3StorageConfig } from '../config/destination-config';
import { systemError, type ConnectorError } from '../errors';
import type { LogLevel, StreamDescriptor } from '../protocol/types';
import { rejectFormat, type RejectFormat } from './reject-format';
import { partKey, runPrefix, s3Url, s3Where, streamPrefix } from './reject-paths';
import { RejectSummary } from './reject-summary';
import type { RejectedRow, RejectsSink } from './rejects-sink';
import { describeS3Error } from './s3-errors';
import { DEFAULT_MULTIPART_THRESHOLD, lastPartNumber, putObject } from './s3-objects';

export type RejectsLog = (level: LogLevel, message: string) => void;

export interface S3RejectsSinkOptions {
  client: S3Client;
  storage: S3StorageConfig;
  /** The per-sync segment (sync id or start time), see runSegment(). */
  run: string;
  log: RejectsLog;
  /** Largest part file in bytes; more rows roll into the next part. Default 64 MiB. */
  partMaxBytes?: number;
  /** Buffered bytes at which an upload starts without waiting for flush(). Default 16 MiB. */
  autoFlushBytes?: number;
  /** Part files at or above this size use multipart upload. Default 16 MiB. */
  multipartThreshold?: number;
}

interface Line {
  text: string;
  bytes: number;
}

interface StreamBuffer {
  prefix: string;
  lines: Line[];
  bytes: number;
  /** Next part number; looked up in the bucket before the first upload so reruns never overwrite. */
  nextPart?: number;
}

export class S3RejectsSink implements RejectsSink {
  readonly summary = new RejectSummary();
  private readonly format: RejectFormat;
  private readonly runKey: string;
  /** By key prefix: streams whose names map to the same prefix share a buffer (and part numbers). */
  private readonly buffers = new Map<string, StreamBuffer>();
  /** By stream (namespace + name), so the prefix is built once per stream, not per row. */
  private readonly streamBuffers = new Map<string, StreamBuffer>();
  private readonly partMaxBytes: number;
  private readonly autoFlushBytes: number;
  private bufferedBytes = 0;
  private chain: Promise<void> = Promise.resolve();
  private autoFlushing = false;
  private warnedBackgroundFailure = false;
  private closing: Promise<void> | undefined;
  private stored = { rows: 0, parts: 0 };

  constructor(private readonly opts: S3RejectsSinkOptions) {
    this.format = rejectFormat(opts.storage.format);
    this.runKey = runPrefix(opts.storage.bucketPath, opts.run);
    this.partMaxBytes = opts.partMaxBytes ?? 64 * 1024 * 1024;
    this.autoFlushBytes = opts.autoFlushBytes ?? 16 * 1024 * 1024;
  }

  add(row: RejectedRow): void {
    if (this.closing) throw systemError('Internal error: a rejected row arrived after the rejects sink was closed.');
    const text = this.format.line(row);
    const line = { text, bytes: Buffer.byteLength(text) };
    const buffer = this.bufferFor(row.stream);
    buffer.lines.push(line);
    buffer.bytes += line.bytes;
    this.bufferedBytes += line.bytes;
    this.summary.add(row.errorCode, row.errorMessage, row.record?.data);
    if (this.bufferedBytes >= this.autoFlushBytes && !this.autoFlushing) this.autoFlush();
  }

  flush(): Promise<void> {
    const run = this.chain.then(() => this.uploadAll());
    this.chain = run.catch(() => undefined);
    return run;
  }

  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  location(): string {
    return s3Url(this.opts.storage.bucketName, `${this.runKey}/`);
  }

  /** Rows added but not yet stored (for tests and the end-of-sync summary). */
  pendingRows(): number {
    let n = 0;
    for (const b of this.buffers.values()) n += b.lines.length;
    return n;
  }

  private bufferFor(stream: StreamDescriptor): StreamBuffer {
    const id = `${stream.namespace ?? ''}\u0000${stream.name}`;
    let buffer = this.streamBuffers.get(id);
    if (!buffer) {
      const prefix = streamPrefix(this.runKey, stream);
      buffer = this.buffers.get(prefix) ?? { prefix, lines: [], bytes: 0 };
      this.buffers.set(prefix, buffer);
      this.streamBuffers.set(id, buffer);
    }
    return buffer;
  }

  private autoFlush(): void {
    this.autoFlushing = true;
    this.flush()
      .then(() => {
        this.warnedBackgroundFailure = false;
      })
      .catch((err: ConnectorError) => {
        // One warning per outage: the explicit flush before the next STATE reports the failure.
        if (this.warnedBackgroundFailure) return;
        this.warnedBackgroundFailure = true;
        this.opts.log('WARN', `Background upload of rejected rows failed; the next flush retries them. ${err.message}`);
      })
      .finally(() => {
        this.autoFlushing = false;
      });
  }

  private async uploadAll(): Promise<void> {
    const results = await Promise.allSettled([...this.buffers.values()].map((b) => this.uploadStream(b)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async uploadStream(buffer: StreamBuffer): Promise<void> {
    if (buffer.lines.length === 0) return;
    const lines = buffer.lines;
    buffer.lines = [];
    this.bufferedBytes -= buffer.bytes;
    buffer.bytes = 0;
    const { bucketName } = this.opts.storage;
    let done = 0;
    let key = `${buffer.prefix}/`;
    try {
      buffer.nextPart ??= (await lastPartNumber(this.opts.client, bucketName, buffer.prefix)) + 1;
      while (done < lines.length) {
        const end = this.partEnd(lines, done);
        key = partKey(buffer.prefix, buffer.nextPart, this.format.extension);
        const body = Buffer.from(this.format.header + lines.slice(done, end).map((l) => l.text).join(''));
        await putObject(this.opts.client, bucketName, key, body, this.format.contentType, this.opts.multipartThreshold ?? DEFAULT_MULTIPART_THRESHOLD);
        buffer.nextPart += 1;
        this.stored.rows += end - done;
        this.stored.parts += 1;
        done = end;
      }
    } catch (err) {
      // Put the unstored rows back in front of those added meanwhile; the next flush retries them.
      const rest = lines.slice(done);
      const restBytes = rest.reduce((sum, l) => sum + l.bytes, 0);
      buffer.lines = rest.concat(buffer.lines);
      buffer.bytes += restBytes;
      this.bufferedBytes += restBytes;
      throw this.storageError(key, rest.length, err);
    }
  }

  /** Index after the last line that fits in one part (at least one line per part). */
  private partEnd(lines: Line[], start: number): number {
    let size = Buffer.byteLength(this.format.header);
    let end = start;
    while (end < lines.length) {
      const next = (lines[end] as Line).bytes;
      if (end > start && size + next > this.partMaxBytes) break;
      size += next;
      end += 1;
    }
    return end;
  }

  private storageError(key: string, rows: number, err: unknown): ConnectorError {
    const info = describeS3Error(err);
    const where = s3Url(this.opts.storage.bucketName, key);
    return systemError(
      `Could not store ${rows} rejected row(s) at ${where}: ${info.text}. ` +
        'The sync stops without confirming these records so none is lost; check that the bucket exists and the ' +
        'credentials may write to it (s3:PutObject, s3:ListBucket).',
      `S3 ${info.kind} error writing ${where} (${s3Where(this.opts.storage)}): ${info.text}`,
    );
  }

  private async doClose(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.logSummary();
      this.opts.client.destroy();
    }
  }

  private logSummary(): void {
    const total = this.summary.total;
    const pending = this.pendingRows();
    if (total === 0) {
      this.opts.log('INFO', `No rejected rows in this sync (they would have been written under ${this.location()}).`);
      return;
    }
    const head =
      `Rejected rows: ${total}; ${this.stored.rows} stored in ${this.stored.parts} part file(s) under ${this.location()}` +
      (pending > 0 ? `; ${pending} NOT stored because S3 could not be written.` : '.');
    this.opts.log(pending > 0 ? 'ERROR' : 'INFO', [head, ...this.summary.summaryLines()].join('\n'));
  }
}
