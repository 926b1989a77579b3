import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SalesforceApiError } from '../../src/salesforce/salesforce-errors';
import { classifyHttp, classifyJob, classifyRow, FAILURE_CAUSES } from '../../src/write/execute/failure-causes';

const api = (status: number, errorCode?: string, salesforceMessage?: string) =>
  new SalesforceApiError({ message: 'x', failureType: 'system_error', status, ...(errorCode ? { errorCode } : {}), ...(salesforceMessage ? { salesforceMessage } : {}) });

test('limits never reject a row; platform trouble splits; bad columns are config errors', () => {
  expect(classifyHttp(api(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), 'upload')?.action).toBe('transient');
  expect(classifyHttp(api(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'), 'upload')?.action).toBe('resend');
  expect(classifyHttp(api(400, 'CLIENTINPUTERROR', 'too large'), 'upload')?.action).toBe('split');
  expect(classifyHttp(api(400, 'CLIENTINPUTERROR', 'too large'), 'create')?.action).toBe('system');
  expect(classifyHttp(api(400, 'FEATURENOTENABLED'), 'create')?.action).toBe('config');
  expect(classifyHttp(api(503), 'poll')?.action).toBe('retry-call');
  expect(classifyHttp(new Error('not an answer'), 'poll')).toBeUndefined();
  expect(classifyJob({ state: 'Failed', errorMessage: 'InternalServerError : Batch failed after the maximum number of processing retries' }).action).toBe('split');
  expect(classifyJob({ state: 'Failed', errorMessage: 'InvalidBatch : Field name not found : Foo__c' }).action).toBe('config');
  expect(classifyJob({ state: 'Failed', errorMessage: 'ExceededQuota : daily limit' }).action).toBe('transient');
  expect(classifyJob({ state: 'Aborted' }).action).toBe('reject');
  expect(classifyRow('UNABLE_TO_LOCK_ROW').action).toBe('resend');
  expect(classifyRow('REQUEST_LIMIT_EXCEEDED').action).toBe('transient');
  expect(classifyRow('REQUIRED_FIELD_MISSING').action).toBe('reject');
});

test("the README's table lists every cause, in order, with its action", () => {
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `([a-z-]+)` \| (http|job|row) \| .* \| \*\*([a-z-]+)\*\* \|/gm)].map((m) => [m[1], m[2], m[3]]);
  expect(rows).toEqual(FAILURE_CAUSES.map((c) => [c.id, c.where, c.action]));
});
