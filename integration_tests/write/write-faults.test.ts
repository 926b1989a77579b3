/** Transient faults at every ingest endpoint, token expiry and lock errors: nothing lost, nothing duplicated. */
import type { FaultSpec } from '../fake-salesforce';
import { catalog, expectNothingLost, expectStatesEchoed, explain, record, runWrite, startFake, streamState, type Msg } from './write-helpers';
import { useFakeSalesforce } from '../helpers/test-env';

const fake = useFakeSalesforce({ start: startFake });

function input(n: number, prefix: string): Msg[] {
  const messages: Msg[] = [];
  for (let i = 0; i < n; i++) {
    messages.push(record('Account', { Name: `${prefix} ${i}`, Ext_Id__c: `${prefix}-${i}` }));
    if (i % 20 === 19) messages.push(streamState('Account', i, 20));
  }
  return messages;
}

const faults: Array<[string, Omit<FaultSpec, 'route'>]> = [
  ['ingest.create', { status: 500 }],
  ['ingest.create', { status: 429, times: 2 }],
  ['ingest.create', { drop: true }],
  ['ingest.create', { drop: true, afterHandling: true }],
  ['ingest.upload', { status: 503 }],
  ['ingest.upload', { drop: true }],
  ['ingest.upload', { drop: true, afterHandling: true }],
  ['ingest.upload', { status: 500, afterHandling: true, nth: 2 }],
  ['ingest.patch', { status: 503 }],
  ['ingest.patch', { drop: true, afterHandling: true }],
  ['ingest.patch', { status: 429, times: 2 }],
  ['ingest.info', { status: 500, times: 3 }],
  ['ingest.info', { drop: true }],
  ['ingest.failedResults', { status: 429 }],
  ['ingest.failedResults', { status: 500, times: 2 }],
  ['ingest.failedResults', { drop: true }],
  ['ingest.unprocessedrecords', { status: 503 }],
  ['ingest.unprocessedrecords', { drop: true }],
];

test.each(faults)('fault at %s %j: every row loaded once, all states echoed', async (route, fault) => {
  fake.injectFault({ route, ...fault });
  // Result files are read only when a job's counters say rows failed or were not processed.
  if (route === 'ingest.failedResults') fake.failRowsOnce((row) => /^ingest\.failedResults (7|31)$/.test(row.Name ?? ''));
  if (route === 'ingest.unprocessedrecords') fake.failNextJob({ afterRows: 1 });
  const messages = input(60, route);
  const run = await runWrite(fake, { config: { bulk_job_max_mb: 0.001 }, catalog: catalog(['Account']), messages });
  expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
  const org = fake.records('Account');
  expect(org).toHaveLength(60);
  expectStatesEchoed(run, messages);
  expectNothingLost(run, messages, org, { key: 'Name', expectRejected: 0 });
  // never two PUTs to one job, never a job we created left Open after an upload
  for (const j of fake.jobs()) expect(j.puts).toBeLessThanOrEqual(1);
  expect(fake.jobs().filter((j) => j.state === 'Open' && j.puts > 0)).toEqual([]);
  // the fault really fired
  expect(fake.requests().some((r) => r.route === route && r.status === (fault.drop ? 0 : fault.status))).toBe(true);
  // a failed upload is never resent to the same job: that job is aborted and the chunk goes in a new one
  if (route === 'ingest.upload') expect(fake.jobs().some((j) => j.state === 'Aborted')).toBe(true);
});

test('token expiry mid-sync: the session is renewed and the sync completes', async () => {
  fake.set({ tokenExpiresAfterRequests: 7 });
  try {
    const messages = input(80, 'token');
    const run = await runWrite(fake, { config: { bulk_job_max_mb: 0.001 }, catalog: catalog(['Account']), messages });
    expect(run.result.code).toBe(0);
    expect(fake.requests().filter((r) => r.route === 'oauth.token').length).toBeGreaterThan(1);
    expectStatesEchoed(run, messages);
    expectNothingLost(run, messages, fake.records('Account'), { key: 'Name', expectRejected: 0 });
  } finally {
    fake.set({ tokenExpiresAfterRequests: undefined });
  }
});

test('UNABLE_TO_LOCK_ROW rows go again in a follow-up job and load', async () => {
  fake.failRowsOnce((row) => row.Name === 'lock 3' || row.Name === 'lock 11');
  const messages = input(20, 'lock');
  const run = await runWrite(fake, { catalog: catalog(['Account']), messages });
  expect(run.result.code).toBe(0);
  expect(fake.jobs()).toHaveLength(2);
  expect(fake.jobs()[1]?.numberRecordsProcessed).toBe(2);
  expectStatesEchoed(run, messages);
  expectNothingLost(run, messages, fake.records('Account'), { key: 'Name', expectRejected: 0 });
  expect(run.states[0]?.destinationStats).toEqual({ recordCount: 20, rejectedRecordCount: 0 });
});

test.each(['bulk', 'rest'])('a lock that never clears (api_mode %s): the row is tried rowAttempts times, then rejected with UNABLE_TO_LOCK_ROW; the others load', async (apiMode) => {
  fake.failRows((row) => row.Name === 'lock 5', { times: Infinity });
  const messages = input(20, 'lock');
  const run = await runWrite(fake, { config: { api_mode: apiMode, allow_failures: true }, catalog: catalog(['Account']), messages });
  expect(run.result.code).toBe(0);
  expect(run.states[0]?.destinationStats).toEqual({ recordCount: 19, rejectedRecordCount: 1 });
  expect(fake.records('Account').map((r) => r.Name)).not.toContain('lock 5');
  expect(fake.records('Account')).toHaveLength(19);
  // Three tries: the first job or request, then two follow-ups holding only that row.
  if (apiMode === 'bulk') expect(fake.jobs().map((j) => j.numberRecordsProcessed)).toEqual([20, 1, 1]);
  else expect(fake.requests().filter((r) => r.route === 'collections.insert')).toHaveLength(3);
  expect(run.logs.join('\n')).toMatch(/UNABLE_TO_LOCK_ROW: 1/);
});

test('upload refused by Salesforce (too large): the rows go again in smaller jobs; only a row too large alone is rejected', async () => {
  fake.set({ uploadLimitBytes: 200 });
  try {
    const messages = [record('Account', { Name: 'y'.repeat(250) }), record('Account', { Name: 'small' }), streamState('Account', 1, 2)];
    const run = await runWrite(fake, { catalog: catalog(['Account']), messages });
    expect(run.result.code).toBe(0);
    expect(run.states[0]?.destinationStats).toEqual({ recordCount: 1, rejectedRecordCount: 1 });
    expect(fake.records('Account').map((r) => r.Name)).toEqual(['small']);
    expect(fake.jobs().filter((j) => j.state !== 'Aborted')).toHaveLength(1);
  } finally {
    fake.set({ uploadLimitBytes: 150 * 1024 * 1024 });
  }
});
