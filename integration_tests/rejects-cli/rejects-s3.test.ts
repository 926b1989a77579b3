/**
 * Issue 5, allow_failures true with S3 storage, through the CLI against the stand-in (async
 * processing) and s3rver: rejected rows land in the bucket with their error and the original record,
 * state counts add up, the org holds exactly the loaded rows.
 */
import Papa from 'papaparse';
import { expectNoLeaks, secretValues } from '../cli/cli-checks';
import { S3RVER_KEY } from '../helpers/s3';
import { useFakeAndBucket } from '../helpers/test-env';
import {
  catalog, expectNothingLost, expectStatesEchoed, explain, record, runWrite, startFake, streamState, type Msg, RESULT_ECHOES
} from '../write/write-helpers';
import { inputRecords, readRejects, withSyncId } from './rejects-cli-helpers';

const { fake, s3 } = useFakeAndBucket({ start: () => startFake({ processingDelayMs: 150, recordsPerSecond: 2_000 }) });

describe.each(RESULT_ECHOES)('result echo %s', (resultEcho) => {
  beforeAll(() => fake.set({ resultEcho }));

  const UPSERT = { action: 'upsert', external_id_name: 'Ext_Id__c' };
  const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

  test('rejected rows are stored per sync/namespace/stream with their split error and the original record', async () => {
    const messages: Msg[] = [
      record('Account', { Ext_Id__c: 'A-1', company: 'Acme One', legacy_code: 'LC-1' }),
      record('Account', { Ext_Id__c: 'A-2', company: 'Acme Two', Rating: 'Hot' }),
      record('Account', { Ext_Id__c: 'A-3', Description: 'has no name', legacy_code: 'LC-3' }),
      record('Account', { Ext_Id__c: 'A-4', company: 'Acme Four', Rating: 'Lukewarm', legacy_code: 'LC-4' }),
      streamState('Account', 1, 4),
      record('Account', { Ext_Id__c: 'A-5', company: 'Acme Five', AccountNumber: 'N'.repeat(41) }),
      record('Account', { Ext_Id__c: 'A-6', company: 'Acme Six', NumberOfEmployees: 'many' }),
      record('Account', { Ext_Id__c: 'A-7', company: 'Acme Seven', Description: null }),
      streamState('Account', 2, 3),
    ];
    const run = await runWrite(fake, {
      config: { ...UPSERT, column_mapping: { Account: { company: 'Name' } }, object_storage_config: s3.storage('/rejects/salesforce/') },
      catalog: withSyncId(catalog(['Account']), 9001),
      messages,
    });
    expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
    expect(run.errors).toEqual([]);

    // States: every one echoed, loaded + rejected = records it covers = sourceStats.
    expectStatesEchoed(run, messages);
    expect(run.states.map((s) => s.destinationStats)).toEqual([
      { recordCount: 2, rejectedRecordCount: 2 },
      { recordCount: 1, rejectedRecordCount: 2 },
    ]);
    // The org holds exactly the loaded rows, once each.
    const org = fake.records('Account');
    expect(org.map((r) => r.Ext_Id__c).sort()).toEqual(['A-1', 'A-2', 'A-7']);
    expectNothingLost(run, messages, org, { key: 'Ext_Id__c', expectRejected: 4 });

    // The bucket: {bucket_path}/{sync id}/{_default}/{stream}/part-NNNN.jsonl
    const keys = await s3.listKeys();
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k).toMatch(/^rejects\/salesforce\/9001\/_default\/Account\/part-\d{4}\.jsonl$/);
    expect(keys[0]).toBe('rejects/salesforce/9001/_default/Account/part-0001.jsonl');

    const rows = await readRejects(s3);
    expect(rows.map((r) => r.record.data.Ext_Id__c).sort()).toEqual(['A-3', 'A-4', 'A-5', 'A-6']);
    const byId = new Map(rows.map((r) => [r.record.data.Ext_Id__c, r]));
    const original = (ext: string) => inputRecords(messages).find((r) => r.data.Ext_Id__c === ext);
    for (const [ext, doc] of byId) {
      // the record exactly as it arrived: unmapped source names, dropped fields, emitted_at
      expect(doc.record).toEqual(original(ext as string));
      expect(doc).toMatchObject({ stream: 'Account', namespace: null, object: 'Account', operation: 'upsert' });
      expect(doc.rejected_at).toMatch(ISO);
      expect(doc.error_message).not.toMatch(/^[A-Z_]+:/); // split from sf__Error, not the raw text
      expect(doc.error_message).not.toMatch(/--\s*$/);
    }
    expect(byId.get('A-3')).toMatchObject({
      error_code: 'REQUIRED_FIELD_MISSING', error_message: 'Required fields are missing: [Name]', fields: ['Name'], attempts: 1,
    });
    expect(byId.get('A-4')).toMatchObject({
      error_code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Rating'], attempts: 1,
    });
    expect(byId.get('A-4')?.error_message).toMatch(/bad value for restricted picklist field: Lukewarm/);
    // Salesforce-rejected rows name their ingest job; it is one the stand-in ran.
    const jobIds = new Set(fake.jobs().map((j) => j.id));
    expect(jobIds.has(byId.get('A-3')?.job_id as string)).toBe(true);
    expect(jobIds.has(byId.get('A-4')?.job_id as string)).toBe(true);
    // Rejected before upload: our own DESTINATION_ codes, no job.
    expect(byId.get('A-5')).toMatchObject({ error_code: 'DESTINATION_FIELD_SIZE_LIMITATION', fields: ['AccountNumber'], job_id: null });
    expect(byId.get('A-5')?.error_message).toMatch(/41 characters; the limit is 40/);
    expect(byId.get('A-6')).toMatchObject({ error_code: 'DESTINATION_TYPECAST_ERROR', fields: ['NumberOfEmployees'], job_id: null });
    // The null cleared the field of the loaded row.
    expect(org.find((r) => r.Ext_Id__c === 'A-7')).toMatchObject({ Name: 'Acme Seven', Description: null });

    // The end-of-sync summary names the S3 prefix and the counts per error code.
    const logs = run.logs.join('\n');
    expect(logs).toContain('s3://rejects-test/rejects/salesforce/9001/');
    expect(logs).toMatch(/REQUIRED_FIELD_MISSING: 1/);
    expect(logs).toMatch(/DESTINATION_FIELD_SIZE_LIMITATION: 1/);
    // No Salesforce or S3 secret in any output.
    expectNoLeaks(run.result, secretValues([fake.credentials.clientSecret, fake.credentials.refreshToken, S3RVER_KEY]));
  });

  test('without sync_id in the catalog, the platform job id (WORKER_JOB_ID) names the sync folder', async () => {
    const messages: Msg[] = [record('Account', { Ext_Id__c: 'W-1' }), streamState('Account', 1, 1)];
    const run = await runWrite(fake, {
      config: { ...UPSERT, object_storage_config: s3.storage('w') },
      catalog: catalog(['Account']),
      messages,
      env: { WORKER_JOB_ID: '4321' },
    });
    expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
    expect(await s3.listKeys()).toEqual(['w/4321/_default/Account/part-0001.jsonl']);
  });

  test('without a sync id the folder is the start time; a namespaced stream gets its namespace folder', async () => {
    const messages: Msg[] = [
      record('Account', { Name: 'ok', Ext_Id__c: 'N-1' }, 'crm'),
      record('Account', { Ext_Id__c: 'N-2' }, 'crm'),
      streamState('Account', 1),
    ];
    // a STREAM state of a namespaced stream names its namespace
    ((messages[2] as { state: { stream: { stream_descriptor: Msg } } }).state.stream.stream_descriptor).namespace = 'crm';
    const before = new Date();
    const run = await runWrite(fake, {
      config: { ...UPSERT, object_storage_config: s3.storage('out') },
      catalog: catalog([{ name: 'Account', namespace: 'crm' }]),
      messages,
    });
    expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
    expect(run.states.map((s) => s.destinationStats)).toEqual([{ recordCount: 1, rejectedRecordCount: 1 }]);
    const keys = await s3.listKeys();
    expect(keys).toHaveLength(1);
    const m = /^out\/(\d{8}T\d{6}Z)\/crm\/Account\/part-0001\.jsonl$/.exec(keys[0] as string);
    expect(m).not.toBeNull();
    const stamp = (m?.[1] as string).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
    expect(Math.abs(Date.parse(stamp) - before.getTime())).toBeLessThan(60_000);
    const [doc] = await readRejects(s3);
    expect(doc).toMatchObject({ stream: 'Account', namespace: 'crm', error_code: 'REQUIRED_FIELD_MISSING' });
    expect(doc?.record).toEqual((messages[1] as { record: unknown }).record);
  });

  test('many jobs and states with rejects interleaved: each state adds up, bucket holds exactly the rejected, org the loaded', async () => {
    const messages: Msg[] = [];
    for (let i = 0; i < 90; i++) {
      const bad = i % 7 === 3; // no Name → REQUIRED_FIELD_MISSING from Salesforce
      const tooLong = i % 11 === 5; // rejected before upload
      const data: Record<string, unknown> = { Ext_Id__c: `M-${i}`, Description: `row ${i} `.padEnd(60, '.') };
      if (!bad) data.Name = `Many ${i}`;
      if (tooLong) data.AccountNumber = 'x'.repeat(60);
      messages.push(record('Account', data));
      if (i % 15 === 14) messages.push(streamState('Account', i, 15));
    }
    const run = await runWrite(fake, {
      config: { ...UPSERT, bulk_job_max_mb: 0.001, max_jobs_in_flight: 3, object_storage_config: s3.storage('many') },
      catalog: withSyncId(catalog(['Account']), 'sync-77'),
      messages,
    });
    expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
    expect(fake.jobs().length).toBeGreaterThan(3);
    expectStatesEchoed(run, messages);
    const org = fake.records('Account');
    const rows = await readRejects(s3, 'many/sync-77/_default/Account/');
    const rejectedIds = rows.map((r) => r.record.data.Ext_Id__c as string);
    expect(new Set(rejectedIds).size).toBe(rejectedIds.length); // nothing stored twice
    const loadedIds = org.map((r) => r.Ext_Id__c as string);
    expect([...rejectedIds, ...loadedIds].sort()).toEqual(inputRecords(messages).map((r) => r.data.Ext_Id__c as string).sort());
    expectNothingLost(run, messages, org, { key: 'Ext_Id__c', expectRejected: rows.length });
    const expectedRejected = inputRecords(messages).filter((r) => !r.data.Name || String(r.data.AccountNumber ?? '').length > 40);
    expect(rows).toHaveLength(expectedRejected.length);
    for (const r of rows) {
      const expected = String(r.record.data.AccountNumber ?? '').length > 40 ? 'DESTINATION_FIELD_SIZE_LIMITATION' : 'REQUIRED_FIELD_MISSING';
      expect(r.error_code).toBe(expected);
    }
  });

  test('format csv: the same rows as CSV parts with a header, the record as JSON text', async () => {
    const messages: Msg[] = [
      record('Account', { Ext_Id__c: 'C-1', Name: 'fine' }),
      record('Account', { Ext_Id__c: 'C-2', Description: 'line one\nline "two", with comma' }),
      record('Account', { Ext_Id__c: 'C-3', Name: 'picky', Rating: 'Tepid' }),
      streamState('Account', 1, 3),
    ];
    const run = await runWrite(fake, {
      config: { ...UPSERT, object_storage_config: s3.storage('csv', { format: 'csv' }) },
      catalog: withSyncId(catalog(['Account']), 5),
      messages,
    });
    expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
    expect(run.states.map((s) => s.destinationStats)).toEqual([{ recordCount: 1, rejectedRecordCount: 2 }]);
    const keys = await s3.listKeys();
    expect(keys).toEqual(['csv/5/_default/Account/part-0001.csv']);
    const parsed = Papa.parse<Record<string, string>>(await s3.getText(keys[0] as string), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(
      ['record', 'stream', 'namespace', 'object', 'operation', 'job_id', 'error_code', 'error_message', 'fields', 'attempts', 'rejected_at'],
    );
    const byExt = new Map(parsed.data.map((r) => [(JSON.parse(r.record as string) as { data: Msg }).data.Ext_Id__c, r]));
    expect(JSON.parse(byExt.get('C-2')?.record as string)).toEqual((messages[1] as { record: unknown }).record);
    expect(byExt.get('C-2')).toMatchObject({ stream: 'Account', object: 'Account', operation: 'upsert', error_code: 'REQUIRED_FIELD_MISSING', fields: 'Name', attempts: '1' });
    expect(byExt.get('C-3')).toMatchObject({ error_code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: 'Rating' });
    expect(byExt.get('C-3')?.job_id).toMatch(/^750/);
  });

  test('two streams under GLOBAL states: one folder per stream, global counts add up across streams', async () => {
    const globalState = (cursor: number, recordCount: number, id: number): Msg => ({
      type: 'STATE',
      state: { type: 'GLOBAL', global: { shared_state: { cursor }, stream_states: [] }, id, sourceStats: { recordCount } },
    });
    const messages: Msg[] = [
      record('Account', { Name: 'acc ok', Ext_Id__c: 'G-1' }),
      record('Contact', { LastName: 'Ok', Email: 'ok@example.com' }),
      record('Contact', { FirstName: 'No last name' }),
      globalState(1, 3, 7001),
      record('Account', { Ext_Id__c: 'G-2' }),
      record('Contact', { LastName: 'Two' }),
      globalState(2, 2, 7002),
    ];
    const run = await runWrite(fake, {
      config: { object_storage_config: s3.storage('multi') },
      catalog: withSyncId(catalog(['Account', 'Contact']), 12),
      messages,
    });
    expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
    expectStatesEchoed(run, messages);
    expect(run.states.map((s) => s.destinationStats)).toEqual([
      { recordCount: 2, rejectedRecordCount: 1 },
      { recordCount: 1, rejectedRecordCount: 1 },
    ]);
    expect((await s3.listKeys()).map((k) => k.replace(/part-\d{4}/, 'part-N'))).toEqual(
      expect.arrayContaining(['multi/12/_default/Account/part-N.jsonl', 'multi/12/_default/Contact/part-N.jsonl']),
    );
    const rows = await readRejects(s3);
    expect(rows.map((r) => [r.key.split('/')[3], r.object, r.error_code, r.fields]).sort()).toEqual([
      ['Account', 'Account', 'REQUIRED_FIELD_MISSING', ['Name']],
      ['Contact', 'Contact', 'REQUIRED_FIELD_MISSING', ['LastName']],
    ]);
    expect(fake.records('Account')).toHaveLength(1);
    expect(fake.records('Contact').map((r) => r.LastName).sort()).toEqual(['Ok', 'Two']);
  });

  test('allow_failures false: the rejected rows are still stored in the bucket the error names', async () => {
    const messages: Msg[] = [
      record('Account', { Ext_Id__c: 'S-1', Name: 'ok' }),
      record('Account', { Ext_Id__c: 'S-2' }),
      streamState('Account', 1, 2),
    ];
    const run = await runWrite(fake, {
      config: { ...UPSERT, allow_failures: false, object_storage_config: s3.storage('strict') },
      catalog: withSyncId(catalog(['Account']), 3),
      messages,
    });
    expect(run.result.code).toBe(1);
    expect(String(run.errors[0]?.message)).toContain('s3://rejects-test/strict/3/');
    expect(run.states).toEqual([]);
    const rows = await readRejects(s3, 'strict/3/');
    expect(rows.map((r) => [r.record.data.Ext_Id__c, r.error_code])).toEqual([['S-2', 'REQUIRED_FIELD_MISSING']]);
  });
});
