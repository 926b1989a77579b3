/**
 * Rows pointing at the same parent go next to each other when a chunk is cut (pure): Salesforce processes
 * a job in parallel batches and locks the parent of each row, so children of one parent spread over many
 * batches cause UNABLE_TO_LOCK_ROW. Row order in a job carries no meaning otherwise.
 *
 * One rule for chunks in memory (csv-chunker.ts) and on disk (open-chunk-file.ts, which keeps only each
 * row's parent key): rows sorted by their parent key, stably.
 */
import type { Row } from './csv-text';

/**
 * A row's parent values (the lookup columns `columns`, by position) as one string: NUL-joined, a missing
 * value as empty, trailing empty values left out ('' without parent columns).
 */
export function parentKey(columns: readonly number[], values: Row): string {
  if (columns.length === 0) return '';
  let key = values[columns[0] as number] ?? '';
  for (let j = 1; j < columns.length; j++) key += `\u0000${values[columns[j] as number] ?? ''}`;
  let end = key.length;
  while (end > 0 && key.charCodeAt(end - 1) === 0) end -= 1;
  return end === key.length ? key : key.slice(0, end);
}

/** Positions 0…n−1 ordered by `keys` (stable: equal keys keep their order); the identity when already ascending. */
export function parentOrder(keys: readonly string[]): number[] {
  const order = keys.map((_, p) => p);
  if (ascending(keys)) return order;
  return order.sort((a, b) => ((keys[a] as string) < (keys[b] as string) ? -1 : (keys[a] as string) > (keys[b] as string) ? 1 : a - b));
}

/** In-memory rows, grouped by parent; the same array when there are no parent columns. */
export function groupByParent<R extends { cells: Row }>(columns: string[], rows: R[], isParent: (column: string) => boolean): R[] {
  const parentColumns = columns.flatMap((c, k) => (isParent(c) ? [k] : []));
  if (parentColumns.length === 0 || rows.length < 2) return rows;
  return parentOrder(rows.map((r) => parentKey(parentColumns, r.cells))).map((i) => rows[i] as R);
}

function ascending(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return false;
  return true;
}
