/**
 * How one rejected row is written: a JSON line (default) or an RFC 4180 CSV row with a header per file.
 * Both carry the same fields; CSV holds the original record as JSON text.
 */
import Papa from 'papaparse';
import type { RejectedRow } from './rejects-sink';

export const REJECT_COLUMNS = [
  'record',
  'stream',
  'namespace',
  'object',
  'operation',
  'job_id',
  'error_code',
  'error_message',
  'fields',
  'attempts',
  'rejected_at',
] as const;

export type RejectColumn = (typeof REJECT_COLUMNS)[number];

export interface RejectDocument {
  record: unknown;
  stream: string;
  namespace: string | null;
  object: string;
  operation: string;
  job_id: string | null;
  error_code: string;
  error_message: string;
  fields: string[];
  attempts: number;
  rejected_at: string;
  /** Only on rows a dry run reported (JSONL; CSV keeps its fixed columns). */
  dry_run?: true;
}

function rejectDocument(row: RejectedRow): RejectDocument {
  const doc: RejectDocument = {
    record: row.record,
    stream: row.stream.name,
    namespace: row.stream.namespace ?? null,
    object: row.object,
    operation: row.operation,
    job_id: row.jobId ?? null,
    error_code: row.errorCode,
    error_message: row.errorMessage,
    fields: row.fields,
    attempts: row.attempts,
    rejected_at: row.rejectedAt,
  };
  if (row.dryRun) doc.dry_run = true;
  return doc;
}

export interface RejectFormat {
  extension: 'jsonl' | 'csv';
  contentType: string;
  /** Written at the top of every part file ('' for JSONL). */
  header: string;
  /** One row, newline-terminated. */
  line(row: RejectedRow): string;
}

export const JSONL_FORMAT: RejectFormat = {
  extension: 'jsonl',
  contentType: 'application/x-ndjson; charset=utf-8',
  header: '',
  // JSON.stringify escapes newlines inside strings, so one row is always one line.
  line: (row) => `${JSON.stringify(rejectDocument(row))}\n`,
};

export const CSV_FORMAT: RejectFormat = {
  extension: 'csv',
  contentType: 'text/csv; charset=utf-8',
  header: `${REJECT_COLUMNS.join(',')}\n`,
  line: (row) => `${csvRow(row)}\n`,
};

export function rejectFormat(format: 'jsonl' | 'csv'): RejectFormat {
  return format === 'csv' ? CSV_FORMAT : JSONL_FORMAT;
}

function csvRow(row: RejectedRow): string {
  const doc = rejectDocument(row);
  const cells: Record<RejectColumn, string> = {
    record: JSON.stringify(doc.record),
    stream: doc.stream,
    namespace: doc.namespace ?? '',
    object: doc.object,
    operation: doc.operation,
    job_id: doc.job_id ?? '',
    error_code: doc.error_code,
    error_message: doc.error_message,
    // API names never contain commas, so the list stays readable as `Name,Email`.
    fields: doc.fields.join(','),
    attempts: String(doc.attempts),
    rejected_at: doc.rejected_at,
  };
  return Papa.unparse([cells], {
    columns: [...REJECT_COLUMNS],
    header: false,
    newline: '\n',
    escapeFormulae: false,
    quotes: false,
  });
}
