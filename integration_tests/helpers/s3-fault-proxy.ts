/**
 * A fault-injecting HTTP proxy in front of s3rver (the connector's `s3_endpoint` points at it): each
 * write request (PUT/POST/DELETE) asks `decide` whether to pass, answer an S3 error (500 InternalError,
 * 503 SlowDown) or drop the connection — before s3rver saw it, or after it took effect.
 * Reads (GET/HEAD) always pass, so tests read the bucket through it or directly alike.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type S3Fault = 'pass' | 'http500' | 'http503' | 'dropBefore' | 'dropAfter';

export interface S3FaultProxy {
  endpoint: string;
  /** Faults answered so far, by kind. */
  injected(): Record<string, number>;
  close(): Promise<void>;
}

const S3_ERRORS: Record<string, [number, string]> = { http500: [500, 'InternalError'], http503: [503, 'SlowDown'] };

export async function startS3FaultProxy(target: string, decide: (method: string, path: string) => S3Fault): Promise<S3FaultProxy> {
  const to = new URL(target);
  const counts: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    const fault = req.method === 'GET' || req.method === 'HEAD' ? 'pass' : decide(req.method ?? '', req.url ?? '');
    if (fault !== 'pass') counts[fault] = (counts[fault] ?? 0) + 1;
    const error = S3_ERRORS[fault];
    if (fault === 'dropBefore' || error) {
      req.resume();
      req.on('end', () => {
        if (!error) return void res.socket?.destroy();
        res.writeHead(error[0], { 'Content-Type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error[1]}</Code><Message>Injected failure</Message></Error>`);
      });
      return;
    }
    const upstream = http.request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        if (fault === 'dropAfter') {
          up.resume();
          up.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.socket?.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    injected: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
