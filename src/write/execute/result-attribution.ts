/**
 * Attributes a job's result rows to its uploaded rows (pure, fed one result row at a time).
 *
 * Result CSVs come in no guaranteed order, their columns mapped by header name, their values possibly
 * rewritten (result-values.ts). A result row is attributed:
 * 1. by its **exact** identity (row-identity.ts: the record key of a keyed row — 18-character Id,
 *    exact decimal, exact text — else the whole content as uploaded), as it streams in, over every
 *    result set read;
 * 2. only then, for the rows left, by its **relaxed** identity — and only when that is unique: the
 *    candidate rows are identical (interchangeable), or exactly as many as the result rows that
 *    want them, all with the same outcome.
 * Anything else stays unattributed: such uploaded rows are never counted as loaded (the caller
 * rejects them as DESTINATION_RESULT_AMBIGUOUS). `#N/A` and empty stay distinct in the exact pass.
 */
import { parseSfError } from '../../rejects/sf-error';
import type { Row } from '../chunk/csv-text';
import { layoutOf, resultIdentity, uploadedIdentity, type KeyedColumns, type Layout } from './row-identity';

export type ResultKind = 'successful' | 'failed' | 'unprocessed';

export type RowOutcome =
  | { kind: 'loaded' }
  | { kind: 'failed'; code: string; message: string; fields: string[] }
  | { kind: 'unprocessed' };

export interface UploadedJob extends KeyedColumns {
  rows: Row[];
}

interface Pending {
  layout: Layout;
  relaxed: string;
  outcome: RowOutcome;
  kind: ResultKind;
}

/** Uploaded rows by identity, built once per result layout; `next` skips rows taken by the exact pass. */
interface Index {
  exact: Map<string, { rows: number[]; next: number }>;
  relaxed: Map<string, number[]>;
}

export class Attribution {
  private readonly outcomes: Array<RowOutcome | undefined>;
  private readonly indexes = new Map<string, Index>();
  private pending: Pending[] = [];
  private readonly counts = { successful: 0, failed: 0, unprocessed: 0 };

  constructor(private readonly job: UploadedJob) {
    this.outcomes = new Array<RowOutcome | undefined>(job.rows.length).fill(undefined);
  }

  /** A consumer for the rows of one result CSV, given its header. */
  begin(kind: ResultKind, header: string[]): (row: string[]) => void {
    const layout = layoutOf(this.job, header);
    const index = this.index(layout);
    const id = header.indexOf('sf__Error');
    return (row) => {
      const outcome = outcomeOf(kind, id >= 0 ? (row[id] ?? '') : '');
      const i = take(index.exact.get(resultIdentity(row, layout, 'exact')), this.outcomes);
      if (i !== undefined) return this.assign(i, outcome, kind);
      this.pending.push({ layout, relaxed: resultIdentity(row, layout, 'relaxed'), outcome, kind });
    };
  }

  /** The relaxed pass over the result rows not attributed yet (may be called again after more sets). */
  settleRelaxed(): void {
    const groups = new Map<Index, Map<string, Pending[]>>();
    for (const p of this.pending) {
      const index = this.index(p.layout);
      let byKey = groups.get(index);
      if (!byKey) groups.set(index, (byKey = new Map()));
      const list = byKey.get(p.relaxed) ?? [];
      list.push(p);
      byKey.set(p.relaxed, list);
    }
    const left: Pending[] = [];
    for (const [index, byKey] of groups) {
      for (const [key, wanting] of byKey) {
        const candidates = (index.relaxed.get(key) ?? []).filter((i) => this.outcomes[i] === undefined);
        const layout = (wanting[0] as Pending).layout;
        const sameOutcome = wanting.every((p) => sameAs(p.outcome, (wanting[0] as Pending).outcome));
        const unique =
          candidates.length > 0 &&
          (this.interchangeable(candidates, layout) || (candidates.length === wanting.length && sameOutcome));
        if (!unique) {
          left.push(...wanting);
          continue;
        }
        wanting.forEach((p, k) => {
          const i = candidates[k];
          if (i === undefined) left.push(p);
          else this.assign(i, p.outcome, p.kind);
        });
      }
    }
    this.pending = left;
  }

  /** Result rows attributed so far per set, and result rows that could not be attributed. */
  tally(): { successful: number; failed: number; unprocessed: number; unattributed: number } {
    return { ...this.counts, unattributed: this.pending.length };
  }

  /** Per uploaded row: its outcome, or undefined when no result row was attributed to it. */
  result(): ReadonlyArray<RowOutcome | undefined> {
    return this.outcomes;
  }

  private assign(i: number, outcome: RowOutcome, kind: ResultKind): void {
    this.outcomes[i] = outcome;
    this.counts[kind] += 1;
  }

  /** Rows of identical uploaded content (all columns, not only the echoed ones) can stand for each other. */
  private interchangeable(candidates: number[], layout: Layout): boolean {
    if (!layout.complete) {
      const full = layoutOf(this.job);
      const first = uploadedIdentity(this.job.rows[candidates[0] as number] as Row, full, 'exact');
      return candidates.every((i) => uploadedIdentity(this.job.rows[i] as Row, full, 'exact') === first);
    }
    const first = uploadedIdentity(this.job.rows[candidates[0] as number] as Row, layout, 'exact');
    return candidates.every((i) => uploadedIdentity(this.job.rows[i] as Row, layout, 'exact') === first);
  }

  private index(layout: Layout): Index {
    const signature = layout.upload.join(',');
    let index = this.indexes.get(signature);
    if (!index) {
      index = { exact: new Map(), relaxed: new Map() };
      this.job.rows.forEach((cells, i) => {
        const exact = uploadedIdentity(cells, layout, 'exact');
        const list = index?.exact.get(exact);
        if (list) list.rows.push(i);
        else index?.exact.set(exact, { rows: [i], next: 0 });
        push(index?.relaxed as Map<string, number[]>, uploadedIdentity(cells, layout, 'relaxed'), i);
      });
      this.indexes.set(signature, index);
    }
    return index;
  }
}

function push(map: Map<string, number[]>, key: string, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}

/** The first row of `list` not attributed yet (a cursor: each row is passed over once). */
function take(list: { rows: number[]; next: number } | undefined, outcomes: Array<RowOutcome | undefined>): number | undefined {
  if (!list) return undefined;
  while (list.next < list.rows.length) {
    const i = list.rows[list.next] as number;
    list.next += 1;
    if (outcomes[i] === undefined) return i;
  }
  return undefined;
}

function outcomeOf(kind: ResultKind, sfError: string): RowOutcome {
  if (kind === 'successful') return { kind: 'loaded' };
  if (kind === 'unprocessed') return { kind: 'unprocessed' };
  const err = parseSfError(sfError);
  return { kind: 'failed', code: err.code, message: err.message, fields: err.fields };
}

function sameAs(a: RowOutcome, b: RowOutcome): boolean {
  return a.kind === b.kind && (a.kind !== 'failed' || (b.kind === 'failed' && a.code === b.code && a.message === b.message));
}
