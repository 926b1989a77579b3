/** Picks the rejects sink for object_storage_config: S3, or counted-and-logged for None. */
import type { StorageConfig } from '../config/destination-config';
import { LogRejectsSink } from './log-rejects-sink';
import { runSegment } from './reject-paths';
import type { RejectsSink } from './rejects-sink';
import type { S3ClientOptions } from './s3-client';
import { S3RejectsSink, type RejectsLog } from './s3-rejects-sink';

export interface CreateRejectsSinkOptions {
  /** The Airbyte sync (job) id: the per-sync folder. Absent → the start time `yyyyMMddTHHmmssZ`. */
  syncId?: string | number;
  startedAt: Date;
  log: RejectsLog;
  s3Client?: S3ClientOptions;
  /** Tuning (tests): part roll size and background-upload threshold in bytes. */
  partMaxBytes?: number;
  autoFlushBytes?: number;
}

export async function createRejectsSink(storage: StorageConfig, opts: CreateRejectsSinkOptions): Promise<RejectsSink> {
  if (storage.storageType !== 'S3') return new LogRejectsSink(opts.log);
  // Loaded only for S3 storage: the AWS SDK takes ~0.15 s to load, which every sync would pay at start.
  const { createS3Client } = await import('./s3-client');
  return new S3RejectsSink({
    client: createS3Client(storage, opts.s3Client),
    storage,
    run: runSegment(opts.syncId, opts.startedAt),
    log: opts.log,
    partMaxBytes: opts.partMaxBytes,
    autoFlushBytes: opts.autoFlushBytes,
  });
}
