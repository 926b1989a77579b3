/**
 * `check` for object_storage_config S3: writes a marker object under bucket_path, lists it back
 * and deletes it, so a sync cannot discover only at its first rejected row that S3 is unusable.
 */
import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3StorageConfig } from '../config/destination-config';
import { configError, type ConnectorError } from '../errors';
import { s3Url, s3Where, trimBucketPath } from './reject-paths';
import { createS3Client } from './s3-client';
import { describeS3Error, type S3ErrorInfo } from './s3-errors';

export interface ProbeDeps {
  /** Defaults to a client built from `storage` with few retries (destroyed afterwards). */
  client?: S3Client;
  newId?: () => string;
}

export async function probeBucket(storage: S3StorageConfig, deps: ProbeDeps = {}): Promise<void> {
  const client = deps.client ?? createS3Client(storage, { maxAttempts: 2, connectionTimeoutMs: 5_000, requestTimeoutMs: 30_000 });
  const base = trimBucketPath(storage.bucketPath);
  const key = `${base ? `${base}/` : ''}_airbyte_check/${(deps.newId ?? randomUUID)()}`;
  const Bucket = storage.bucketName;
  let written = false;
  let failure: ConnectorError | undefined;
  try {
    await step(storage, 'write a test object to', key, () =>
      client.send(new PutObjectCommand({ Bucket, Key: key, Body: 'airbyte destination-salesforce check\n', ContentType: 'text/plain' })),
    );
    written = true;
    const listed = await step(storage, 'list', key, () => client.send(new ListObjectsV2Command({ Bucket, Prefix: key })));
    if (!(listed.Contents ?? []).some((o) => o.Key === key)) {
      throw configError(
        `The S3 check wrote ${s3Url(Bucket, key)} but could not list it back (${s3Where(storage)}). ` +
          'Check that the credentials may list the bucket (s3:ListBucket) and that the endpoint is a consistent S3 store.',
      );
    }
  } catch (err) {
    failure = err as ConnectorError;
  } finally {
    if (written) {
      try {
        await step(storage, 'delete the test object from', key, () => client.send(new DeleteObjectCommand({ Bucket, Key: key })));
      } catch (err) {
        failure ??= err as ConnectorError;
      }
    }
    if (!deps.client) client.destroy();
  }
  if (failure) throw failure;
}

async function step<T>(storage: S3StorageConfig, action: string, key: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw probeError(storage, action, key, describeS3Error(err));
  }
}

function probeError(storage: S3StorageConfig, action: string, key: string, info: S3ErrorInfo): ConnectorError {
  const bucket = storage.bucketName;
  const ctx = `(${s3Where(storage)})`;
  const internal = `S3 check failed to ${action} ${s3Url(bucket, key)} ${ctx}: ${info.text}`;
  switch (info.kind) {
    case 'no_bucket':
      return configError(
        `S3 bucket '${bucket}' does not exist ${ctx}. Create it or fix s3_bucket_name / s3_bucket_region / s3_endpoint in object_storage_config.`,
        internal,
      );
    case 'access_denied':
      return configError(
        `Access denied when trying to ${action} S3 bucket '${bucket}' ${ctx}: ${info.text}. Check access_key_id / secret_access_key ` +
          'and that they allow s3:PutObject, s3:ListBucket and s3:DeleteObject on the bucket and bucket_path.',
        internal,
      );
    case 'wrong_region':
      return configError(
        `S3 bucket '${bucket}' is not in region ${storage.region} (${info.text}). Set s3_bucket_region to the bucket's region.`,
        internal,
      );
    case 'unreachable':
      return configError(
        `Could not reach S3 for bucket '${bucket}' ${ctx}: ${info.text}. Check s3_endpoint (scheme, host and port) and the network path to it.`,
        internal,
      );
    default:
      return configError(`Could not ${action} S3 bucket '${bucket}' ${ctx}: ${info.text}.`, internal);
  }
}
