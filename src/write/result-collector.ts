/**
 * Matches a job's result CSVs back to the uploaded rows (pure).
 *
 * Result CSVs map by header NAME (never position) and come in no guaranteed order, echoing the
 * uploaded columns with values Salesforce may have normalised (`912260031` → `9.12260031E8`,
 * booleans, date-times). So rows are matched BY CONTENT: a key of the values normalised per column
 * type, with a multiset (identical rows are counted, not collapsed). Rows a first pass cannot place
 * are tried on the columns least likely to be rewritten (ids and text), then by best agreement.
 * An uploaded row no result accounts for is reported `missing` — never counted as loaded.
 *
 * Cost: each uploaded value is normalised at most once per call (only the types Salesforce rewrites
 * need work), date-times once per distinct value, and keys are NUL-joined strings built only for
 * rows still unmatched.
 */
import Papa from 'papaparse';
import { parseSfError } from '../rejects/sf-error';
import type { Row } from './csv-chunker';
import { keyOf, Normaliser, ruleOf, type Rule } from './result-keys';

export { normalise } from './result-keys';

export type RowOutcome =
  | { kind: 'loaded'; id: string; created: boolean }
  | { kind: 'failed'; code: string; message: string; fields: string[] }
  | { kind: 'unprocessed' }
  | { kind: 'missing' };

export interface UploadedRows {
  columns: string[];
  /** Values aligned to `columns` (a shorter row: the rest are empty). */
  rows: Row[];
  /** Salesforce type per column (for normalising values); unknown → compared as text. */
  types: Map<string, string>;
  /** The record key column (Id / external id), when the operation has one: the fuzzy pass must agree on it. */
  keyColumn?: string;
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

const ROBUST = new Set(['id', 'reference', 'string', 'textarea', 'email', 'url', 'phone', 'encryptedstring']);
const MAX_FUZZY = 2000;

type Kind = 'successful' | 'failed' | 'unprocessed';

/** An uploaded column found in a result CSV: its position in the upload and in the result. */
interface Shared {
  column: string;
  rule: Rule;
  robust: boolean;
  /** Index in the uploaded columns (and rows). */
  upload: number;
  /** Index in the result row. */
  result: number;
}

interface ResultSet {
  kind: Kind;
  shared: Shared[];
  rows: string[][];
  id: number;
  created: number;
  error: number;
}

function resultSet(kind: Kind, data: Buffer | undefined, columns: string[], types: Map<string, string>): ResultSet | undefined {
  if (!data) return undefined;
  const { header, rows } = parseCsv(data);
  const shared: Shared[] = [];
  columns.forEach((column, upload) => {
    let result = header.indexOf(column);
    if (result < 0) result = header.findIndex((h) => h.toLowerCase() === column.toLowerCase());
    if (result < 0) return;
    const type = types.get(column);
    shared.push({ column, upload, result, rule: ruleOf(type), robust: column.includes('.') || ROBUST.has(type ?? 'string') });
  });
  return { kind, shared, rows, id: header.indexOf('sf__Id'), created: header.indexOf('sf__Created'), error: header.indexOf('sf__Error') };
}

function outcomeOf(set: ResultSet, row: string[]): RowOutcome {
  const cell = (i: number) => (i >= 0 ? (row[i] ?? '') : '');
  if (set.kind === 'successful') return { kind: 'loaded', id: cell(set.id), created: cell(set.created) === 'true' };
  if (set.kind === 'unprocessed') return { kind: 'unprocessed' };
  const err = parseSfError(cell(set.error));
  return { kind: 'failed', code: err.code, message: err.message, fields: err.fields };
}

/** The uploaded side, normalised once per call, column by column, on first use. */
class UploadedSide {
  private readonly columns = new Map<number, string[]>();
  private readonly keys = new Map<string, Array<string | undefined>>();

  constructor(
    private readonly uploaded: UploadedRows,
    private readonly norm: Normaliser,
  ) {}

  value(i: number, upload: number): string {
    let col = this.columns.get(upload);
    if (!col) {
      const rule = ruleOf(this.uploaded.types.get(this.uploaded.columns[upload] as string));
      col = this.uploaded.rows.map((row) => this.norm.value(rule, row[upload] ?? ''));
      this.columns.set(upload, col);
    }
    return col[i] as string;
  }

  /** Row i's key on `cols` (cached per column list: result sets usually share one). */
  key(i: number, cols: Shared[], signature: string): string {
    let cache = this.keys.get(signature);
    if (!cache) {
      cache = [];
      this.keys.set(signature, cache);
    }
    let k = cache[i];
    if (k === undefined) {
      k = keyOf(cols.map((c) => this.value(i, c.upload)));
      cache[i] = k;
    }
    return k;
  }
}

export function collectResults(uploaded: UploadedRows, results: JobResults): RowOutcome[] {
  const n = uploaded.rows.length;
  const outcomes: Array<RowOutcome | undefined> = new Array<RowOutcome | undefined>(n).fill(undefined);
  const norm = new Normaliser();
  const side = new UploadedSide(uploaded, norm);
  const sets = [
    resultSet('failed', results.failed, uploaded.columns, uploaded.types),
    resultSet('unprocessed', results.unprocessed, uploaded.columns, uploaded.types),
    resultSet('successful', results.successful, uploaded.columns, uploaded.types),
  ].filter((s): s is ResultSet => s !== undefined);

  for (const set of sets) {
    const resultValue = (row: string[], c: Shared) => norm.value(c.rule, row[c.result] ?? '');
    let pending = set.rows;
    // Pass 1: every shared column; pass 2: only columns Salesforce does not reformat.
    const robust = set.shared.filter((c) => c.robust);
    for (const cols of [set.shared, robust]) {
      if (pending.length === 0 || cols.length === 0) break;
      const signature = cols.map((c) => c.upload).join(',');
      // Multiset of the unmatched uploaded rows: key → first row, next[i] → the next row with that key.
      const head = new Map<string, number>();
      const next = new Int32Array(n).fill(-1);
      for (let i = n - 1; i >= 0; i -= 1) {
        if (outcomes[i]) continue;
        const k = side.key(i, cols, signature);
        const first = head.get(k);
        if (first !== undefined) next[i] = first;
        head.set(k, i);
      }
      const left: string[][] = [];
      for (const row of pending) {
        const k = keyOf(cols.map((c) => resultValue(row, c)));
        const i = head.get(k);
        if (i === undefined) {
          left.push(row);
          continue;
        }
        const after = next[i] as number;
        if (after >= 0) head.set(k, after);
        else head.delete(k);
        outcomes[i] = outcomeOf(set, row);
      }
      pending = left;
    }
    // Pass 3: best agreement (at least half of the shared columns) among what is left; quadratic,
    // so only for a few stragglers (the rest stay `missing`, i.e. rejected, never counted as loaded).
    // A row that names its record (Id / external id) is only ever matched to a row naming the same one.
    const key = set.shared.find((c) => c.column === uploaded.keyColumn);
    for (const row of pending.length <= MAX_FUZZY ? pending : []) {
      const values = set.shared.map((c) => resultValue(row, c));
      const keyValue = key ? resultValue(row, key) : undefined;
      let best = -1;
      let bestScore = Math.ceil(set.shared.length / 2) - 1;
      for (let i = 0; i < n; i += 1) {
        if (outcomes[i] || (key && side.value(i, key.upload) !== keyValue)) continue;
        let score = 0;
        set.shared.forEach((c, k) => {
          if (side.value(i, c.upload) === values[k]) score += 1;
        });
        if (score > bestScore) {
          best = i;
          bestScore = score;
        }
      }
      if (best >= 0) outcomes[best] = outcomeOf(set, row);
    }
  }
  return outcomes.map((o) => o ?? { kind: 'missing' });
}
