/**
 * Builds the S3 client for rejected rows and the check probe from the normalised storage config.
 * Retries are the SDK's standard retry strategy (throttling, 5xx, network errors), `maxAttempts` in total.
 * With HTTPS_PROXY / HTTP_PROXY set, S3 calls go through the proxy as Salesforce calls do (NO_PROXY
 * honoured): Node's own agents (`proxyEnv`, Node ≥ 24.5) do it, so no proxy-agent dependency.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3StorageConfig } from '../config/destination-config';
import { proxyVariablesSet } from '../salesforce/proxy';

export interface S3ClientOptions {
  /** Attempts per request, first one included (SDK standard retry strategy). Default 5. */
  maxAttempts?: number;
  /** Socket connect timeout in ms. Default 10 000. */
  connectionTimeoutMs?: number;
  /** Per-request timeout in ms (no response within it → retried). Default 120 000. */
  requestTimeoutMs?: number;
}

const DEFAULT_S3_MAX_ATTEMPTS = 5;

export function s3ClientConfig(storage: S3StorageConfig, opts: S3ClientOptions = {}, env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  const proxied = proxyVariablesSet(env).length > 0;
  const config: S3ClientConfig = {
    region: storage.region,
    maxAttempts: opts.maxAttempts ?? DEFAULT_S3_MAX_ATTEMPTS,
    retryMode: 'standard',
    // Without these the SDK sends aws-chunked bodies with CRC trailers: s3rver stores the framing
    // as data and several S3-compatible stores reject the trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: opts.connectionTimeoutMs ?? 10_000,
      requestTimeout: opts.requestTimeoutMs ?? 120_000,
      // The SDK's own agents keep connections alive with up to 50 sockets; so do these.
      ...(proxied
        ? {
            httpAgent: new http.Agent({ keepAlive: true, maxSockets: 50, proxyEnv: env }),
            httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 50, proxyEnv: env }),
          }
        : {}),
    },
  };
  if (storage.accessKeyId && storage.secretAccessKey) {
    config.credentials = { accessKeyId: storage.accessKeyId, secretAccessKey: storage.secretAccessKey };
  }
  if (storage.endpoint) {
    config.endpoint = storage.endpoint;
    config.forcePathStyle = true;
  }
  return config;
}

export function createS3Client(storage: S3StorageConfig, opts: S3ClientOptions = {}): S3Client {
  return new S3Client(s3ClientConfig(storage, opts));
}
