/**
 * CSV text of ingest jobs (papaparse), and the exact byte size papaparse's `unparse` gives a value,
 * so a chunk is sized as rows arrive without serialising it.
 *
 * Serialised with explicit `fields` and array rows, `newline: '\n'` (jobs declare lineEnding LF),
 * no formula escaping (it would alter data); UTF-8 without BOM. papaparse quotes a value holding
 * `,` `"` CR LF or a BOM, or with a leading/trailing space, and doubles `"`.
 */
import Papa from 'papaparse';

/** One row's values, aligned to its chunk's columns (missing trailing values are empty). */
export type Row = string[];

/** Values papaparse quotes (and chunk-file.ts too). */
export const NEEDS_QUOTES = /[",\r\n\ufeff]|^ | $/;

/** Bytes one value takes in the CSV (quotes and doubled quotes included). */
export function csvValueBytes(value: string): number {
  if (value === '') return 0;
  const bytes = Buffer.byteLength(value, 'utf8');
  if (!NEEDS_QUOTES.test(value)) return bytes;
  let quotes = 0;
  for (let i = value.indexOf('"'); i >= 0; i = value.indexOf('"', i + 1)) quotes += 1;
  return bytes + quotes + 2;
}

/** Bytes of a whole CSV: header (names + commas) + per row: newline + commas + values; no final newline. */
export function csvBytes(columns: number, rows: number, nameBytes: number, valueBytes: number): number {
  if (columns === 0) return 0;
  return nameBytes + (columns - 1) + valueBytes + rows * columns;
}

/** Serialises rows (aligned to `columns`) with papaparse under the rules above. */
export function toCsv(columns: string[], rows: Row[]): Buffer {
  const text = Papa.unparse(
    { fields: columns, data: rows },
    { newline: '\n', delimiter: ',', quotes: false, quoteChar: '"', escapeFormulae: false, header: true },
  );
  return Buffer.from(text, 'utf8');
}

/** The rows of `cells` objects as arrays aligned to `columns` (cells outside `columns` are left out). */
export function alignRows(columns: string[], cells: Array<Record<string, string>>): Row[] {
  return cells.map((c) => columns.map((name) => (Object.hasOwn(c, name) ? (c[name] as string) : '')));
}

/** One value as a CSV cell: quoted (`"` doubled) when papaparse would quote it. */
export function csvCell(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One row's CSV line (no newline). */
export function csvLine(values: readonly string[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i ? ',' : '') + csvCell(values[i] as string);
  return line;
}
