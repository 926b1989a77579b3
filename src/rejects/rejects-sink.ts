/**
 * Where rows that Salesforce (or our own pre-upload checks) rejected go, with their error.
 * The write pipeline echoes a STATE only after `flush()` resolved for every row before it.
 */
import type { AirbyteRecord, StreamDescriptor } from '../protocol/types';
import type { BulkOperation } from '../salesforce/types';
import type { RejectSummary } from './reject-summary';

export interface RejectedRow {
  /** The RECORD payload exactly as it arrived on stdin. */
  record: AirbyteRecord;
  stream: StreamDescriptor;
  object: string;
  operation: BulkOperation;
  /** The ingest job that rejected it; absent when we rejected it before upload. */
  jobId?: string;
  /** Salesforce's code (e.g. REQUIRED_FIELD_MISSING) or ours (DESTINATION_FIELD_SIZE_LIMITATION, ...). */
  errorCode: string;
  errorMessage: string;
  /** Field API names Salesforce named in the error. */
  fields: string[];
  /** How many jobs this row went through (1 unless transient errors were retried). */
  attempts: number;
  /** ISO-8601 time of rejection. */
  rejectedAt: string;
  /** A dry run found it would be rejected (nothing was sent); stored as `"dry_run": true` (JSONL). */
  dryRun?: boolean;
}

export interface RejectsSink {
  /** Queues a rejected row (never blocks; uploads may start in the background). */
  add(row: RejectedRow): void;
  /**
   * Resolves once every row added so far is durably stored.
   * Rejects with a ConnectorError (system_error) when storage failed after retries.
   */
  flush(): Promise<void>;
  /** Flushes and releases resources; logs where the rows went. */
  close(): Promise<void>;
  /** Human-readable location, e.g. `s3://bucket/path/sync-123/` or a note that nothing is stored. */
  location(): string;
  /** Rows added so far, per error code with one (value-masked) example; both built-in sinks have it. */
  readonly summary?: RejectSummary;
}
