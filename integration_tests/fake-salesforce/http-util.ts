/** Small node:http helpers: body reading with a cap, answers with optional gzip and X-PrettyPrint. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { toJson } from './json';

export interface Body {
  bytes: Buffer;
  /** Total bytes received (also counted past the cap). */
  size: number;
  tooLarge: boolean;
}

export function readBody(req: IncomingMessage, limit = Number.POSITIVE_INFINITY): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => resolve({ bytes: size <= limit ? Buffer.concat(chunks) : Buffer.alloc(0), size, tooLarge: size > limit }));
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
