/**
 * Small loads through sObject Collections (api_mode auto / rest) and the choice of API, through the
 * CLI against the stand-in: rows land with the same outcomes, counts and STATEs as by Bulk.
 */
import type { FakeSalesforce } from '../fake-salesforce';
import { startS3rver, type S3Fixture } from '../helpers/s3';
import { catalog, expectNothingLost, expectStatesEchoed, record, runWrite, startFake, streamState, type Msg } from './write-helpers';

let fake: FakeSalesforce;
let s3: S3Fixture;
beforeAll(async () => {
  fake = await startFake();
  s3 = await startS3rver();
});
afterAll(async () => {
  await fake.close();
  await s3.close();
});
beforeEach(() => fake.reset());

/** The connector's default api_mode (the stand-in's ready config pins bulk for the older suites). */
const AUTO = { api_mode: undefined };
const routes = (prefix: string) => fake.requests().filter((r) => r.route.startsWith(prefix));
const bulkCalls = () => routes('ingest.');

function rows(stream: string, n: number, data: (i: number) => Msg, every = 20): Msg[] {
  const out: Msg[] = [];
  for (let i = 0; i < n; i++) {
    out.push(record(stream, data(i)));
    if (i % every === every - 1 || i === n - 1) out.push(streamState(stream, i, (i % every) + 1));
  }
  return out;
}

test('auto, 50 rows: no Bulk job, every row lands with typed values, the one Salesforce refuses is in the rejects store with its error', async () => {
  const messages = rows('Account', 50, (i) => ({
    Name: `Acme ${i}`, NumberOfEmployees: i, AnnualRevenue: i * 1.5, Ext_Id__c: `E-${i}`, Description: null,
    ...(i === 17 ? { Rating: 'Terrible' } : {}),
  }));
  const prefix = `rest-${Date.now()}`;
  const run = await runWrite(fake, { config: { ...AUTO, object_storage_config: s3.storage(prefix) }, catalog: catalog(['Account']), messages });
  expect(run.result.code).toBe(0);
  expect(fake.jobs()).toEqual([]);
  expect(bulkCalls()).toEqual([]);
  expect(routes('collections.insert')).toHaveLength(1);
  const org = fake.records('Account');
  expect(org).toHaveLength(49);
  expect(org.find((r) => r.Name === 'Acme 7')).toMatchObject({ NumberOfEmployees: 7, AnnualRevenue: 10.5, Ext_Id__c: 'E-7', Description: null });
  expectStatesEchoed(run, messages);
  expectNothingLost(run, messages, org, { key: 'Name', expectRejected: 1 });
  const stored = (await Promise.all((await s3.listKeys(prefix)).map((k) => s3.getText(k)))).join('\n');
  expect(stored).toContain('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  expect(stored).toContain('Acme 17');
  expect(run.logs).toContainEqual(expect.stringMatching(/By API \(api_mode auto\): sObject Collections \(REST\) 50 rows in 1 chunk\(s\), 1 API calls; Bulk API 2\.0 0 rows in 0 chunk\(s\), 0 API calls\./));
});

test('auto, 50 rows each: update (null clears), upsert on an external id (relationship column nested), delete — no Bulk job', async () => {
  const ids = fake.seed('Account', Array.from({ length: 50 }, (_, i) => ({ Name: `Old ${i}`, Description: 'keep', Website: 'https://x.example', Ext_Id__c: `A-${i}` })));
  const update = await runWrite(fake, {
    config: AUTO,
    catalog: catalog([{ name: 'Account', destination_sync_mode: 'update' }]),
    messages: rows('Account', 50, (i) => ({ Id: ids[i], Name: `New ${i}`, Website: null, ...(i === 4 ? { Description: '' } : {}) })),
  });
  expect(update.result.code).toBe(0);
  expect(fake.records('Account').find((r) => r.Id === ids[3])).toMatchObject({ Name: 'New 3', Description: 'keep', Website: null });
  expect(fake.records('Account').find((r) => r.Id === ids[4])).toMatchObject({ Name: 'New 4', Description: null });

  const contacts = rows('Contact', 50, (i) => ({ Ext_Id__c: `C-${i % 25}-${i < 25 ? 'a' : 'b'}`, LastName: `L${i}`, 'Account.Ext_Id__c': `A-${i}` }));
  fake.seed('Contact', [{ LastName: 'before', Ext_Id__c: 'C-0-a' }]);
  const upsert = await runWrite(fake, {
    config: AUTO,
    catalog: catalog([{ name: 'Contact', destination_sync_mode: 'append_dedup', primary_key: [['Ext_Id__c']] }]),
    messages: contacts,
  });
  expect(upsert.result.code).toBe(0);
  const cs = fake.records('Contact');
  expect(cs).toHaveLength(50);
  expect(cs.find((r) => r.Ext_Id__c === 'C-0-a')).toMatchObject({ LastName: 'L0', AccountId: ids[0] });
  expect(cs.find((r) => r.Ext_Id__c === 'C-4-b')).toMatchObject({ LastName: 'L29', AccountId: ids[29] });

  const del = await runWrite(fake, {
    config: { ...AUTO, action: 'delete' },
    catalog: catalog(['Account']),
    messages: rows('Account', 50, (i) => ({ Id: ids[i] })),
  });
  expect(del.result.code).toBe(0);
  expect(fake.records('Account')).toEqual([]);
  expect(fake.deletedIds('Account')).toHaveLength(50);
  expect(fake.jobs()).toEqual([]);
  expect(routes('collections.').map((r) => r.route)).toEqual(['collections.update', 'collections.upsert', 'collections.delete']);
  expect(routes('collections.upsert')[0]?.path).toMatch(/\/composite\/sobjects\/Contact\/Ext_Id__c$/);
  for (const run of [update, upsert, del]) expect(run.states.map((s) => s.destinationStats)).toContainEqual({ recordCount: 20, rejectedRecordCount: 0 });
});

test('auto, 50,000 rows: Bulk jobs of whole batches only, no collections request', async () => {
  const messages = rows('Account', 50_000, (i) => ({ Name: `Bulk ${i}` }), 10_000);
  const run = await runWrite(fake, { config: AUTO, catalog: catalog(['Account']), messages, timeoutMs: 120_000 });
  expect(run.result.code).toBe(0);
  // Early jobs (chunk/early-jobs.ts) cut whole Salesforce batches while slots are free: every chunk is ≥ 10,000 rows, so all go by Bulk.
  const jobRows = fake.jobs().map((j) => j.numberRecordsProcessed);
  expect(jobRows.reduce((a, b) => a + b, 0)).toBe(50_000);
  expect(jobRows.every((n) => n >= 10_000)).toBe(true);
  expect(routes('collections.')).toEqual([]);
  expect(fake.records('Account')).toHaveLength(50_000);
  expect(run.logs).toContainEqual(expect.stringMatching(/sObject Collections \(REST\) 0 rows .* Bulk API 2\.0 50000 rows in \d chunk\(s\), \d+ API calls/));
}, 150_000);

test('api_mode bulk forces a Bulk job for 5 rows; api_mode rest sends 3,000 rows in collections of 200', async () => {
  const bulk = await runWrite(fake, { config: { api_mode: 'bulk' }, catalog: catalog(['Account']), messages: rows('Account', 5, (i) => ({ Name: `Five ${i}` })) });
  expect(bulk.result.code).toBe(0);
  expect(fake.jobs()).toHaveLength(1);
  expect(routes('collections.')).toEqual([]);
  fake.reset();
  const rest = await runWrite(fake, { config: { api_mode: 'rest' }, catalog: catalog(['Account']), messages: rows('Account', 3000, (i) => ({ Name: `Rest ${i}` }), 500) });
  expect(rest.result.code).toBe(0);
  expect(fake.jobs()).toEqual([]);
  expect(routes('collections.insert')).toHaveLength(15);
  const org = fake.records('Account');
  expect(org).toHaveLength(3000);
  expectNothingLost(rest, rows('Account', 3000, (i) => ({ Name: `Rest ${i}` }), 500), org, { key: 'Name', expectRejected: 0 });
});

test.each(['enqueued', 'plain', 'enqueued-unsuccessful'] as const)('a platform-event stream publishes over REST (event results %s): every event loaded', async (eventSaveResult) => {
  fake.set({ eventSaveResult });
  try {
    const messages = rows('Order_Event__e', 3, (i) => ({ Order_Number__c: `O-${i}`, Amount__c: i }));
    const run = await runWrite(fake, { config: { ...AUTO, allow_failures: false }, catalog: catalog(['Order_Event__e']), messages });
    expect(run.result.code).toBe(0);
    expect(fake.jobs()).toEqual([]);
    expect(routes('collections.insert')).toHaveLength(1);
    expect(fake.records('Order_Event__e').map((r) => r.Order_Number__c)).toEqual(['O-0', 'O-1', 'O-2']);
    expect(run.states.map((s) => s.destinationStats)).toEqual([{ recordCount: 3, rejectedRecordCount: 0 }]);
  } finally {
    fake.set({ eventSaveResult: undefined });
  }
});

test('lock errors over REST: the locked rows go again in a follow-up request and land; the assignment rule rides along', async () => {
  fake.failRowsOnce((row) => row.Name === 'Lock 3' || row.Name === 'Lock 9');
  const messages = rows('Account', 12, (i) => ({ Name: `Lock ${i}` }));
  const run = await runWrite(fake, { config: { ...AUTO, assignment_rule_id: '01Q000000000001' }, catalog: catalog(['Account']), messages });
  expect(run.result.code).toBe(0);
  const inserts = routes('collections.insert');
  expect(inserts).toHaveLength(2);
  expect(inserts.map((r) => r.autoAssign)).toEqual(['01Q000000000001', '01Q000000000001']);
  expect(run.logs).toContainEqual(expect.stringMatching(/2 Account row\(s\) failed with a lock or passing server error; sending them again \(attempt 2 of 3\)/));
  expectNothingLost(run, messages, fake.records('Account'), { key: 'Name', expectRejected: 0 });
});

test('a REST insert whose reply is lost is not sent again: no duplicate, its rows rejected as DESTINATION_REST_OUTCOME_UNKNOWN', async () => {
  fake.injectFault({ route: 'collections.insert', drop: true, afterHandling: true });
  const messages = rows('Account', 300, (i) => ({ Name: `Drop ${i}` }), 100);
  const run = await runWrite(fake, { config: AUTO, catalog: catalog(['Account']), messages });
  expect(run.result.code).toBe(0);
  expect(routes('collections.insert')).toHaveLength(2);
  const org = fake.records('Account');
  expect(org).toHaveLength(300); // the dropped request did insert its rows, once
  expect(new Set(org.map((r) => r.Name)).size).toBe(300);
  const totals = run.states.reduce((t, s) => t + Number((s.destinationStats as Msg).rejectedRecordCount), 0);
  expect([100, 200]).toContain(totals);
  expect(run.logs).toContainEqual(expect.stringMatching(new RegExp(`rejected \\(DESTINATION_REST_OUTCOME_UNKNOWN: ${totals}\\)`)));
});

test('a keyed REST write whose reply is lost is sent again: every row lands, none rejected', async () => {
  fake.injectFault({ route: 'collections.upsert', drop: true, afterHandling: true });
  const messages = rows('Account', 30, (i) => ({ Ext_Id__c: `K-${i}`, Name: `Keyed ${i}` }));
  const run = await runWrite(fake, { config: AUTO, catalog: catalog([{ name: 'Account', destination_sync_mode: 'append_dedup', primary_key: [['Ext_Id__c']] }]), messages });
  expect(run.result.code).toBe(0);
  expect(routes('collections.upsert')).toHaveLength(2);
  expectNothingLost(run, messages, fake.records('Account'), { key: 'Ext_Id__c', expectRejected: 0 });
});

test('a REST request refused for the daily API limit stops the sync with transient_error: nothing rejected, no STATE past the rows', async () => {
  fake.injectFault({ route: 'collections.insert', status: 403, body: '[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]' });
  const messages = rows('Account', 10, (i) => ({ Name: `Limit ${i}` }));
  const run = await runWrite(fake, { config: AUTO, catalog: catalog(['Account']), messages });
  expect(run.result.code).not.toBe(0);
  expect(run.errors[0]).toMatchObject({ failure_type: 'transient_error' });
  expect(String(run.errors[0]?.message)).toMatch(/TotalRequests Limit exceeded/);
  expect(run.states).toEqual([]);
  expect(fake.records('Account')).toEqual([]);
  expect(routes('collections.insert')).toHaveLength(1);
});
