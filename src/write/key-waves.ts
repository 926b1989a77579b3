/**
 * Splits a chunk's rows into "waves" so that no ingest job holds the same record key twice.
 *
 * Salesforce fails EVERY occurrence of an external id that appears twice in one upsert job
 * (`DUPLICATE_VALUE:Duplicate external id specified`), and the order in which a job applies two
 * updates of one Id is not defined. Sources in incremental mode often send several versions of a row
 * in one sync, so the n-th occurrence of a key goes into wave n: waves run one after the other, and
 * every version is applied, in input order. Without duplicates there is a single wave.
 */
import type { BulkOperation } from '../salesforce/types';
import type { Row } from './csv-chunker';

/** The column whose value identifies the record the row writes, or undefined (insert). */
export function keyColumn(operation: BulkOperation, externalIdFieldName: string | undefined): string | undefined {
  if (operation === 'upsert') return externalIdFieldName;
  if (operation === 'update' || operation === 'delete' || operation === 'hardDelete') return 'Id';
  return undefined;
}

/**
 * Record ids are 15 case-sensitive characters plus an optional 3-character checksum; external ids
 * are compared case-insensitively (Salesforce's default for External ID fields).
 */
export function recordKey(column: string, value: string): string {
  return column === 'Id' ? value.slice(0, 15) : value.toLowerCase();
}

const isBlank = (value: string | undefined): boolean => value === undefined || value === '' || value === '#N/A';

/**
 * Row indices per wave, in input order. Rows without a key value all go into the first wave.
 * `rows` are aligned to `columns`; without a key column (or when it is not among them): one wave.
 */
export function splitIntoWaves(rows: Row[], columns: string[], column: string | undefined): number[][] {
  const at = column === undefined ? -1 : columns.indexOf(column);
  if (column === undefined || at < 0) return [rows.map((_, i) => i)];
  const seen = new Map<string, number>();
  const waves: number[][] = [[]];
  rows.forEach((row, i) => {
    const value = row[at];
    if (value === undefined || isBlank(value)) {
      (waves[0] as number[]).push(i);
      return;
    }
    const key = recordKey(column, value);
    const wave = seen.get(key) ?? 0;
    seen.set(key, wave + 1);
    (waves[wave] ??= []).push(i);
  });
  return waves;
}
