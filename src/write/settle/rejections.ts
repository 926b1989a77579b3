/** Small pure helpers of the write pipeline's rejection path. */
import { sourcesOf, type ChunkRow } from '../chunk/csv-chunker';
import type { Settled } from '../execute/chunk-executor';
import type { StreamPlan } from '../plan/stream-plan';
import type { RowMeta } from '../plan/stream-router';

/** A row that will not be loaded: mapping refused it, or its job did (after `attempts` jobs). */
export interface Rejection {
  meta: RowMeta;
  code: string;
  message: string;
  fields: string[];
  jobId?: string;
  attempts: number;
}

/** A chunk's outcome per input row: every input record merged into a chunk row gets that row's outcome. */
export function rowOutcomes(settled: ReadonlyArray<Settled<Pick<ChunkRow<RowMeta>, 'source' | 'later'>>>): { loaded: RowMeta[]; rejected: Rejection[] } {
  const loaded: RowMeta[] = [];
  const rejected: Rejection[] = [];
  for (const { rows, result } of settled) {
    for (const row of rows) {
      if (result.kind === 'loaded' && !row.later) loaded.push(row.source); // nearly every row: one record, loaded
      else {
        for (const meta of sourcesOf(row)) {
          if (result.kind === 'loaded') loaded.push(meta);
          else rejected.push({ meta, code: result.code, message: result.message, fields: result.fields, attempts: result.attempts, ...(result.jobId ? { jobId: result.jobId } : {}) });
        }
      }
    }
  }
  return { loaded, rejected };
}

/** The smallest `seq` (Infinity when empty); a loop, as a spread would overflow the stack on big chunks. */
export function minSeq(rows: ReadonlyArray<{ seq: number }>): number {
  let min = Infinity;
  for (const r of rows) if (r.seq < min) min = r.seq;
  return min;
}

/** The message of the error that stops a sync with allow_failures false. */
export function rejectionText(
  plan: Pick<StreamPlan, 'key' | 'object' | 'operation'>,
  rows: ReadonlyArray<{ code: string; fields: string[] }>,
  location: string,
): string {
  const byCode = new Map<string, { n: number; fields: Set<string> }>();
  for (const r of rows) {
    const e = byCode.get(r.code) ?? { n: 0, fields: new Set<string>() };
    e.n += 1;
    for (const f of r.fields) e.fields.add(f);
    byCode.set(r.code, e);
  }
  const detail = [...byCode.entries()]
    .map(([code, e]) => `${e.n} with ${code}${e.fields.size ? ` (fields: ${[...e.fields].join(', ')})` : ''}`)
    .join('; ');
  return (
    `${rows.length} row(s) of stream ${plan.key} were rejected by ${plan.object} (${plan.operation}): ${detail}. ` +
    `allow_failures is false, so the sync stopped; the rejected rows are in ${location}.`
  );
}
