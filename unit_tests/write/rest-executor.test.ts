/** The sObject Collections executor over a scripted client: outcomes by position, retries and lost replies by failure-causes. */
import { ConnectorError } from '../../src/errors';
import type { CollectionsClient, CollectionsRequest, SaveResult } from '../../src/salesforce/collections-client';
import { NoReplyError, SalesforceApiError } from '../../src/salesforce/salesforce-errors';
import { type ChunkWork, settledRows } from '../../src/write/execute/chunk-executor';
import { REST_OUTCOME_UNKNOWN, RestChunkExecutor } from '../../src/write/execute/rest-executor';

type Answer = (req: CollectionsRequest, n: number) => SaveResult[] | undefined;

function executor(answer: Answer, opts: { beforeRequest?: () => void } = {}) {
  const sent: CollectionsRequest[] = [];
  const client = {
    save: async (req: CollectionsRequest) => {
      sent.push(req);
      return answer(req, sent.length);
    },
  } as unknown as CollectionsClient;
  const logs: string[] = [];
  const ex = new RestChunkExecutor(client, {
    rowAttempts: 3, rowRetryBackoffMs: 0, resendWaitMs: 0, requestTries: 3, requestsInFlight: 2,
    sleep: async () => undefined, log: (_l, m) => void logs.push(m), ...opts,
  });
  return { ex, sent, logs };
}

const work = (operation: 'insert' | 'upsert', names: string[]): ChunkWork<{ cells: string[] }> => ({
  object: 'Account', operation, ...(operation === 'upsert' ? { externalIdFieldName: 'Name' } : {}),
  columns: ['Name'], rows: names.map((n) => ({ cells: [n] })), types: new Map(),
});
const names = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);
const ok = (req: CollectionsRequest): SaveResult[] => (req.records ?? []).map(() => ({ id: '001', success: true, errors: [] }));
const outcome = (s: { row: { cells: string[] }; result: { kind: string; code?: string } }) => `${s.row.cells[0]}:${s.result.kind === 'loaded' ? 'loaded' : s.result.code}`;

test('rows go in requests of 200; each result is the one at its position; OPERATION_ENQUEUED alone is a success', async () => {
  const { ex, sent } = executor((req) =>
    (req.records ?? []).map((r) =>
      r.Name === 'r3' ? { id: null, success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [X]', fields: ['X'] }] }
      : r.Name === 'r5' ? { id: 'e00', success: false, errors: [{ statusCode: 'OPERATION_ENQUEUED', message: 'uuid', fields: [] }] }
      : { id: '001', success: true, errors: [] }));
  const out = await ex.run(work('insert', names(450)));
  expect(sent.map((r) => r.records?.length)).toEqual([200, 200, 50]);
  expect(settledRows(out.settled)).toHaveLength(450);
  expect(out.jobIds).toEqual([]);
  const rejected = settledRows(out.settled).filter((s) => s.result.kind === 'rejected');
  expect(rejected.map(outcome)).toEqual(['r3:REQUIRED_FIELD_MISSING']);
  expect(rejected[0]?.result).toMatchObject({ message: 'Required fields are missing: [X]', fields: ['X'], attempts: 1 });
});

test('a lock error sends the row again in a follow-up request; after the last attempt it is rejected', async () => {
  const { ex, sent } = executor((req) => (req.records ?? []).map((r) =>
    r.Name === 'r1' || (r.Name === 'r0' && sent.length < 2) ? { id: null, success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'locked', fields: [] }] } : { id: '001', success: true, errors: [] }));
  const out = await ex.run(work('insert', names(3)));
  expect(sent.map((r) => r.records?.map((x) => x.Name))).toEqual([['r0', 'r1', 'r2'], ['r0', 'r1'], ['r1']]);
  expect(settledRows(out.settled).map(outcome).sort()).toEqual(['r0:loaded', 'r1:UNABLE_TO_LOCK_ROW', 'r2:loaded']);
});

test('an insert whose reply is lost is not sent again: its rows are rejected as outcome unknown; other requests settle', async () => {
  const { ex, sent } = executor((req, n) => {
    if (n === 1) throw new NoReplyError('no answer', 'ECONNRESET');
    return ok(req);
  });
  const out = await ex.run(work('insert', names(300)));
  expect(sent).toHaveLength(2);
  const codes = settledRows(out.settled).map((s) => (s.result.kind === 'loaded' ? 'loaded' : s.result.code));
  expect(codes.filter((c) => c === REST_OUTCOME_UNKNOWN)).toHaveLength(200);
  expect(codes.filter((c) => c === 'loaded')).toHaveLength(100);
});

test('a throttled insert is sent again; a keyed write without a reply stops the sync unsettled; a short reply is ambiguous', async () => {
  const throttled = executor((req, n) => {
    if (n === 1) throw new SalesforceApiError({ message: '503', failureType: 'transient_error', status: 503 });
    return ok(req);
  });
  expect(settledRows((await throttled.ex.run(work('insert', names(2)))).settled).map(outcome)).toEqual(['r0:loaded', 'r1:loaded']);
  expect(throttled.sent).toHaveLength(2);

  const keyed = executor(() => {
    throw new NoReplyError('no answer', 'ECONNRESET');
  });
  await expect(keyed.ex.run(work('upsert', names(2)))).rejects.toMatchObject({ failureType: 'transient_error' });

  const short = executor(() => [{ id: '001', success: true, errors: [] }]);
  expect(settledRows((await short.ex.run(work('upsert', names(2)))).settled).map(outcome)).toEqual(['r0:DESTINATION_RESULT_AMBIGUOUS', 'r1:DESTINATION_RESULT_AMBIGUOUS']);
});

test('a config answer stops with config_error; a limit on a row stops with transient_error; a cancel stops before any request', async () => {
  const bad = executor(() => {
    throw new SalesforceApiError({ message: 'x', failureType: 'config_error', status: 400, errorCode: 'INVALID_FIELD', salesforceMessage: "No such column 'X'" });
  });
  await expect(bad.ex.run(work('insert', names(1)))).rejects.toMatchObject({ failureType: 'config_error' });
  const limit = executor((req) => (req.records ?? []).map(() => ({ id: null, success: false, errors: [{ statusCode: 'REQUEST_LIMIT_EXCEEDED', message: 'limit', fields: [] }] })));
  await expect(limit.ex.run(work('insert', names(1)))).rejects.toMatchObject({ failureType: 'transient_error' });
  const cancelled = executor(ok, { beforeRequest: () => { throw new ConnectorError('cancelled', 'transient_error'); } });
  await expect(cancelled.ex.run(work('insert', names(1)))).rejects.toThrow('cancelled');
  expect(cancelled.sent).toEqual([]);
});
