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
  // Per relaxed identity: its first row, and (once a second row shares it) each exact variant's wave.
  const classes = new Map<string, { first: R; variants?: Map<string, number> }>();
  const waves: R[][] = [[]];
  for (const row of rows) {
    const loose = uploadedIdentity(row.cells, layout, 'relaxed');
    const seen = classes.get(loose);
    if (!seen) {
      // Nearly every row: nothing else looks like it, so its exact identity is never needed.
      classes.set(loose, { first: row });
      (waves[0] as R[]).push(row);
      continue;
    }
    seen.variants ??= new Map([[uploadedIdentity(seen.first.cells, layout, 'exact'), 0]]);
    const exact = uploadedIdentity(row.cells, layout, 'exact');
    let wave = seen.variants.get(exact);
    if (wave === undefined) seen.variants.set(exact, (wave = seen.variants.size));
    (waves[wave] ??= []).push(row);
  }
  return waves;
}
