/**
 * The mirror step of one stream (issue 16), run once the stream is complete, every row settled and
 * the sync has not failed:
 *
 * 1. Bulk query `SELECT Id, <key> FROM <object> WHERE (<scope>)` — the in-scope records after this
 *    sync's upserts, read page by page.
 * 2. A record whose key the source did not send is a candidate; one with an empty key never is.
 * 3. Safety: more candidates than `maxDeletePercent` of the in-scope records → nothing is deleted,
 *    config_error with the limit, the count and the total.
 * 4. Candidates are deleted (Bulk delete / hardDelete through `deleteIds`), and what Salesforce
 *    confirmed goes to the deletion log. A record Salesforce refused to delete fails the sync
 *    (transient or config by its error code, classified in execute/failure-causes.ts).
 */
import { configError, transientError, type ConnectorError } from '../../errors';
import type { DeletedRecord, DeletionLog } from '../../rejects/deletion-log';
import type { BulkQueryClient } from '../../salesforce/bulk-query-client';
import { classifyRow } from '../execute/failure-causes';
import type { StreamPlan } from '../plan/stream-plan';
import type { MirrorKeySet } from './key-set';
import type { MirrorPlan } from './mirror-plan';

/** Salesforce's verdict on one Id of a delete job. */
export type DeleteOutcome = { deleted: true } | { deleted: false; code: string; message: string };

export interface MirrorStepDeps {
  query: BulkQueryClient;
  /** Deletes these Ids of `object` (one outcome per Id, same order). */
  deleteIds: (object: string, operation: MirrorPlan['operation'], ids: string[]) => Promise<DeleteOutcome[]>;
  deletionLog: DeletionLog;
  maxDeletePercent: number;
  /** Ids per delete call (a job's rows). */
  batchSize: number;
  info: (message: string) => void;
  now: () => number;
}

export interface MirrorSummary {
  inScope: number;
  deleted: number;
  emptyKeys: number;
}

/** A deletion Salesforce no longer needs: the record was already gone. */
const ALREADY_GONE = new Set(['ENTITY_IS_DELETED']);

export function mirrorSoql(plan: StreamPlan & { mirror: MirrorPlan }): string {
  return `SELECT Id, ${plan.mirror.keyField.name} FROM ${plan.object} WHERE (${plan.mirror.scope})`;
}

export async function runMirrorStep(plan: StreamPlan & { mirror: MirrorPlan }, present: MirrorKeySet, deps: MirrorStepDeps): Promise<MirrorSummary> {
  const keyName = plan.mirror.keyField.name;
  const candidates: Array<{ Id: string; key: string }> = [];
  let inScope = 0;
  let emptyKeys = 0;
  for await (const page of deps.query.rows(mirrorSoql(plan))) {
    for (const row of page) {
      inScope += 1;
      const key = row[keyName] ?? '';
      if (key.trim() === '') emptyKeys += 1;
      else if (!present.has(key)) candidates.push({ Id: row.Id ?? '', key });
    }
  }
  const limit = deps.maxDeletePercent;
  if (candidates.length > (inScope * limit) / 100) {
    throw configError(
      `Mirror of stream ${plan.key} stopped: it would delete ${candidates.length} of the ${inScope} ${plan.object} records in scope (${plan.mirror.scope}), ` +
        `${percent(candidates.length, inScope)} — more than mirror_max_delete_percent (${limit}%) allows. Nothing was deleted. ` +
        'If the source really dropped these records, raise mirror_max_delete_percent for one sync; otherwise check the source (did it send all its rows?).',
    );
  }
  let deleted = 0;
  for (let i = 0; i < candidates.length; i += deps.batchSize) {
    const batch = candidates.slice(i, i + deps.batchSize);
    const outcomes = await deps.deleteIds(plan.object, plan.mirror.operation, batch.map((c) => c.Id));
    const time = new Date(deps.now()).toISOString();
    const done: DeletedRecord[] = [];
    const failed: Array<{ Id: string; code: string; message: string }> = [];
    outcomes.forEach((o, j) => {
      const c = batch[j] as { Id: string; key: string };
      if (o.deleted) done.push({ Id: c.Id, key: c.key, object: plan.object, time });
      else if (!ALREADY_GONE.has(o.code)) failed.push({ Id: c.Id, code: o.code, message: o.message });
    });
    await deps.deletionLog.write(plan.stream, done);
    deleted += done.length;
    if (failed.length) throw deletionFailed(plan, failed, deleted, deps);
  }
  deps.info(
    `Mirror of stream ${plan.key}: ${inScope} ${plan.object} records in scope (${plan.mirror.scope}), ${present.size} keys sent, ` +
      `${deleted} deleted (${plan.mirror.operation === 'hardDelete' ? 'hard delete' : 'recycle bin'})` +
      `${emptyKeys ? `, ${emptyKeys} with an empty ${keyName} kept` : ''}${deleted ? `; deletion log: ${deps.deletionLog.location(plan.stream)}` : ''}.`,
  );
  return { inScope, deleted, emptyKeys };
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '100%' : `${Math.round((part / whole) * 1000) / 10}%`;
}

function deletionFailed(plan: StreamPlan, failed: Array<{ Id: string; code: string; message: string }>, deleted: number, deps: MirrorStepDeps): ConnectorError {
  const first = failed[0] as { Id: string; code: string; message: string };
  const text =
    `Mirror of stream ${plan.key}: Salesforce refused to delete ${failed.length} ${plan.object} record(s) (first: ${first.Id}, ${first.code}: ${first.message}); ` +
    `${deleted} were deleted and logged at ${deps.deletionLog.location(plan.stream)}. The stream's last state is not confirmed, so the next sync mirrors again.`;
  // As failure-causes.ts says: a lock or a limit passes (transient); any other refusal needs a change in Salesforce.
  const passing = failed.every((f) => ['resend', 'transient'].includes(classifyRow(f.code).action));
  return passing ? transientError(text) : configError(text);
}
