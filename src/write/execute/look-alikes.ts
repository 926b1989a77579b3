/**
 * Splits a chunk's rows into waves (one job each, one after the other) so that no job holds two
 * *look-alikes*: rows that differ only in ways Salesforce may erase when it echoes them in a result
 * CSV (case of a picklist value, surrounding spaces, number formatting, `#N/A` vs empty, a 15- vs
 * 18-character Id; see result-values.ts). In one job, every relaxed identity then belongs to rows of
 * identical content, so a result row is always attributed to the right row — or to one of several
 * identical, interchangeable rows. Without look-alikes (nearly always) there is one wave.
 */
import type { Row } from '../chunk/csv-text';
import { layoutOf, uploadedIdentity, type KeyedColumns } from './row-identity';

export function lookAlikeWaves<R extends { cells: Row }>(up: KeyedColumns, rows: R[]): R[][] {
  const layout = layoutOf(up);
  const classes = new Map<string, Map<string, number>>();
  const waves: R[][] = [[]];
  for (const row of rows) {
    const loose = uploadedIdentity(row.cells, layout, 'relaxed');
    let variants = classes.get(loose);
    if (!variants) classes.set(loose, (variants = new Map()));
    const exact = uploadedIdentity(row.cells, layout, 'exact');
    let wave = variants.get(exact);
    if (wave === undefined) variants.set(exact, (wave = variants.size));
    (waves[wave] ??= []).push(row);
  }
  return waves;
}
