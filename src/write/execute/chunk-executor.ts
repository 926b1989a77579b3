/**
 * The chunk-execution seam: rows in → one outcome per row out.
 *
 * The pipeline hands a chunk (one object, one operation, rows aligned to `columns`) to a
 * `ChunkExecutor` and gets every row back with its outcome; it never looks at jobs, requests or
 * result files. The Bulk API 2.0 executor (bulk-executor.ts) is one implementation; an sObject
 * Collections executor can be another. An executor:
 * - settles every row it was given exactly once, as `loaded` or `rejected` (with Salesforce's code
 *   or a `DESTINATION_…` code), because Salesforce said so (counters, record keys, error codes);
 * - classifies every failure with failure-causes.ts — retries and re-sends are its own business;
 * - throws a ConnectorError (transient_error / config_error / system_error) when the sync must stop:
 *   rows not yet settled then stay unsettled (no STATE is echoed past them; Airbyte re-sends them).
 *
 * Rows are generic (`R`): the executor reads `cells` and hands the same objects back, so whatever
 * travels with a row (its input records) stays with it.
 */
import type { BulkOperation } from '../../salesforce/types';
import type { ChunkFile } from '../chunk/chunk-file';
import type { Row } from '../chunk/csv-text';
import type { KeyKind } from '../chunk/record-key';

export interface ChunkTarget {
  object: string;
  operation: BulkOperation;
  externalIdFieldName?: string;
  assignmentRuleId?: string;
}

export interface ChunkWork<R extends { cells: Row; wave?: number }> extends ChunkTarget {
  columns: string[];
  /** `cells` aligned to `columns` (a shorter row: the rest are empty). No record key appears twice. */
  rows: R[];
  /** Salesforce type per column (for comparing echoed values); unknown → text. */
  types: Map<string, string>;
  /** The record key column and how its values compare (keyed operations). */
  key?: { column: string; kind: KeyKind };
  /** The rows' CSV on disk in `rows` order, written as they arrived (chunk/csv-chunker.ts): the rows hold no cells. */
  file?: ChunkFile;
  /** Every row carries its look-alike wave (`wave`, absent = 0), marked as it arrived. */
  marked?: boolean;
  /** Cut at the input's end (no input follows): the sync's end waits for this chunk's. */
  last?: boolean;
}

export type RowResult =
  | { kind: 'loaded'; jobId?: string; attempts: number }
  | { kind: 'rejected'; code: string; message: string; fields: string[]; jobId?: string; attempts: number };

/** Rows with one outcome: every row of a job whose counters showed all loaded (one entry, no object per row), else one row. */
export interface Settled<R> {
  rows: readonly R[];
  result: RowResult;
}

/** Each settled row with its outcome (for callers that look rows up one by one). */
export function settledRows<R>(settled: ReadonlyArray<Settled<R>>): Array<{ row: R; result: RowResult }> {
  return settled.flatMap((s) => s.rows.map((row) => ({ row, result: s.result })));
}

export interface ChunkOutcome<R> {
  settled: Array<Settled<R>>;
  /** Jobs (or requests) the chunk took. */
  jobIds: string[];
}

export interface ChunkExecutor {
  run<R extends { cells: Row }>(work: ChunkWork<R>): Promise<ChunkOutcome<R>>;
}
