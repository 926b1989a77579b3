/**
 * Issue 16: mirror sync. An Overwrite stream with a `mirror_scope` upserts on its External ID and,
 * once every row is settled and nothing failed, deletes the in-scope records the source did not send
 * (recycle bin), logs them in S3, then echoes its last STATE. Through the CLI against the stand-in
 * (Bulk query jobs, Bulk delete, REST queryAll) and s3rver.
 */
import { call, getToken } from '../fake-salesforce/test-helpers';
import { withSyncId } from '../rejects-cli/rejects-cli-helpers';
import { catalog, explain, record, runWrite, streamState, streamStatus, type Msg, type WriteRun } from './write-helpers';
import { startFake } from './write-helpers';
import { useFakeAndBucket } from '../helpers/test-env';

const { fake, s3 } = useFakeAndBucket({ start: startFake });

const SCOPE = "AccountNumber = 'WH'";
const mirrorConfig = (extra: Msg = {}): Msg => ({
  stream_settings: [{ stream: 'accounts', object: 'Account', external_id_name: 'Ext_Id__c', mirror_scope: SCOPE }],
  object_storage_config: s3.storage('mirror'),
  ...extra,
});
const overwrite = (syncId: number): Msg => withSyncId(catalog([{ name: 'accounts', destination_sync_mode: 'overwrite' }]), syncId);
const key = (i: number) => `W-${String(i).padStart(4, '0')}`;
const row = (k: string, extra: Msg = {}) => record('accounts', { Ext_Id__c: k, Name: `Account ${k}`, AccountNumber: 'WH', ...extra });
const ok = (run: WriteRun) => ({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) });
const inScope = () => fake.records('Account').filter((r) => r.AccountNumber === 'WH');

/** Sync 1: `n` in-scope rows W-0000…, one STATE. */
async function firstSync(n: number): Promise<void> {
  const messages = [...Array.from({ length: n }, (_, i) => row(key(i))), streamState('accounts', 'first', n)];
  const run = await runWrite(fake, { config: mirrorConfig(), catalog: overwrite(1), messages });
  expect(ok(run)).toEqual({ code: 0, why: '' });
  expect(fake.deletedIds('Account')).toEqual([]);
}

test('1,000 rows, then 900 of them + 50 new at 15%: the 100 absent records go to the recycle bin, logged in S3; the scope\'s outside untouched; last STATE after the deletions', async () => {
  // Outside the scope (another system's Accounts, some with keys the source never sends), and
  // in-scope records without a key: none may be touched.
  fake.seed('Account', Array.from({ length: 30 }, (_, i) => ({ Name: `CRM ${i}`, AccountNumber: 'CRM', Ext_Id__c: `C-${i}` })));
  fake.seed('Account', Array.from({ length: 5 }, (_, i) => ({ Name: `Manual ${i}`, AccountNumber: 'WH' })));
  const outside = fake.records('Account').filter((r) => r.AccountNumber === 'CRM');
  await firstSync(1000);
  expect(inScope()).toHaveLength(1005);

  // Sync 2: 900 of them (the first 10 with their key in lower case: Ext_Id__c is case-insensitive), 50 new.
  const messages: Msg[] = [];
  for (let i = 0; i < 900; i++) messages.push(row(i < 10 ? key(i).toLowerCase() : key(i)));
  messages.push(streamState('accounts', 'half', 900));
  for (let i = 0; i < 50; i++) messages.push(row(`N-${i}`));
  messages.push(streamStatus('accounts', 'COMPLETE'), streamState('accounts', 'end', 50));
  const gone = new Set(fake.records('Account').filter((r) => /^W-09\d\d$/.test(String(r.Ext_Id__c))).map((r) => String(r.Id)));
  expect(gone.size).toBe(100);
  const run = await runWrite(fake, { config: mirrorConfig({ mirror_max_delete_percent: 15 }), catalog: overwrite(2), messages });
  expect(ok(run)).toEqual({ code: 0, why: '' });

  // The 100 absent records are in the recycle bin; the fake's store and a REST queryAll agree.
  expect(new Set(fake.deletedIds('Account'))).toEqual(gone);
  const token = await getToken(fake);
  const bin = (await call(fake, token, 'GET', `queryAll?q=${encodeURIComponent('SELECT Id, Ext_Id__c FROM Account WHERE IsDeleted = true')}`)).json() as { records: Msg[] };
  expect(new Set(bin.records.map((r) => r.Id))).toEqual(gone);
  // 950 present with a key, the 5 keyless ones kept, everything outside the scope as it was.
  expect(inScope().filter((r) => r.Ext_Id__c)).toHaveLength(950);
  expect(inScope().filter((r) => !r.Ext_Id__c)).toHaveLength(5);
  expect(fake.records('Account').filter((r) => r.AccountNumber === 'CRM')).toEqual(outside);
  const deleteJobs = fake.jobs().filter((j) => j.operation === 'delete');
  expect(deleteJobs.map((j) => j.object)).toEqual(['Account']);
  // Each query job that listed the scope (one per sync so far) was deleted once read (its results would stay 7 days).
  const queryCalls = fake.requests().filter((r) => r.route.startsWith('bulkQuery.'));
  expect(queryCalls.filter((r) => r.route === 'bulkQuery.create')).toHaveLength(2);
  expect(queryCalls.filter((r) => r.route === 'bulkQuery.delete').map((r) => r.status)).toEqual([204, 204]);

  // The deletion log: one JSON line per deleted record, next to where rejected rows would go.
  const keys = await s3.listKeys('mirror/2/');
  expect(keys).toEqual(['mirror/2/_default/accounts/deletions/part-0001.jsonl']);
  const lines = (await s3.getText(keys[0] as string)).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Msg);
  expect(lines).toHaveLength(100);
  expect(new Set(lines.map((l) => l.Id))).toEqual(gone);
  for (const l of lines) {
    expect(Object.keys(l).sort()).toEqual(['Id', 'key', 'object', 'time']);
    expect(l).toMatchObject({ object: 'Account', key: expect.stringMatching(/^W-09\d\d$/), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  }

  // Both states echoed; the last one only after the mirror step (its LOG comes first on stdout).
  expect(run.states.map((s) => (s.stream as { stream_state: { cursor: string } }).stream_state.cursor)).toEqual(['half', 'end']);
  const order = run.result.messages.map((m) => (m.type === 'STATE' ? `STATE:${String(m.state.stream.stream_state.cursor)}` : m.type === 'LOG' && String(m.log.message).startsWith('Mirror of stream') ? 'MIRROR' : '')).filter(Boolean);
  expect(order).toEqual(['STATE:half', 'MIRROR', 'STATE:end']);
  expect(run.logs).toContainEqual(expect.stringMatching(/Mirror of stream accounts: 1055 Account records in scope .*950 keys sent, 100 deleted \(recycle bin\).*deletion log: s3:\/\/.*\/mirror\/2\/_default\/accounts\/deletions\//));

  // A source that suddenly sends nothing: nothing deleted, config_error with limit, count and total.
  const empty = await runWrite(fake, {
    config: mirrorConfig({ mirror_max_delete_percent: 15 }),
    catalog: overwrite(3),
    messages: [streamStatus('accounts', 'COMPLETE'), streamState('accounts', 'nothing', 0)],
  });
  expect(empty.result.code).toBe(1);
  expect(empty.errors).toHaveLength(1);
  expect(empty.errors[0]).toMatchObject({ failure_type: 'config_error' });
  expect(String(empty.errors[0]?.message)).toMatch(/would delete 950 of the 955 Account records in scope \(AccountNumber = 'WH'\).*more than mirror_max_delete_percent \(15%\) allows\. Nothing was deleted/);
  expect(empty.states).toEqual([]);
  expect(new Set(fake.deletedIds('Account'))).toEqual(gone);
  expect(inScope()).toHaveLength(955);
  expect(await s3.listKeys('mirror/3/')).toEqual([]);
}, 120_000);

test('a sync that fails mid-way deletes nothing and does not echo its last state', async () => {
  await firstSync(40);
  const messages: Msg[] = [
    ...Array.from({ length: 10 }, (_, i) => row(key(i))),
    streamState('accounts', 'a', 10),
    streamStatus('accounts', 'INCOMPLETE'),
  ];
  const run = await runWrite(fake, { config: mirrorConfig({ mirror_max_delete_percent: 100 }), catalog: overwrite(2), messages });
  expect(run.result.code).toBe(1);
  expect(String(run.errors[0]?.message)).toContain('INCOMPLETE');
  expect(fake.deletedIds('Account')).toEqual([]);
  expect(inScope()).toHaveLength(40);
  expect(fake.jobs().filter((j) => j.operation === 'delete' || j.operation === 'hardDelete')).toEqual([]);
  expect(run.states).toEqual([]); // the mirror's only state is its last: held, never confirmed
});

test('a rejected row\'s record is not deleted (its key counts as sent); hard_delete empties the bin', async () => {
  await firstSync(20);
  // Rows 0-16 again, row 5 with a value Salesforce rejects (restricted picklist); 17-19 dropped.
  const messages: Msg[] = [
    ...Array.from({ length: 17 }, (_, i) => row(key(i), i === 5 ? { Rating: 'Lukewarm' } : {})),
    streamState('accounts', 'end', 17),
  ];
  const config = mirrorConfig({ allow_failures: true, mirror_max_delete_percent: 20 });
  (config.stream_settings as Msg[])[0] = { ...(config.stream_settings as Msg[])[0], mirror_delete: 'hard_delete' };
  fake.set({ hardDeleteEnabled: true });
  const run = await runWrite(fake, { config, catalog: overwrite(2), messages });
  expect(ok(run)).toEqual({ code: 0, why: '' });
  expect(run.states.map((s) => s.destinationStats)).toEqual([{ recordCount: 16, rejectedRecordCount: 1 }]);
  expect(inScope().map((r) => r.Ext_Id__c).sort()).toEqual(Array.from({ length: 17 }, (_, i) => key(i)));
  expect(fake.deletedIds('Account')).toEqual([]); // hard delete: not in the recycle bin
  expect(fake.jobs().filter((j) => j.operation === 'hardDelete')).toHaveLength(1);
  const log = await s3.listKeys('mirror/2/_default/accounts/deletions/');
  expect(log).toHaveLength(1);
  expect((await s3.getText(log[0] as string)).trim().split('\n')).toHaveLength(3);
});

test('overwrite without a mirror scope is refused before any Salesforce call, saying how to enable it', async () => {
  const run = await runWrite(fake, {
    config: { external_id_name: 'Ext_Id__c' },
    catalog: catalog([{ name: 'Account', destination_sync_mode: 'overwrite' }]),
    messages: [record('Account', { Ext_Id__c: 'A', Name: 'A' }), streamState('Account', 1, 1)],
  });
  expect(run.result.code).toBe(1);
  expect(run.errors[0]).toMatchObject({ failure_type: 'config_error' });
  expect(String(run.errors[0]?.message)).toMatch(/Overwrite sync mode needs a mirror scope.*"mirror_scope"/);
  expect(fake.requests()).toEqual([]);
  expect(fake.records('Account')).toEqual([]);
});

test('a scope that is not valid SOQL for the object is a config_error before any row is written', async () => {
  const config = mirrorConfig();
  (config.stream_settings as Msg[])[0] = { ...(config.stream_settings as Msg[])[0], mirror_scope: "Source_System__c = 'warehouse'" };
  const run = await runWrite(fake, { config, catalog: overwrite(1), messages: [row(key(0)), streamState('accounts', 1, 1)] });
  expect(run.result.code).toBe(1);
  expect(run.errors[0]).toMatchObject({ failure_type: 'config_error' });
  expect(String(run.errors[0]?.message)).toMatch(/The mirror_scope of stream accounts \(Source_System__c = 'warehouse'\) is not valid SOQL: Salesforce answered INVALID_FIELD/);
  expect(fake.jobs()).toEqual([]);
  expect(fake.records('Account')).toEqual([]);
});

test('in api_mode auto a small mirror upserts and deletes through sObject Collections: no ingest job, the same outcome and deletion log', async () => {
  const auto = (extra: Msg = {}) => mirrorConfig({ api_mode: 'auto', mirror_max_delete_percent: 50, ...extra });
  const first = await runWrite(fake, { config: auto(), catalog: overwrite(1), messages: [...Array.from({ length: 30 }, (_, i) => row(key(i))), streamState('accounts', 'first', 30)] });
  expect(ok(first)).toEqual({ code: 0, why: '' });
  const gone = new Set(fake.records('Account').filter((r) => Number(String(r.Ext_Id__c).slice(2)) >= 20).map((r) => String(r.Id)));
  expect(gone.size).toBe(10);

  const run = await runWrite(fake, { config: auto(), catalog: overwrite(2), messages: [...Array.from({ length: 20 }, (_, i) => row(key(i))), streamStatus('accounts', 'COMPLETE'), streamState('accounts', 'end', 20)] });
  expect(ok(run)).toEqual({ code: 0, why: '' });
  expect(new Set(fake.deletedIds('Account'))).toEqual(gone);
  expect(inScope()).toHaveLength(20);
  // The scope was read by a Bulk query job; every write went by REST.
  expect(fake.jobs()).toEqual([]);
  const routes = fake.requests().map((r) => r.route);
  expect(routes.filter((r) => r === 'collections.upsert').length).toBeGreaterThanOrEqual(2);
  expect(routes.filter((r) => r === 'collections.delete')).toHaveLength(1);
  const lines = (await s3.getText('mirror/2/_default/accounts/deletions/part-0001.jsonl')).split('\n').filter((l) => l !== '');
  expect(new Set(lines.map((l) => String((JSON.parse(l) as Msg).Id)))).toEqual(gone);
  expect(run.states.map((s) => (s.stream as { stream_state: { cursor: string } }).stream_state.cursor)).toEqual(['end']);
});
