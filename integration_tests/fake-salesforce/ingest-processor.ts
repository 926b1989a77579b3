/** Turns an upload into rows (with the job-level checks of reference §1.10) and processes rows one by one. */
import { type Column, resolveColumn } from './columns';
import { DELIMITERS, javaDouble, parseCsv, writeResultCsv } from './csv';
import { formatSfError } from './field-values';
import type { IngestJob, PreparedData, RowResult } from './jobs';
import type { Org } from './org';
import { type FieldDef, type ObjectDef, findField, findObject } from './org-schema';
import { type Cell, type DmlContext, applyDelete, applyWrite } from './record-ops';
import { columnOrder, normaliseValue, seededShuffle } from './result-echo';

export type Prepared = { ok: true; data: PreparedData } | { ok: false; errorMessage: string };

export function prepare(job: IngestJob): Prepared {
  const obj = findObject(job.object) as ObjectDef;
  const buf = job.uploads[0] ?? Buffer.alloc(0);
  const text = buf.toString('utf8');
  const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
  const fallbackRows = () => parseCsv(text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n'), delimiter, '\n');
  const failWith = (errorMessage: string): Prepared => {
    const rows = fallbackRows();
    job.rawHeader = rows[0] ?? [];
    job.rawRows = rows.slice(1);
    return { ok: false, errorMessage };
  };
  if (text.startsWith('\uFEFF')) {
    const first = parseCsv(text.slice(1), delimiter, job.lineEnding === 'CRLF' ? '\r\n' : '\n')[0]?.[0] ?? '';
    return failWith(`InvalidBatch : Field name not found : ${first}`);
  }
  const wrongEnding = job.lineEnding === 'LF' ? text.includes('\r\n') : /(^|[^\r])\n/.test(text);
  if (wrongEnding) {
    return failWith(`ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${job.lineEnding}`);
  }
  const all = parseCsv(text, delimiter, job.lineEnding === 'CRLF' ? '\r\n' : '\n');
  const header = all[0] ?? [];
  const rows = all.slice(1);
  if (job.operation === 'delete' || job.operation === 'hardDelete') {
    if (header.some((h) => h.toLowerCase() !== 'id')) return failWith(`InvalidBatch : The 'delete' batch must contain only ids`);
  }
  const columns: Column[] = [];
  for (const h of header) {
    const r = resolveColumn(obj, h);
    if (!r.ok) return failWith(r.message);
    columns.push(r.column);
  }
  return { ok: true, data: { header, columns, rows } };
}

/** Upsert key values that appear more than once in the upload (all such rows fail, reference §4.4). */
function duplicateKeys(job: IngestJob, data: PreparedData): Set<string> {
  const dup = new Set<string>();
  const obj = findObject(job.object) as ObjectDef;
  if (job.operation !== 'upsert' || !job.externalIdFieldName || job.externalIdFieldName === 'Id') return dup;
  const key = findField(obj, job.externalIdFieldName);
  const idx = data.columns.findIndex((c) => c.kind === 'field' && c.field.name === job.externalIdFieldName);
  if (!key || idx < 0) return dup;
  const seen = new Set<string>();
  for (const row of data.rows) {
    const v = row[idx] ?? '';
    if (v === '' || v === '#N/A') continue;
    const norm = key.caseSensitive ? v : v.toLowerCase();
    if (seen.has(norm)) dup.add(norm);
    seen.add(norm);
  }
  return dup;
}

/**
 * What every row of one prepared upload shares, built once per job rather than per row: the stand-in runs on
 * the benchmark's machine, so its per-row garbage competes with the loader it measures (BENCHMARKS.md).
 * `cells` and `ctx` are reused row after row (record-ops keeps neither); `row` is the row being processed.
 */
interface RowPlan {
  obj: ObjectDef;
  keyField: FieldDef | undefined;
  cells: Cell[];
  ctx: DmlContext;
  row: string[];
}

const planCache = new WeakMap<PreparedData, RowPlan>();

function rowPlan(org: Org, job: IngestJob, data: PreparedData): RowPlan {
  let plan = planCache.get(data);
  if (!plan) {
    const obj = findObject(job.object) as ObjectDef;
    const lockFallbackId = job.id.replace(/^750/, obj.keyPrefix);
    const lockRules = org.lockRules;
    const p: RowPlan = {
      obj,
      keyField: job.externalIdFieldName ? findField(obj, job.externalIdFieldName) : undefined,
      cells: data.columns.map((c): Cell => [c, '']),
      row: [],
      ctx: {
        store: org.store,
        userId: org.userId,
        duplicateKeys: duplicateKeys(job, data),
        relationshipNull: org.options.relationshipNull,
        beforeCommit: (targetId) => {
          if (lockRules.isEmpty()) return undefined;
          const asRecord: Record<string, string> = {};
          data.header.forEach((h, i) => (asRecord[h] = p.row[i] ?? ''));
          return lockRules.check(asRecord, targetId || lockFallbackId);
        },
      },
    };
    plan = p;
    planCache.set(data, plan);
  }
  return plan;
}

/** Processes row `index` of the upload and appends its result. */
export function processRow(org: Org, job: IngestJob, index: number): void {
  const data = job.prepared as PreparedData;
  const plan = rowPlan(org, job, data);
  const { obj, keyField, cells, ctx } = plan;
  const row = data.rows[index] ?? [];
  plan.row = row;
  ctx.relationshipNull = org.options.relationshipNull;
  for (let i = 0; i < cells.length; i++) (cells[i] as Cell)[1] = row[i] ?? '';
  const outcome =
    job.operation === 'delete' || job.operation === 'hardDelete'
      ? applyDelete(ctx, obj, job.operation, cells)
      : applyWrite(ctx, obj, job.operation, keyField, cells);
  let sfId = outcome.id;
  if (outcome.ok && obj.kind === 'event' && org.options.eventBulkIds === 'empty') sfId = '';
  const result: RowResult = { row: index, ok: outcome.ok, sfId, created: outcome.created, error: outcome.error };
  job.results.push(result);
}

/** Row order of a result CSV: shuffled under 'normalised' or resultOrder 'shuffled', else upload order. */
function order(org: Org, job: IngestJob, indexes: number[]): number[] {
  const shuffle = org.options.resultEcho === 'normalised' || org.options.resultOrder !== 'upload';
  return shuffle ? seededShuffle(job.id, indexes) : indexes;
}

export type ResultKind = 'successfulResults' | 'failedResults' | 'unprocessedrecords';

/** How one data cell of successful/failed results is echoed (per column, decided once). */
function cellEcho(org: Org, wantOk: boolean, column: Column | undefined): ((v: string) => string) | undefined {
  if (org.options.resultEcho === 'normalised') return (v) => normaliseValue(column, v);
  // as-uploaded: only double/currency/percent in successfulResults, like the doc example (912260031 → 9.12260031E8).
  if (!wantOk || !org.options.normaliseResultValues || !column || column.kind !== 'field') return undefined;
  if (!['double', 'currency', 'percent'].includes(column.field.type)) return undefined;
  return (v) => (v !== '' && v !== '#N/A' && Number.isFinite(Number(v)) ? javaDouble(Number(v)) : v);
}

export function resultCsv(org: Org, job: IngestJob, kind: ResultKind): string {
  const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
  const data = job.prepared;
  const header = data?.header ?? job.rawHeader ?? [];
  const rows = data?.rows ?? job.rawRows ?? [];
  if (kind === 'unprocessedrecords') {
    const processed = new Uint8Array(rows.length);
    for (const r of job.results) processed[r.row] = 1;
    const idx: number[] = [];
    for (let i = 0; i < rows.length; i++) if (!processed[i]) idx.push(i);
    return writeResultCsv([], header, order(org, job, idx).map((i) => rows[i] ?? []), delimiter);
  }
  const wantOk = kind === 'successfulResults';
  const idx: number[] = [];
  job.results.forEach((r, i) => {
    if (r.ok === wantOk) idx.push(i);
  });
  // Result rows follow the upload order (then `order` may shuffle them), whatever order the batches ran in.
  idx.sort((a, b) => (job.results[a] as RowResult).row - (job.results[b] as RowResult).row);
  // failedResults seen with its data columns sorted alphabetically [REAL §1.8]; successfulResults as uploaded.
  const cols = columnOrder(header, !wantOk && org.options.resultEcho === 'normalised');
  const echo = cols.map((c) => cellEcho(org, wantOk, data?.columns[c]));
  const out = order(org, job, idx).map((i) => {
    const r = job.results[i] as RowResult;
    const row = rows[r.row];
    const values = cols.map((c, k) => {
      const v = row?.[c] ?? '';
      const f = echo[k];
      return f ? f(v) : v;
    });
    return wantOk
      ? [r.sfId, String(r.created), ...values]
      : [r.sfId, r.error ? formatSfError(r.error) : '', ...values];
  });
  const dataHeader = cols.map((c) => header[c] as string);
  return writeResultCsv(wantOk ? ['sf__Id', 'sf__Created'] : ['sf__Id', 'sf__Error'], dataHeader, out, delimiter);
}
