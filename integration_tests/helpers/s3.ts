/**
 * A real S3 protocol endpoint for tests: s3rver on 127.0.0.1 (random port), silent, files in a
 * temp folder, one bucket created. Failures are injected at the HTTP level (no SDK mocks).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3StorageConfig } from '../../src/config/destination-config';

// s3rver ships no types; this is the part we use.
interface S3rverInstance {
  configureBuckets(): Promise<unknown>;
  callback(): (req: http.IncomingMessage, res: http.ServerResponse) => void;
  logger?: { close?: () => void; exceptions?: { unhandle?: () => void } };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (opts: Record<string, unknown>) => S3rverInstance;

export const S3RVER_KEY = 'S3RVER';

/** The raw `object_storage_config` block of a connector config. */
export interface RawS3StorageConfig {
  storage_type: 'S3';
  access_key_id: string;
  secret_access_key: string;
  s3_bucket_name: string;
  s3_bucket_region: string;
  bucket_path: string;
  s3_endpoint: string;
  [key: string]: unknown;
}

export interface S3Fixture {
  endpoint: string;
  bucket: string;
  storage(prefix?: string, extra?: Record<string, unknown>): RawS3StorageConfig;
  /** The same, already normalised (for library-level tests that skip config loading). */
  s3Storage(prefix?: string, format?: 'jsonl' | 'csv'): S3StorageConfig;
  client: S3Client;
  listKeys(prefix?: string): Promise<string[]>;
  getText(key: string): Promise<string>;
  /** The next `n` write requests (PUT/POST/DELETE) get an S3 error `status` (default 500, InternalError). */
  failNextWrites(n: number, status?: number): void;
  /** Count of write requests failed so far by failNextWrites. */
  failedWrites(): number;
  /** Empties and deletes the bucket (writes then fail with NoSuchBucket). */
  deleteBucket(): Promise<void>;
  createBucket(): Promise<void>;
  /** Stops listening (connections refused) until start() listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const ERROR_CODES: Record<number, string> = { 403: 'AccessDenied', 500: 'InternalError', 503: 'SlowDown', 400: 'InvalidRequest' };

export async function startS3rver(bucket = 'rejects-test'): Promise<S3Fixture> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dsf-s3rver-'));
  const s3rver = new S3rver({ silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  await s3rver.configureBuckets();
  const handle = s3rver.callback();
  let failing = 0;
  let failStatus = 500;
  let failed = 0;
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (failing > 0 && req.method !== 'GET' && req.method !== 'HEAD') {
      failing -= 1;
      failed += 1;
      const code = ERROR_CODES[failStatus] ?? 'InternalError';
      req.resume();
      req.on('end', () => {
        res.writeHead(failStatus, { 'Content-Type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>Injected failure</Message></Error>`);
      });
      return;
    }
    handle(req, res);
  };

  let server: http.Server | undefined;
  let port = 0;
  const start = async (): Promise<void> => {
    const s = http.createServer(onRequest);
    // Longer than any pause between a test's S3 calls (a CLI run under load): node's 5 s default closes idle
    // keep-alive sockets just as the client (maxAttempts 1) reuses them → flaky ECONNRESET.
    s.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  const stop = async (): Promise<void> => {
    const s = server;
    server = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  };
  await start();

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });

  const listKeys = async (prefix = ''): Promise<string[]> => {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  };

  return {
    endpoint,
    bucket,
    client,
    storage: (prefix = 'rejects', extra = {}) => ({
      storage_type: 'S3',
      access_key_id: S3RVER_KEY,
      secret_access_key: S3RVER_KEY,
      s3_bucket_name: bucket,
      s3_bucket_region: 'us-east-1',
      bucket_path: prefix,
      s3_endpoint: endpoint,
      ...extra,
    }),
    s3Storage: (prefix = 'rejects', format = 'jsonl') => ({
      storageType: 'S3',
      accessKeyId: S3RVER_KEY,
      secretAccessKey: S3RVER_KEY,
      bucketName: bucket,
      region: 'us-east-1',
      bucketPath: prefix,
      endpoint,
      format,
    }),
    listKeys,
    getText: async (key) => {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return out.Body ? out.Body.transformToString('utf8') : '';
    },
    failNextWrites: (n, status = 500) => {
      failing = n;
      failStatus = status;
    },
    failedWrites: () => failed,
    deleteBucket: async () => {
      for (const key of await listKeys()) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    },
    createBucket: async () => {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    },
    stop,
    start,
    close: async () => {
      client.destroy();
      await stop();
      s3rver.logger?.exceptions?.unhandle?.();
      s3rver.logger?.close?.();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
