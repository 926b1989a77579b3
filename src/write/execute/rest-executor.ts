/**
 * The sObject Collections chunk executor (salesforce/collections-client.ts): a chunk's rows in
 * requests of 200 records, a few requests in flight, each row's outcome taken from its position in
 * the reply (SaveResult k belongs to record k; nothing is matched by content).
 *
 * The same rules as the Bulk executor, classified in failure-causes.ts:
 * - a success → loaded; a result whose only error is OPERATION_ENQUEUED (a platform event) → loaded;
 * - a row error → rejected with Salesforce's code, or (locks, passing server errors) sent again in
 *   a follow-up request after a backoff, at most `rowAttempts` requests; a limit → transient_error;
 * - a request refused as a whole: by its cause (config_error, transient_error, sent again after a
 *   wait when Salesforce did not process it). An insert whose reply is lost is never sent again: its
 *   rows are rejected as DESTINATION_REST_OUTCOME_UNKNOWN (they may be in Salesforce; see README).
 *   Keyed writes (update, upsert, delete) are retried by the HTTP port; then transient_error.
 * - a reply that does not hold one result per record → the request's rows are rejected as
 *   DESTINATION_RESULT_AMBIGUOUS, never loaded (as Bulk results that cannot be attributed).
 * When the sync must stop (or is cancelled), the requests in flight finish first; no new request starts.
 */
import { configError, systemError, transientError } from '../../errors';
import { COLLECTION_MAX_RECORDS, type CollectionsClient, type CollectionsOperation, type SaveResult } from '../../salesforce/collections-client';
import { NoReplyError } from '../../salesforce/salesforce-errors';
import type { Row } from '../chunk/csv-text';
import { RESULT_AMBIGUOUS_ERROR } from './bulk-executor';
import type { ChunkExecutor, ChunkOutcome, ChunkWork, RowResult, Settled } from './chunk-executor';
import { classifyHttp, classifyNoReply, classifyRow, type Call } from './failure-causes';
import { jsonRecord } from './rest-values';

export const REST_OUTCOME_UNKNOWN = 'DESTINATION_REST_OUTCOME_UNKNOWN';
const ENQUEUED = 'OPERATION_ENQUEUED';

export interface RestExecutorOptions {
  /** Requests a row may go through when it fails with a lock error (the Bulk executor's rowAttempts). */
  rowAttempts: number;
  rowRetryBackoffMs: number;
  /** Wait before a request Salesforce refused unprocessed is sent again (times the try). */
  resendWaitMs: number;
  /** Tries of a request Salesforce refused unprocessed (throttled) before transient_error. */
  requestTries: number;
  /** Requests of one chunk in flight at once. */
  requestsInFlight: number;
  sleep: (ms: number) => Promise<void>;
  /** Called before every request; throws when no new request may start (a cancelled sync). */
  beforeRequest?: () => void;
  log: (level: 'INFO' | 'WARN', message: string) => void;
}

interface Round<R extends { cells: Row }> {
  work: ChunkWork<R>;
  attempt: number;
  settled: Array<Settled<R>>;
  again: R[];
}

export class RestChunkExecutor implements ChunkExecutor {
  constructor(
    private readonly client: CollectionsClient,
    private readonly opts: RestExecutorOptions,
  ) {}

  async run<R extends { cells: Row }>(work: ChunkWork<R>): Promise<ChunkOutcome<R>> {
    if (work.operation === 'hardDelete') throw systemError('A hard delete cannot go through sObject Collections (Bulk API only).');
    const settled: Array<Settled<R>> = [];
    let rows = work.rows;
    for (let attempt = 1; rows.length > 0; attempt++) {
      const round: Round<R> = { work, attempt, settled, again: [] };
      const requests: R[][] = [];
      for (let i = 0; i < rows.length; i += COLLECTION_MAX_RECORDS) requests.push(rows.slice(i, i + COLLECTION_MAX_RECORDS));
      await inPool(requests, this.opts.requestsInFlight, (batch) => this.send(round, batch));
      rows = round.again;
      if (rows.length > 0) {
        this.opts.log('INFO', `${rows.length} ${work.object} row(s) failed with a lock or passing server error; sending them again (attempt ${attempt + 1} of ${this.opts.rowAttempts}).`);
        await this.opts.sleep(this.opts.rowRetryBackoffMs * attempt);
      }
    }
    return { settled, jobIds: [] };
  }

  /** One request (sent again while Salesforce refuses it unprocessed); its rows settled or put in `again`. */
  private async send<R extends { cells: Row }>(round: Round<R>, batch: R[]): Promise<void> {
    const { work } = round;
    const op = work.operation as CollectionsOperation;
    const call: Call = op === 'insert' ? 'rest-insert' : 'rest-write';
    const idColumn = work.columns.indexOf('Id');
    const request = {
      object: work.object,
      operation: op,
      ...(work.externalIdFieldName ? { externalIdFieldName: work.externalIdFieldName } : {}),
      ...(work.assignmentRuleId ? { assignmentRuleId: work.assignmentRuleId } : {}),
      ...(op === 'delete'
        ? { ids: batch.map((r) => r.cells[idColumn] ?? '') }
        : { records: batch.map((r) => jsonRecord(work.columns, r.cells, work.types)) }),
    };
    const what = `a ${op} of ${batch.length} ${work.object} record(s) through sObject Collections`;
    for (let tries = 1; ; tries++) {
      let results: SaveResult[] | undefined;
      this.opts.beforeRequest?.();
      try {
        results = await this.client.save(request);
      } catch (err) {
        const cause = err instanceof NoReplyError ? classifyNoReply(call) : classifyHttp(err, call);
        if (!cause) throw err; // already a ConnectorError (the API budget guard, a host that cannot be resolved)
        const said = `Salesforce did not accept ${what}: ${err instanceof Error ? err.message : String(err)}`;
        if (cause.action === 'reject') {
          const message = `${said}. Salesforce may or may not have inserted this row; it was not sent again so that it cannot be inserted twice. Look it up before sending it again.`;
          for (const row of batch) round.settled.push({ rows: [row], result: rejected(REST_OUTCOME_UNKNOWN, message, [], round.attempt) });
          return;
        }
        if (cause.action === 'resend' && tries < this.opts.requestTries) {
          this.opts.log('WARN', `${said}. ${cause.why} Sending it again (try ${tries + 1} of ${this.opts.requestTries}).`);
          await this.opts.sleep(this.opts.resendWaitMs * tries);
          continue;
        }
        if (cause.action === 'config') throw configError(`${said}. ${cause.why}`, cause.id);
        if (cause.action === 'system') throw systemError(`${said}. ${cause.why}`, cause.id);
        throw transientError(`${said}. ${cause.why} No row was rejected.`, cause.id);
      }
      this.settleResults(round, batch, results, what);
      return;
    }
  }

  private settleResults<R extends { cells: Row }>(round: Round<R>, batch: R[], results: SaveResult[] | undefined, what: string): void {
    if (!results || results.length !== batch.length) {
      const message = `Salesforce answered ${what} with ${results ? `${results.length} results` : 'no list of results'}; this row's result cannot be told apart, so it may or may not be written and is not counted as loaded.`;
      for (const row of batch) round.settled.push({ rows: [row], result: rejected(RESULT_AMBIGUOUS_ERROR, message, [], round.attempt) });
      return;
    }
    batch.forEach((row, k) => {
      const r = results[k] as SaveResult;
      const errors = (r.errors ?? []).filter((e) => e.statusCode !== ENQUEUED);
      if (r.success || ((r.errors ?? []).length > 0 && errors.length === 0)) {
        round.settled.push({ rows: [row], result: { kind: 'loaded', attempts: round.attempt } });
        return;
      }
      const code = errors[0]?.statusCode ?? 'UNKNOWN_ERROR';
      const message = errors.length ? errors.map((e) => e.message).join('; ') : 'Salesforce reported a failure without an error.';
      const fields = [...new Set(errors.flatMap((e) => e.fields ?? []))];
      const cause = classifyRow(code);
      if (cause.action === 'transient') throw transientError(`Salesforce refused rows of ${what} with ${code}: ${message}. ${cause.why}`, cause.id);
      if (cause.action === 'resend' && round.attempt < this.opts.rowAttempts) round.again.push(row);
      else round.settled.push({ rows: [row], result: rejected(code, message, fields, round.attempt) });
    });
  }
}

function rejected(code: string, message: string, fields: string[], attempts: number): RowResult {
  return { kind: 'rejected', code, message, fields, attempts };
}

/**
 * Runs `task` over `items`, at most `limit` at once. On the first failure no new task starts; the
 * running ones finish, then that failure is thrown.
 */
async function inPool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.err;
}
