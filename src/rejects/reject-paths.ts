/**
 * Object keys for rejected rows:
 * `{bucket_path trimmed of '/'}/{sync id or start time}/{namespace or _default}/{stream}/part-0001.jsonl`.
 */
import type { S3StorageConfig } from '../config/destination-config';
import type { StreamDescriptor } from '../protocol/types';

const DEFAULT_NAMESPACE_SEGMENT = '_default';

/** A single key segment: S3-safe characters only (others become '_'), never empty, '.' or '..'. */
export function safeSegment(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9!_.*'()-]/g, '_').slice(0, 200);
  if (cleaned === '' ) return '_';
  if (/^\.+$/.test(cleaned)) return cleaned.replace(/\./g, '_');
  return cleaned;
}

/** `20240131T235959Z` (UTC). */
export function compactTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** The per-sync segment: the sync (job) id when known, else the start time. */
export function runSegment(syncId: string | number | undefined | null, startedAt: Date): string {
  const id = syncId === undefined || syncId === null ? '' : String(syncId).trim();
  return id !== '' ? safeSegment(id) : compactTimestamp(startedAt);
}

/** The user's bucket_path without leading, trailing or doubled slashes. */
export function trimBucketPath(bucketPath: string | undefined): string {
  return (bucketPath ?? '')
    .split('/')
    .filter((s) => s !== '')
    .join('/');
}

/** `{bucket_path}/{run}` (just `{run}` without a bucket path). */
export function runPrefix(bucketPath: string | undefined, run: string): string {
  const base = trimBucketPath(bucketPath);
  return base ? `${base}/${run}` : run;
}

export function streamPrefix(runPrefixKey: string, stream: StreamDescriptor): string {
  const ns = stream.namespace ? safeSegment(stream.namespace) : DEFAULT_NAMESPACE_SEGMENT;
  return `${runPrefixKey}/${ns}/${safeSegment(stream.name)}`;
}

export function partKey(streamPrefixKey: string, part: number, extension: string): string {
  return `${streamPrefixKey}/part-${String(part).padStart(4, '0')}.${extension}`;
}

/** The part number of a key written by partKey, or undefined. */
export function partNumberOf(key: string): number | undefined {
  const m = /\/part-(\d+)\.[A-Za-z0-9]+$/.exec(key);
  return m ? Number(m[1]) : undefined;
}

/** `s3://bucket/key` (a folder: pass its key with the trailing '/'). */
export function s3Url(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** `region eu-west-1` or `region eu-west-1, endpoint http://…`, for messages. */
export function s3Where(storage: S3StorageConfig): string {
  return `region ${storage.region}${storage.endpoint ? `, endpoint ${storage.endpoint}` : ''}`;
}
