/**
 * Issue 11: failures classified by cause (limits and platform trouble reject no row; a poisoned row is
 * isolated), count-first settlement (no result download when nothing failed), versions of a record
 * merged, composite keys refused, any field name and any value survive, `""` clears a field.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jsonl } from '../helpers/cli';
import { useFakeAndBucket } from '../helpers/test-env';
import { readRejects, withSyncId } from '../rejects-cli/rejects-cli-helpers';
import { catalog, ECHO_SETTINGS, expectNothingLost, expectStatesEchoed, explain, record, runWrite, startFake, streamState, type Msg } from './write-helpers';

const env = useFakeAndBucket({ start: startFake });

const RESULT_ROUTES = /^ingest\.(successfulResults|failedResults|unprocessedrecords)$/;
const resultRequests = () => env.fake.requests().filter((r) => RESULT_ROUTES.test(r.route));

function accounts(n: number, prefix: string, state = true): Msg[] {
  const messages: Msg[] = [];
  for (let i = 0; i < n; i++) messages.push(record('Account', { Name: `${prefix} ${i}`, Ext_Id__c: `${prefix}-${i}`, marker: `${prefix}-${i}` }));
  if (state) messages.push(streamState('Account', 1, n));
  return messages;
}

const STORAGES: Array<[string, () => Msg]> = [
  ['S3', () => env.s3.storage('settle')],
  ['None', () => ({ storage_type: 'None' })],
];

test('a job with no failed rows downloads no result CSV; a job with failed rows reads failedResults only', async () => {
  const clean = accounts(50, 'clean');
  const run = await runWrite(env.fake, { catalog: catalog(['Account']), messages: clean });
  expect(run.result.code).toBe(0);
  expect(env.fake.jobs()).toHaveLength(1);
  expect(resultRequests()).toEqual([]);
  expectNothingLost(run, clean, env.fake.records('Account'), { key: 'Name', expectRejected: 0 });

  env.fake.reset();
  const some = [...accounts(10, 'some', false), record('Account', { Description: 'no name', marker: 'bad' }), streamState('Account', 1, 11)];
  const run2 = await runWrite(env.fake, { catalog: catalog(['Account']), messages: some });
  expect(run2.result.code).toBe(0);
  expect(resultRequests().map((r) => r.route)).toEqual(['ingest.failedResults']);
  expect(run2.states[0]?.destinationStats).toEqual({ recordCount: 10, rejectedRecordCount: 1 });
});

describe.each(STORAGES)('storage %s', (storageName, storage) => {
  test('a 403 REQUEST_LIMIT_EXCEEDED on an upload rejects no row: transient_error, no state past the rows, no job left Open', async () => {
    env.fake.injectFault({ route: 'ingest.upload', status: 403, body: '[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]' });
    const messages = accounts(20, `limit-${storageName}`);
    const run = await runWrite(env.fake, { config: { object_storage_config: storage() }, catalog: withSyncId(catalog(['Account']), `limit-${storageName}`), messages });
    expect(run.result.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatchObject({ failure_type: 'transient_error' });
    expect(String(run.errors[0]?.message)).toMatch(/REQUEST_LIMIT_EXCEEDED/);
    expect(run.states).toEqual([]);
    expect(env.fake.jobs().every((j) => j.state === 'Aborted')).toBe(true);
    expect(env.fake.records('Account')).toEqual([]);
    expect(await readRejects(env.s3, 'settle/')).toEqual([]);
    expect(run.logs.some((l) => /^Rejected rows: [1-9]/.test(l))).toBe(false);
  });

  test.each(ECHO_SETTINGS)('result echo %s: a job Failed once with "retries exhausted" rejects no row: its unprocessed rows go again and load', async (_echo, options) => {
    env.fake.set(options);
    env.fake.failNextJob({ afterRows: 4, errorMessage: 'InternalServerError : Batch failed after the maximum number of processing retries' });
    const messages = accounts(20, `retries-${storageName}`);
    const run = await runWrite(env.fake, { config: { object_storage_config: storage() }, catalog: withSyncId(catalog(['Account']), `retries-${storageName}`), messages });
    expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
    expect(env.fake.jobs().filter((j) => j.state === 'Failed')).toHaveLength(1);
    expectStatesEchoed(run, messages);
    expect(run.states[0]?.destinationStats).toEqual({ recordCount: 20, rejectedRecordCount: 0 });
    expectNothingLost(run, messages, env.fake.records('Account'), { key: 'Name', expectRejected: 0 });
    expect(await readRejects(env.s3, 'settle/')).toEqual([]);
  });
});

test('rows in flight on disk: a rejected row reaches the rejects store exactly as it arrived; the temporary folder is removed', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'write-tmpdir-'));
  try {
    const odd = { Description: 'no name, "quoted"\nsecond line é😀 ', marker: 'bad', nested: { a: [1, null, { b: true }] } };
    const messages = [...accounts(30, 'disk', false), record('Account', odd), ...accounts(30, 'disk2', false), streamState('Account', 1, 61)];
    const run = await runWrite(env.fake, { config: { object_storage_config: env.s3.storage('settle') }, catalog: withSyncId(catalog(['Account']), 'ondisk'), messages, env: { TMPDIR: tmp } });
    expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
    expect(env.fake.jobs().length).toBeGreaterThan(0); // through Bulk: the job's CSV went through a chunk file
    const rejects = await readRejects(env.s3, 'settle/ondisk/');
    expect(rejects.map((r) => r.record.data)).toEqual([odd]);
    expectNothingLost(run, messages, env.fake.records('Account'), { key: 'Name', expectRejected: 1 });
    expect(fs.readdirSync(tmp)).toEqual([]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test.each(ECHO_SETTINGS)('result echo %s: a row that makes every job it is in fail is the only row rejected (isolated by halving, bounded)', async (_echo, options) => {
  env.fake.set(options);
  env.fake.poisonRows((row) => row.Name === 'poison 13');
  const messages = accounts(40, 'poison');
  const run = await runWrite(env.fake, { config: { object_storage_config: env.s3.storage('settle') }, catalog: withSyncId(catalog(['Account']), 'poison'), messages });
  expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
  const rejects = await readRejects(env.s3, 'settle/poison/');
  expect(rejects.map((r) => r.record.data.marker)).toEqual(['poison-13']);
  expect(rejects[0]).toMatchObject({ error_code: 'BULK_JOB_FAILED' });
  expect(rejects[0]?.error_message).toMatch(/maximum number of processing retries/);
  expect(run.states[0]?.destinationStats).toEqual({ recordCount: 39, rejectedRecordCount: 1 });
  expectNothingLost(run, messages, env.fake.records('Account'), { key: 'Name', expectRejected: 1 });
  expect(env.fake.jobs().length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(41)) + 5);
});

test.each(ECHO_SETTINGS)('result echo %s: every job failing (an outage) rejects no row: re-sent until the attempts run out, then transient_error with no STATE', async (_echo, options) => {
  env.fake.set(options);
  env.fake.poisonRows(() => true, 'InternalServerError : Batch failed after the maximum number of processing retries');
  const messages = accounts(6, 'outage');
  const run = await runWrite(env.fake, { config: { object_storage_config: env.s3.storage('settle') }, catalog: withSyncId(catalog(['Account']), 'outage'), messages });
  expect(run.result.code).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatchObject({ failure_type: 'transient_error' });
  expect(String(run.errors[0]?.message)).toMatch(/Salesforce failed \d+ ingest jobs of one Account chunk .*without rejecting those rows/);
  expect(run.states).toEqual([]);
  expect(env.fake.records('Account')).toEqual([]);
  expect(await readRejects(env.s3, 'settle/')).toEqual([]);
  const jobs = env.fake.jobs();
  expect(jobs.filter((j) => j.state !== 'Failed')).toEqual([]);
  expect(jobs.length).toBeGreaterThan(1); // re-sent, split smaller, before giving up
  expect(jobs.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(7)) + 5);
});

test.each([
  ['a composite primary key', [['Ext_Id__c'], ['Name']], /composite primary key \(Ext_Id__c, Name\)/],
  ['a key field the object lacks', [['Region__c']], /Region__c is not a field of Salesforce object Account/],
])('%s is refused with a config_error before any job', async (_name, primaryKey, pattern) => {
  const run = await runWrite(env.fake, {
    catalog: catalog([{ name: 'Account', destination_sync_mode: 'append_dedup', primary_key: primaryKey }]),
    messages: accounts(3, 'pk'),
  });
  expect(run.result.code).toBe(1);
  expect(run.errors[0]).toMatchObject({ failure_type: 'config_error' });
  expect(String(run.errors[0]?.message)).toMatch(pattern);
  expect(env.fake.jobs()).toEqual([]);
});

test('fields named constructor, __proto__ and toString and a 10,000-deep value do not stop the sync', async () => {
  let deep = '"bottom"';
  for (let i = 0; i < 10_000; i++) deep = `{"d":${deep}}`;
  const lines = [
    '{"type":"RECORD","record":{"stream":"Account","emitted_at":1,"data":{"Name":"proto","constructor":"c","__proto__":"p","toString":"t","marker":"proto"}}}',
    `{"type":"RECORD","record":{"stream":"Account","emitted_at":1,"data":{"Name":"deep","Description":${deep},"marker":"deep"}}}`,
    `{"type":"RECORD","record":{"stream":"Account","emitted_at":1,"data":{"Name":"unmapped deep","hidden":${deep},"marker":"hidden"}}}`,
    jsonl([record('Account', { Name: 'plain', marker: 'plain' }), streamState('Account', 1, 4)]).trim(),
  ];
  const run = await runWrite(env.fake, {
    config: { column_mapping: { Account: { constructor: 'Description' } }, object_storage_config: env.s3.storage('settle') },
    catalog: withSyncId(catalog(['Account']), 'names'),
    messages: `${lines.join('\n')}\n`,
  });
  expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
  expect(run.states[0]?.destinationStats).toEqual({ recordCount: 3, rejectedRecordCount: 1 });
  const org = env.fake.records('Account');
  expect(org.map((r) => r.Name).sort()).toEqual(['plain', 'proto', 'unmapped deep']);
  expect(org.find((r) => r.Name === 'proto')?.Description).toBe('c');
  const rejects = await readRejects(env.s3, 'settle/names/');
  expect(rejects.map((r) => [r.record.data.marker, r.error_code])).toEqual([['deep', 'DESTINATION_VALUE_TOO_DEEP']]);
  expect(String(rejects[0]?.record.data.Description)).toMatch(/nested more than 100 levels/);
});

test('1,000 versions of one key plus 1,000 other keys take at most 3 jobs; the org ends with the merged record', async () => {
  const messages: Msg[] = [];
  for (let i = 0; i < 1000; i++) {
    messages.push(record('Account', { Ext_Id__c: 'SAME', Name: `v${i}`, NumberOfEmployees: i, ...(i === 5 ? { Description: 'kept from v5' } : {}) }));
    messages.push(record('Account', { Ext_Id__c: `other-${i}`, Name: `other ${i}` }));
  }
  messages.push(streamState('Account', 1, 2000));
  const run = await runWrite(env.fake, { config: { action: 'upsert', external_id_name: 'Ext_Id__c' }, catalog: catalog(['Account']), messages });
  expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
  expect(env.fake.jobs().length).toBeLessThanOrEqual(3);
  const org = env.fake.records('Account');
  expect(org).toHaveLength(1001);
  expect(org.find((r) => r.Ext_Id__c === 'SAME')).toMatchObject({ Name: 'v999', NumberOfEmployees: 999, Description: 'kept from v5' });
  expect(run.states[0]?.destinationStats).toEqual({ recordCount: 2000, rejectedRecordCount: 0 });
  expect(run.logs).toContainEqual(expect.stringMatching(/: 2000 read, 2000 loaded, 0 rejected, .* 1000 input rows were versions of 1 record and were merged into 1 row \(later values win\)/));
});

test('"" clears a field on update (sent as #N/A); a field that cannot be empty is left as it was', async () => {
  const [id] = env.fake.seed('Account', [{ Name: 'Keep', Description: 'old text', Website: 'https://old.example', AccountNumber: 'A-1' }]);
  const messages = [record('Account', { Id: id, Description: '', Website: '', Name: '' }), streamState('Account', 1, 1)];
  const run = await runWrite(env.fake, { config: { action: 'update' }, catalog: catalog(['Account']), messages });
  expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
  expect(env.fake.records('Account')[0]).toMatchObject({ Name: 'Keep', Description: null, Website: null, AccountNumber: 'A-1' });
});
