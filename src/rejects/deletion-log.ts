/**
 * The deletion log of mirror streams (issue 16): every record a mirror deleted, one JSON line
 * `{"Id", "key", "object", "time"}`, next to the stream's rejected rows:
 * `{bucket_path}/{sync id}/{namespace}/{stream}/deletions/part-NNNN.jsonl` (paths as reject-paths.ts
 * builds them; part numbers continue after those already stored, so a rerun never overwrites).
 * With storage None the deleted Ids are logged instead, so a mistake can still be undone from the
 * recycle bin.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3StorageConfig, StorageConfig } from '../config/destination-config';
import { systemError } from '../errors';
import type { StreamDescriptor } from '../protocol/types';
import { partKey, runPrefix, s3Url, s3Where, streamPrefix } from './reject-paths';
import { describeS3Error } from './s3-errors';
import { lastPartNumber, putObject } from './s3-objects';
import type { RejectsLog } from './s3-rejects-sink';

export interface DeletedRecord {
  Id: string;
  /** The record's key as Salesforce holds it. */
  key: string;
  object: string;
  /** ISO-8601 time Salesforce confirmed the deletion. */
  time: string;
}

export interface DeletionLog {
  /** Stores one batch of deleted records durably (throws a system_error when it cannot). */
  write(stream: StreamDescriptor, records: DeletedRecord[]): Promise<void>;
  /** Where the stream's log goes, for messages. */
  location(stream: StreamDescriptor): string;
  close(): void;
}

/** Logged Ids per LOG message when nothing is stored. */
const IDS_PER_LOG = 200;

export async function createDeletionLog(storage: StorageConfig, run: string, log: RejectsLog): Promise<DeletionLog> {
  if (storage.storageType !== 'S3') return new LoggedDeletionLog(log);
  // Loaded only for S3 storage: the AWS SDK takes ~0.15 s to load, which every sync would pay at start.
  const { createS3Client } = await import('./s3-client');
  return new S3DeletionLog(createS3Client(storage), storage, run);
}

export class S3DeletionLog implements DeletionLog {
  private readonly nextPart = new Map<string, number>();
  private readonly runKey: string;

  constructor(
    private readonly client: S3Client,
    private readonly storage: S3StorageConfig,
    run: string,
  ) {
    this.runKey = runPrefix(storage.bucketPath, run);
  }

  async write(stream: StreamDescriptor, records: DeletedRecord[]): Promise<void> {
    if (records.length === 0) return;
    const prefix = this.prefix(stream);
    let key = `${prefix}/`;
    try {
      const part = this.nextPart.get(prefix) ?? (await lastPartNumber(this.client, this.storage.bucketName, prefix)) + 1;
      key = partKey(prefix, part, 'jsonl');
      const body = Buffer.from(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
      await putObject(this.client, this.storage.bucketName, key, body, 'application/x-ndjson');
      this.nextPart.set(prefix, part + 1);
    } catch (err) {
      const info = describeS3Error(err);
      const where = s3Url(this.storage.bucketName, key);
      throw systemError(
        `Could not store the deletion log of ${records.length} deleted ${records[0]?.object} record(s) at ${where}: ${info.text}. ` +
          `The records are in the Salesforce recycle bin (Ids: ${records.slice(0, 20).map((r) => r.Id).join(', ')}${records.length > 20 ? ', …' : ''}); ` +
          'check that the bucket exists and the credentials may write to it (s3:PutObject, s3:ListBucket).',
        `S3 ${info.kind} error writing ${where} (${s3Where(this.storage)}): ${info.text}`,
      );
    }
  }

  location(stream: StreamDescriptor): string {
    return s3Url(this.storage.bucketName, `${this.prefix(stream)}/`);
  }

  close(): void {
    this.client.destroy();
  }

  private prefix(stream: StreamDescriptor): string {
    return `${streamPrefix(this.runKey, stream)}/deletions`;
  }
}

class LoggedDeletionLog implements DeletionLog {
  constructor(private readonly log: RejectsLog) {}

  async write(stream: StreamDescriptor, records: DeletedRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += IDS_PER_LOG) {
      const ids = records.slice(i, i + IDS_PER_LOG).map((r) => r.Id);
      this.log('INFO', `Mirror of stream ${stream.name} deleted ${records[0]?.object} records: ${ids.join(', ')}`);
    }
  }

  location(): string {
    return 'this sync\'s log (storage_type is None: set object_storage_config to S3 to keep a deletion log)';
  }

  close(): void {}
}
