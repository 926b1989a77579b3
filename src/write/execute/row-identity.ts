/**
 * The identity of a row in one job, exact or relaxed (pure; see result-values.ts for the two forms).
 *
 * A row of a keyed operation (update, upsert, delete, hard delete) whose key cell is set is known by
 * its record key alone; any other row (insert, a blank key) by its whole content. The same function
 * reads an uploaded row and a result row, through a `Layout` that pairs the uploaded columns with
 * the result CSV's header (by name — result columns come in any order).
 */
import type { Row } from '../chunk/csv-text';
import type { KeyKind } from '../chunk/record-key';
import { exactKey, isBlankCell, keyOf, relaxed, relaxedKey, ruleOf, type Rule } from './result-values';

export interface Layout {
  /** Index of each compared column in the upload and in the result row (same as upload before upload). */
  upload: number[];
  result: number[];
  rules: Rule[];
  /** Position (in the lists above) of the record key column, and how its values compare. */
  key?: { at: number; kind: KeyKind };
  /** The uploaded columns the result lacks: rows that differ only there cannot be told apart. */
  complete: boolean;
}

export interface KeyedColumns {
  columns: string[];
  types: Map<string, string>;
  key?: { column: string; kind: KeyKind };
}

/** Pairs the uploaded columns with a result header (by name, then case-insensitively); no header: the upload itself. */
export function layoutOf(up: KeyedColumns, header?: string[]): Layout {
  const layout: Layout = { upload: [], result: [], rules: [], complete: true };
  up.columns.forEach((column, u) => {
    let r = u;
    if (header) {
      r = header.indexOf(column);
      if (r < 0) r = header.findIndex((h) => h.toLowerCase() === column.toLowerCase());
      if (r < 0) {
        layout.complete = false;
        return;
      }
    }
    if (up.key && column === up.key.column) layout.key = { at: layout.upload.length, kind: up.key.kind };
    layout.upload.push(u);
    layout.result.push(r);
    layout.rules.push(ruleOf(up.types.get(column)));
  });
  return layout;
}

export type Mode = 'exact' | 'relaxed';

function identity(get: (k: number) => string, layout: Layout, mode: Mode): string {
  if (layout.key) {
    const v = get(layout.key.at);
    if (!isBlankCell(v)) return `K${mode === 'exact' ? exactKey(layout.key.kind, v) : relaxedKey(layout.key.kind, v)}`;
  }
  const values = layout.rules.map((rule, k) => (mode === 'exact' ? get(k) : relaxed(rule, get(k))));
  return `C${keyOf(values)}`;
}

/** The identity of an uploaded row. */
export function uploadedIdentity(cells: Row, layout: Layout, mode: Mode): string {
  return identity((k) => cells[layout.upload[k] as number] ?? '', layout, mode);
}

/** The identity of a result CSV row. */
export function resultIdentity(row: string[], layout: Layout, mode: Mode): string {
  return identity((k) => row[layout.result[k] as number] ?? '', layout, mode);
}
