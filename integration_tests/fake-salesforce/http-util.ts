/** Small node:http helpers: body reading with a cap, answers with optional gzip and X-PrettyPrint. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { toJson } from './json';

export interface Body {
  /** The request body, decoded when it came with `Content-Encoding: gzip`. */
  bytes: Buffer;
  /** Bytes received on the wire (also counted past the cap). */
  size: number;
  /** Bytes of the decoded body (= size when not compressed). */
  dataSize: number;
  /** The decoded body exceeds the cap. */
  tooLarge: boolean;
}

/** A `Content-Encoding` the fake cannot decode, or a gzip body that does not inflate (answered 400 by server.ts). */
export class BodyEncodingError extends Error {}

/**
 * Reads a request body. `Content-Encoding: gzip` is decoded on every route, as Salesforce's REST API does for
 * requests [DOC §1]; the cap applies to the decoded bytes. Any other encoding (except identity) is refused.
 */
export function readBody(req: IncomingMessage, limit = Number.POSITIVE_INFINITY): Promise<Body> {
  const encoding = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
  const gzip = encoding === 'gzip' || encoding === 'x-gzip';
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (gzip || size <= limit) chunks.push(c);
    });
    req.on('end', () => {
      if (encoding !== '' && encoding !== 'identity' && !gzip) {
        reject(new BodyEncodingError(`Content-Encoding ${encoding} is not supported`));
        return;
      }
      if (!gzip) {
        resolve({ bytes: size <= limit ? Buffer.concat(chunks) : Buffer.alloc(0), size, dataSize: size, tooLarge: size > limit });
        return;
      }
      try {
        const max = Number.isFinite(limit) ? limit + 1 : undefined;
        const bytes = gunzipSync(Buffer.concat(chunks), max === undefined ? {} : { maxOutputLength: max });
        const tooLarge = bytes.length > limit;
        resolve({ bytes: tooLarge ? Buffer.alloc(0) : bytes, size, dataSize: bytes.length, tooLarge });
      } catch (e) {
        // maxOutputLength exceeded → too large; anything else → not gzip.
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') resolve({ bytes: Buffer.alloc(0), size, dataSize: limit + 1, tooLarge: true });
        else reject(new BodyEncodingError('the request body is not valid gzip'));
      }
    });
    req.on('error', reject);
  });
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function jsonAnswer(req: IncomingMessage, status: number, value: unknown, headers: Record<string, string> = {}): Answer {
  const pretty = req.headers['x-prettyprint'] === '1';
  return { status, headers: { 'Content-Type': 'application/json;charset=UTF-8', ...headers }, body: toJson(value, pretty) };
}

/** Salesforce REST error array `[{"errorCode":…,"message":…}]` (key order errorCode, message as in §1.1). */
export function errorAnswer(req: IncomingMessage, status: number, errorCode: string, message: string, extra: Record<string, unknown> = {}): Answer {
  return jsonAnswer(req, status, [{ errorCode, message, ...extra }]);
}

/** Same array with `message` first, as in the §4.1 captures (401, 403). */
export function messageFirstError(req: IncomingMessage, status: number, errorCode: string, message: string, headers: Record<string, string> = {}): Answer {
  return jsonAnswer(req, status, [{ message, errorCode }], headers);
}

export function send(req: IncomingMessage, res: ServerResponse, answer: Answer): number {
  const headers: Record<string, string> = { Date: new Date().toUTCString(), ...(answer.headers ?? {}) };
  let body = answer.body === undefined ? Buffer.alloc(0) : Buffer.from(answer.body);
  const acceptGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (acceptGzip && body.length > 0) {
    body = gzipSync(body);
    headers['Content-Encoding'] = 'gzip';
    headers['Vary'] = 'Accept-Encoding';
  }
  // gzip answers are chunked [DOC §1]; others carry a Content-Length.
  if (answer.status !== 204 && headers['Content-Encoding'] !== 'gzip') headers['Content-Length'] = String(body.length);
  res.writeHead(answer.status, headers);
  if (answer.status === 204) res.end();
  else if (headers['Content-Encoding'] === 'gzip') {
    res.write(body);
    res.end();
  } else res.end(body);
  return answer.status;
}
