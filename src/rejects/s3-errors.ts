/**
 * Turns what the S3 SDK throws into a short, secret-free description and a kind we can explain.
 * Never includes credentials: only the error name, HTTP status, S3's message and network codes.
 */
export type S3ErrorKind = 'no_bucket' | 'access_denied' | 'wrong_region' | 'unreachable' | 'other';

export interface S3ErrorInfo {
  kind: S3ErrorKind;
  /** e.g. `NoSuchBucket (HTTP 404): The specified bucket does not exist` */
  text: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

const ACCESS_NAMES = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'AllAccessDisabled',
  'AccountProblem',
  'Forbidden',
  'CredentialsProviderError',
]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  errors?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function networkCode(err: ErrorLike | undefined, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 4) return undefined;
  if (typeof err.code === 'string' && NETWORK_CODES.has(err.code)) return err.code;
  // The SDK's retry layer re-wraps errors from another realm (e.g. under jest) as plain text.
  if (typeof err.message === 'string') {
    const m = /\b([A-Z][A-Z_]{4,})\b/g;
    for (const hit of err.message.matchAll(m)) if (NETWORK_CODES.has(hit[1] as string)) return hit[1];
  }
  if (Array.isArray(err.errors)) {
    for (const inner of err.errors) {
      const c = networkCode(inner as ErrorLike, depth + 1);
      if (c) return c;
    }
  }
  return networkCode(err.cause as ErrorLike | undefined, depth + 1);
}

export function describeS3Error(err: unknown): S3ErrorInfo {
  const e = (err && typeof err === 'object' ? err : { message: String(err) }) as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const status = e.$metadata?.httpStatusCode;
  const message = typeof e.message === 'string' && e.message !== '' && e.message !== name ? e.message : '';
  const net = networkCode(e);
  const parts = [name];
  if (status !== undefined) parts.push(`(HTTP ${status})`);
  let text = parts.join(' ');
  if (message) text += `: ${message.slice(0, 500)}`;
  if (net && !text.includes(net)) text += ` [${net}]`;

  let kind: S3ErrorKind = 'other';
  if (name === 'NoSuchBucket') kind = 'no_bucket';
  else if (ACCESS_NAMES.has(name) || status === 403) kind = 'access_denied';
  else if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed' || status === 301) kind = 'wrong_region';
  else if (net || name === 'TimeoutError' || name === 'RequestTimeout') kind = 'unreachable';
  else if (status === 404 && !message) kind = 'no_bucket';
  return { kind, text };
}
