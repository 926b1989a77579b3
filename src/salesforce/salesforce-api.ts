/**
 * The authenticated HTTP port every Salesforce call goes through (implemented in http-client.ts).
 * It owns: the instance URL and pinned API version, the bearer token (renewed once on
 * 401 INVALID_SESSION_ID, then the request is replayed), retries with backoff on 429 / 5xx /
 * network errors (bodies are Buffers or replayable sources, so a retry resends the same bytes), and
 * counting API calls.
 */
import type { Readable } from 'node:stream';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface SalesforceRequest {
  method: HttpMethod;
  /** Relative to `/services/data/v{apiVersion}/` (e.g. `jobs/ingest`), or absolute when it starts with `/`. */
  path: string;
  /** A JSON body (sent as application/json) ... */
  json?: unknown;
  /** ... or raw bytes with their content type (e.g. a CSV chunk, text/csv), in memory or streamed from a replayable source. */
  body?: Buffer | ReplayableBody;
  contentType?: string;
  /** Extra request headers (e.g. `Sforce-Auto-Assign`). */
  headers?: Record<string, string>;
  /** Statuses treated as success; default any 2xx. Others throw SalesforceApiError after retries. */
  okStatuses?: number[];
  /** Retry on 429/5xx/network errors (default true). */
  retry?: boolean;
  /**
   * Consumes a successful answer's body as a stream instead of buffering it (large result CSVs);
   * the response's `body` is then empty. Use with `retry: false`: a broken stream cannot be replayed.
   */
  sink?: (body: AsyncIterable<Buffer>) => Promise<void>;
  /** Cuts the request short (a cancelled sync stops an upload in flight). */
  signal?: AbortSignal;
  /**
   * The call settles work already in flight (a job's upload, close, abort, polls, results): it is
   * made even once the API budget guard stops new calls.
   */
  settles?: boolean;
}

/** A body streamed from a source that can be read again (e.g. a chunk file): every send opens a fresh stream. */
export interface ReplayableBody {
  /** Exact length in bytes (sent as content-length). */
  readonly bytes: number;
  /** Data rows (header excluded), when the source knows them (a chunk file does). */
  readonly rowCount?: number;
  open(): Readable;
}

export interface SalesforceResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface ApiStats {
  /** Requests sent to Salesforce, retries included. */
  calls: number;
  /** From the latest Sforce-Limit-Info header, when Salesforce sent one. */
  apiUsage?: { used: number; max: number };
}

export interface SalesforceApi {
  readonly apiVersion: string;
  readonly instanceUrl: string;
  request(req: SalesforceRequest): Promise<SalesforceResponse>;
  stats(): ApiStats;
}
