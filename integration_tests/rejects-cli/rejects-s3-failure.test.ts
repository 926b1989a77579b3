/**
 * Issue 5: S3 failing in the middle of a sync fails the sync (system_error, non-zero exit) without
 * echoing the STATE that covers the rejected rows it could not store; earlier states stay echoed.
 * A short S3 hiccup is retried and the sync succeeds.
 */
import type { S3Fixture } from '../helpers/s3';
import { useFakeAndBucket } from '../helpers/test-env';
import { catalog, explain, record, runWrite, startFake, streamState, type Msg } from '../write/write-helpers';
import { startWrite } from '../write/running-write';
import { readRejects, withSyncId } from './rejects-cli-helpers';

const { fake, s3 } = useFakeAndBucket({ start: () => startFake({ processingDelayMs: 100, recordsPerSecond: 2_000 }) });

// max_state_delay_seconds 1: the first state's rows are sent without waiting for the end of input.
const CONFIG = { action: 'upsert', external_id_name: 'Ext_Id__c', max_state_delay_seconds: 1 };

const batch1: Msg[] = [
  record('Account', { Ext_Id__c: 'F-1', Name: 'one' }),
  record('Account', { Ext_Id__c: 'F-2', Description: 'no name 1' }),
  record('Account', { Ext_Id__c: 'F-3', Name: 'three' }),
  streamState('Account', 1, 3),
];
const batch2: Msg[] = [
  record('Account', { Ext_Id__c: 'F-4', Name: 'four' }),
  record('Account', { Ext_Id__c: 'F-5', Description: 'no name 2' }),
  record('Account', { Ext_Id__c: 'F-6', Name: 'six', AccountNumber: 'y'.repeat(45) }),
  streamState('Account', 2, 3),
];

const breakers: Array<[string, (s: S3Fixture) => Promise<void>]> = [
  ['S3 answers 500 to every write (after the SDK retries)', async (s) => s.failNextWrites(1_000_000)],
  ['the bucket is deleted', (s) => s.deleteBucket()],
  ['the S3 endpoint stops answering (connection refused)', (s) => s.stop()],
];

test.each(breakers)('%s after the first state: sync fails with system_error, the covering state is not echoed', async (_name, breakS3) => {
  const sync = startWrite(fake, { config: { ...CONFIG, object_storage_config: s3.storage('mid') }, catalog: withSyncId(catalog(['Account']), 31) });
  try {
    sync.send(batch1);
    await sync.waitForStates(1);
    const stored = await readRejects(s3);
    expect(stored.map((r) => r.record.data.Ext_Id__c)).toEqual(['F-2']);
    await breakS3(s3);
    sync.send(batch2);
  } finally {
    sync.end();
  }
  const run = await sync.done;
  await s3.start().catch(() => undefined);
  s3.failNextWrites(0);

  expect(run.result.code).not.toBe(0);
  expect(run.errors.length).toBeGreaterThanOrEqual(1);
  expect(run.errors[0]).toMatchObject({ failure_type: 'system_error' });
  expect(String(run.errors[0]?.message)).toMatch(/rejected row/);
  expect(String(run.errors[0]?.message)).toContain('s3://rejects-test/mid/31/');
  // The first state (its reject stored) was echoed, the second (unstored rejects) never.
  expect(run.states).toHaveLength(1);
  expect(run.states[0]).toMatchObject({ id: (batch1[3] as { state: { id: number } }).state.id, destinationStats: { recordCount: 2, rejectedRecordCount: 1 } });
  expect(run.result.stdout).not.toContain(`"id":${(batch2[3] as { state: { id: number } }).state.id},`);
  // The end-of-sync LOG says rows were NOT stored.
  expect(run.logs.join('\n')).toMatch(/NOT stored/);
  // Nothing loaded twice; the loaded rows of the unconfirmed state are re-sent by the platform (upsert is idempotent).
  const org = fake.records('Account').map((r) => r.Ext_Id__c as string);
  expect(new Set(org).size).toBe(org.length);
  expect(org).toEqual(expect.arrayContaining(['F-1', 'F-3']));
  expect(org).not.toContain('F-2');
});

test('rejected before upload while S3 is down: the state is held back, the sync fails', async () => {
  await s3.deleteBucket();
  const messages = [record('Account', { Ext_Id__c: 'P-1', Name: 'p', AccountNumber: 'z'.repeat(41) }), streamState('Account', 1, 1)];
  const run = await runWrite(fake, { config: { ...CONFIG, object_storage_config: s3.storage('pre') }, catalog: catalog(['Account']), messages });
  expect(run.result.code).not.toBe(0);
  expect(run.errors[0]).toMatchObject({ failure_type: 'system_error' });
  expect(String(run.errors[0]?.message)).toMatch(/Could not store 1 rejected row/);
  expect(run.states).toEqual([]);
});

test('a short S3 hiccup (two failed writes) is retried: the sync succeeds and every reject is stored', async () => {
  s3.failNextWrites(2);
  const messages = [...batch1, ...batch2];
  const run = await runWrite(fake, { config: { ...CONFIG, object_storage_config: s3.storage('hiccup') }, catalog: withSyncId(catalog(['Account']), 8), messages });
  expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
  expect(s3.failedWrites()).toBeGreaterThanOrEqual(2);
  expect(run.states).toHaveLength(2);
  const stored = await readRejects(s3, 'hiccup/8/');
  expect(stored.map((r) => r.record.data.Ext_Id__c).sort()).toEqual(['F-2', 'F-5', 'F-6']);
});

test('after a failed store no later state is echoed, even when S3 recovers (no gap in the state order)', async () => {
  // Job 1 (S1's rows, one rejected) finishes first; its store fails for every SDK attempt. Job 2
  // (S2's rows, all good) is held back by a lock error retried 3 s later; by then S3 answers again.
  fake.failRowsOnce((row) => row.Ext_Id__c === 'G-5');
  s3.failNextWrites(5);
  const messages: Msg[] = [
    record('Account', { Ext_Id__c: 'G-1', Name: 'one' }),
    record('Account', { Ext_Id__c: 'G-2', Description: 'no name' }),
    record('Account', { Ext_Id__c: 'G-3', Name: 'three' }),
    streamState('Account', 1, 3),
    record('Account', { Ext_Id__c: 'G-4', Name: 'four' }),
    record('Account', { Ext_Id__c: 'G-5', Name: 'five' }),
    record('Account', { Ext_Id__c: 'G-6', Name: 'six' }),
    streamState('Account', 2, 3),
  ];
  const run = await runWrite(fake, {
    config: { ...CONFIG, bulk_job_max_rows: 3, object_storage_config: s3.storage('gap') },
    catalog: withSyncId(catalog(['Account']), 77),
    messages,
    env: { DESTINATION_SALESFORCE_ROW_RETRY_SECONDS: '3' },
  });
  expect(s3.failedWrites()).toBeGreaterThanOrEqual(5);
  expect(run.result.code).not.toBe(0);
  expect(run.errors[0]).toMatchObject({ failure_type: 'system_error' });
  expect(run.states).toEqual([]);
});
