/**
 * Matches a job's result CSVs back to the uploaded rows (pure).
 *
 * Result CSVs map by header NAME (never position) and come in no guaranteed order, echoing the
 * uploaded columns with values Salesforce may have normalised (`912260031` → `9.12260031E8`,
 * booleans, date-times). So rows are matched BY CONTENT: a key of the values normalised per column
 * type, with a multiset (identical rows are counted, not collapsed). Rows a first pass cannot place
 * are tried on the columns least likely to be rewritten (ids and text), then by best agreement.
 * An uploaded row no result accounts for is reported `missing` — never counted as loaded.
 */
import Papa from 'papaparse';
import { parseSfError } from '../rejects/sf-error';
import type { Cells } from './record-mapper';

export type RowOutcome =
  | { kind: 'loaded'; id: string; created: boolean }
  | { kind: 'failed'; code: string; message: string; fields: string[] }
  | { kind: 'unprocessed' }
  | { kind: 'missing' };

export interface UploadedRows {
  columns: string[];
  rows: Cells[];
  /** Salesforce type per column (for normalising values); unknown → compared as text. */
  types: Map<string, string>;
}

export interface JobResults {
  successful?: Buffer;
  failed?: Buffer;
  unprocessed?: Buffer;
}

export interface ParsedCsv {
  header: string[];
  rows: string[][];
}

export function parseCsv(data: Buffer | string): ParsedCsv {
  let text = typeof data === 'string' ? data : data.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { header: [], rows: [] };
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: true, dynamicTyping: false });
  const [header = [], ...rows] = parsed.data;
  return { header, rows };
}

const NUMERIC = new Set(['int', 'long', 'double', 'currency', 'percent']);
const ROBUST = new Set(['id', 'reference', 'string', 'textarea', 'email', 'url', 'phone', 'encryptedstring']);

/** A value as both sides should agree on it, whatever Salesforce normalised. */
export function normalise(type: string | undefined, value: string): string {
  if (value === '' || value === '#N/A') return '';
  const t = (type ?? '').toLowerCase();
  if (NUMERIC.has(t)) {
    const n = Number(value);
    return Number.isFinite(n) ? String(n) : value;
  }
  if (t === 'boolean') {
    const v = value.toLowerCase();
    return v === '1' ? 'true' : v === '0' ? 'false' : v;
  }
  if (t === 'date') return value.slice(0, 10);
  if (t === 'datetime') {
    const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isNaN(ms) ? value : new Date(ms).toISOString();
  }
  return value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
}

const MAX_FUZZY = 2000;

type Kind = 'successful' | 'failed' | 'unprocessed';

interface ResultSet {
  kind: Kind;
  /** Uploaded column → index in the result row. */
  shared: Array<{ column: string; index: number }>;
  header: string[];
  rows: string[][];
}

function resultSet(kind: Kind, data: Buffer | undefined, columns: string[]): ResultSet | undefined {
  if (!data) return undefined;
  const { header, rows } = parseCsv(data);
  const shared: ResultSet['shared'] = [];
  for (const column of columns) {
    let index = header.indexOf(column);
    if (index < 0) index = header.findIndex((h) => h.toLowerCase() === column.toLowerCase());
    if (index >= 0) shared.push({ column, index });
  }
  return { kind, shared, header, rows };
}

function outcomeOf(set: ResultSet, row: string[]): RowOutcome {
  const cell = (name: string) => {
    const i = set.header.indexOf(name);
    return i >= 0 ? (row[i] ?? '') : '';
  };
  if (set.kind === 'successful') return { kind: 'loaded', id: cell('sf__Id'), created: cell('sf__Created') === 'true' };
  if (set.kind === 'unprocessed') return { kind: 'unprocessed' };
  const err = parseSfError(cell('sf__Error'));
  return { kind: 'failed', code: err.code, message: err.message, fields: err.fields };
}

export function collectResults(uploaded: UploadedRows, results: JobResults): RowOutcome[] {
  const outcomes: Array<RowOutcome | undefined> = uploaded.rows.map(() => undefined);
  const sets = [
    resultSet('failed', results.failed, uploaded.columns),
    resultSet('unprocessed', results.unprocessed, uploaded.columns),
    resultSet('successful', results.successful, uploaded.columns),
  ].filter((s): s is ResultSet => s !== undefined);

  for (const set of sets) {
    const typeOf = (c: string) => uploaded.types.get(c);
    const inputKey = (cells: Cells, cols: ResultSet['shared']) => JSON.stringify(cols.map(({ column }) => normalise(typeOf(column), cells[column] ?? '')));
    const resultKey = (row: string[], cols: ResultSet['shared']) => JSON.stringify(cols.map(({ column, index }) => normalise(typeOf(column), row[index] ?? '')));

    let pending = set.rows;
    // Pass 1: every shared column; pass 2: only columns Salesforce does not reformat.
    const robust = set.shared.filter(({ column }) => column.includes('.') || ROBUST.has(typeOf(column) ?? 'string'));
    for (const cols of [set.shared, robust]) {
      if (pending.length === 0 || cols.length === 0) break;
      const index = new Map<string, number[]>();
      uploaded.rows.forEach((cells, i) => {
        if (outcomes[i]) return;
        const k = inputKey(cells, cols);
        const list = index.get(k);
        if (list) list.push(i);
        else index.set(k, [i]);
      });
      const left: string[][] = [];
      for (const row of pending) {
        const i = index.get(resultKey(row, cols))?.shift();
        if (i === undefined) left.push(row);
        else outcomes[i] = outcomeOf(set, row);
      }
      pending = left;
    }
    // Pass 3: best agreement (at least half of the shared columns) among what is left; quadratic,
    // so only for a few stragglers (the rest stay `missing`, i.e. rejected, never counted as loaded).
    for (const row of pending.length <= MAX_FUZZY ? pending : []) {
      let best = -1;
      let bestScore = Math.ceil(set.shared.length / 2) - 1;
      uploaded.rows.forEach((cells, i) => {
        if (outcomes[i]) return;
        let score = 0;
        for (const { column, index } of set.shared) {
          if (normalise(typeOf(column), cells[column] ?? '') === normalise(typeOf(column), row[index] ?? '')) score += 1;
        }
        if (score > bestScore) {
          best = i;
          bestScore = score;
        }
      });
      if (best >= 0) outcomes[best] = outcomeOf(set, row);
    }
  }
  return outcomes.map((o) => o ?? { kind: 'missing' });
}
