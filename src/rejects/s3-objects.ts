/** The two S3 calls the rejects sink needs: store one object (multipart when large), find the last part. */
import type { S3Client } from '@aws-sdk/client-s3';
import { partNumberOf } from './reject-paths';

/**
 * The SDK's commands, loaded on the first S3 call: this module is part of every sync's start (the rejects
 * sink and deletion log import it) while the SDK, ~0.15 s to load, is needed only with S3 storage.
 */
const sdk = () => import('@aws-sdk/client-s3');

/** Bodies at or above this size go through lib-storage's multipart Upload. */
export const DEFAULT_MULTIPART_THRESHOLD = 16 * 1024 * 1024;
const MULTIPART_PART_SIZE = 8 * 1024 * 1024;

export async function putObject(
  client: S3Client,
  bucket: string,
  key: string,
  body: Buffer,
  contentType: string,
  multipartThreshold = DEFAULT_MULTIPART_THRESHOLD,
): Promise<void> {
  if (body.length < multipartThreshold) {
    const { PutObjectCommand } = await sdk();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    return;
  }
  // Loaded only for a large body: lib-storage takes ~0.3 s to load, which every sync would pay at start.
  const { Upload } = await import('@aws-sdk/lib-storage');
  const upload = new Upload({
    client,
    params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType },
    partSize: Math.max(5 * 1024 * 1024, Math.min(MULTIPART_PART_SIZE, multipartThreshold)),
    queueSize: 2,
    leavePartsOnError: false,
  });
  await upload.done();
}

/** The highest `part-NNNN` number already under `prefix/` (0 when none), so a rerun never overwrites. */
export async function lastPartNumber(client: S3Client, bucket: string, prefix: string): Promise<number> {
  const { ListObjectsV2Command } = await sdk();
  let max = 0;
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/part-`, ContinuationToken: token }),
    );
    for (const obj of page.Contents ?? []) {
      const n = obj.Key ? partNumberOf(obj.Key) : undefined;
      if (n !== undefined && n > max) max = n;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return max;
}
