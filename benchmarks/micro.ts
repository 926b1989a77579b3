/**
 * The connector's pure pieces in-process, no I/O: RecordMapper (+ value formatting), CsvChunker (+ papaparse
 * serialisation), and collectResults (matching a shuffled, Salesforce-normalised successfulResults CSV back to
 * the uploaded rows). The describe is the stand-in's Account describe, as the connector would receive it.
 */
import { javaDouble, parseCsv, writeResultCsv } from '../integration_tests/fake-salesforce/csv';
import { describeObject } from '../integration_tests/fake-salesforce/describe';
import { findObject, type ObjectDef } from '../integration_tests/fake-salesforce/org-schema';
import type { SObjectDescribe } from '../src/salesforce/types';
import { CsvChunker } from '../src/write/chunk/csv-chunker';
import { alignRows, toCsv } from '../src/write/chunk/csv-text';
import { type Cells, RecordMapper } from '../src/write/map/record-mapper';
import { Attribution } from '../src/write/execute/result-attribution';
import type { StreamPlan } from '../src/write/plan/stream-plan';
import { wideRow } from './data';

export interface MicroResult {
  name: string;
  rows: number;
  ms: number;
  rowsPerS: number;
  note: string;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

function plan(): StreamPlan {
  const describe = JSON.parse(JSON.stringify(describeObject(findObject('Account') as ObjectDef, '62.0'))) as SObjectDescribe;
  return { stream: { name: 'Account' }, key: 'Account', object: 'Account', operation: 'insert', describe, columnMapping: {} };
}

/** Best of `repeat` runs (after one warm-up), so JIT warm-up and GC noise do not dominate. */
function best(repeat: number, fn: () => { ms: number; note: string }): { ms: number; note: string } {
  fn();
  let b = fn();
  for (let i = 1; i < repeat; i++) {
    const r = fn();
    if (r.ms < b.ms) b = r;
  }
  return b;
}

export function microBenchmarks(rows: number): MicroResult[] {
  const out: MicroResult[] = [];
  const add = (name: string, r: { ms: number; note: string }) => out.push({ name, rows, ms: r.ms, rowsPerS: (rows * 1000) / r.ms, note: r.note });
  const data = Array.from({ length: rows }, (_, i) => wideRow(i));
  const p = plan();

  // 1. RecordMapper alone.
  let mapped: Cells[] = [];
  add('record-mapper', best(3, () => {
    const mapper = new RecordMapper(p, () => undefined);
    const t = time(() => data.map((d) => {
      const r = mapper.map(d);
      if (!r.ok) throw new Error(`mapper rejected a benchmark row: ${r.message}`);
      return r.cells;
    }));
    mapped = t.value;
    return { ms: t.ms, note: `${Object.keys(mapped[0] ?? {}).length} columns` };
  }));

  // 2. CsvChunker alone (size tracking + papaparse unparse into 10 MB chunks).
  add('csv-chunker (10 MB chunks)', best(3, () => {
    const chunker = new CsvChunker<number>(10 * 1024 * 1024);
    let bytes = 0;
    let chunks = 0;
    const t = time(() => {
      mapped.forEach((cells, i) => {
        const c = chunker.add(cells, i);
        if (c) {
          bytes += toCsv(c.columns, c.rows.map((r) => r.cells)).length;
          chunks += 1;
        }
      });
      const last = chunker.flush();
      if (last) {
        bytes += toCsv(last.columns, last.rows.map((r) => r.cells)).length;
        chunks += 1;
      }
    });
    return { ms: t.ms, note: `${chunks} chunks, ${(bytes / 1e6).toFixed(1)} MB CSV, ${((bytes / 1e6) / (t.ms / 1000)).toFixed(0)} MB/s` };
  }));

  // 3. Both, as the pipeline runs them per record.
  add('record-mapper + csv-chunker', best(3, () => {
    const mapper = new RecordMapper(p, () => undefined);
    const chunker = new CsvChunker<number>(10 * 1024 * 1024);
    const t = time(() => {
      data.forEach((d, i) => {
        const r = mapper.map(d);
        if (r.ok) chunker.add(r.cells, i);
      });
      chunker.flush();
    });
    return { ms: t.ms, note: 'per record: map, then add' };
  }));

  // 4. collectResults: a successfulResults CSV as the stand-in writes it (shuffled rows, every value quoted,
  //    currency/percent as Java Double.toString), matched back to the uploaded rows.
  const mapper = new RecordMapper(p, () => undefined);
  const cellsRows = data.map((d) => (mapper.map(d) as { ok: true; cells: Cells }).cells);
  const columns = Object.keys(cellsRows[0] ?? {});
  const types = new Map(columns.map((c) => [c, mapper.columnTypes.get(c) ?? 'string']));
  const order = cellsRows.map((_, i) => i);
  let seed = 12345;
  for (let i = order.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const numeric = new Set(columns.filter((c) => ['double', 'currency', 'percent'].includes(types.get(c) ?? '')));
  const resultRows = order.map((i) => {
    const cells = cellsRows[i] as Cells;
    return [`001Hs00000${String(i).padStart(8, '0')}`, 'true', ...columns.map((c) => {
      const v = cells[c] ?? '';
      return numeric.has(c) && v !== '' ? javaDouble(Number(v)) : v;
    })];
  });
  const successful = Buffer.from(writeResultCsv(['sf__Id', 'sf__Created'], columns, resultRows, ','), 'utf8');
  const alignedRows = alignRows(columns, cellsRows);
  add('result-attribution (shuffled, normalised)', best(3, () => {
    const t = time(() => {
      const a = new Attribution({ columns, rows: alignedRows, types });
      const [header = [], ...body] = parseCsv(successful.toString('utf8'), ',', '\n');
      body.forEach(a.begin('successful', header));
      a.settleRelaxed();
      return a.result();
    });
    const loaded = t.value.filter((o) => o?.kind === 'loaded').length;
    if (loaded !== rows) throw new Error(`result-attribution matched ${loaded}/${rows} rows`);
    return { ms: t.ms, note: `${(successful.length / 1e6).toFixed(1)} MB result CSV, all ${rows} matched` };
  }));
  return out;
}
