/**
 * Issues 5 and 11: job-level failures. A job aborted in Salesforce puts its unprocessed rows into the
 * bucket with the job's error; a job Failed for a platform reason has its unprocessed rows sent again
 * (none rejected); an upload refused as too large is sent again in smaller jobs, and only a row too
 * large alone is rejected. Rows a job did process count as loaded; nothing is lost or counted twice.
 */
import { call, getToken } from '../fake-salesforce/test-helpers';
import { catalog, expectNothingLost, expectStatesEchoed, explain, record, runWrite, startFake, streamState, type Msg, RESULT_ECHOES } from '../write/write-helpers';
import { inputRecords, readRejects, withSyncId } from './rejects-cli-helpers';
import { useFakeAndBucket } from '../helpers/test-env';

const { fake, s3 } = useFakeAndBucket({ start: () => startFake({ processingDelayMs: 100 }) });
beforeEach(() => fake.set({ processingDelayMs: 100, recordsPerSecond: 20_000, uploadLimitBytes: 150 * 1024 * 1024 }));

describe.each(RESULT_ECHOES)('result echo %s', (resultEcho) => {
  beforeAll(() => fake.set({ resultEcho }));

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('a job aborted in Salesforce while processing: processed rows load, the unprocessed go to the bucket with the job error', async () => {
    // 5 rows/s: the window in which the job is InProgress with 3–19 rows processed lasts ~3 s, so a test process
    // starved under load (the stand-in's timers catch up in one jump) still finds the job mid-way.
    fake.set({ processingDelayMs: 300, recordsPerSecond: 5 });
    const messages: Msg[] = [];
    for (let i = 0; i < 20; i++) messages.push(record('Account', { Ext_Id__c: `AB-${i}`, Name: `Aborted ${i}` }));
    messages.push(streamState('Account', 1, 20));
    const running = runWrite(fake, {
      config: { action: 'upsert', external_id_name: 'Ext_Id__c', object_storage_config: s3.storage('jobs') },
      catalog: withSyncId(catalog(['Account']), 'abort'),
      messages,
    });
    // An admin aborts the job in Setup once it has processed a few rows.
    const token = await getToken(fake);
    let abortedId: string | undefined;
    // Generous deadline: under load the CLI can take many seconds to start and open the job.
    const deadline = Date.now() + 60_000;
    while (!abortedId && Date.now() < deadline && !fake.jobs().some((j) => j.state === 'JobComplete')) {
      const job = fake.jobs().find((j) => j.state === 'InProgress' && j.numberRecordsProcessed >= 3);
      if (job) {
        const r = await call(fake, token, 'PATCH', `jobs/ingest/${job.id}`, { state: 'Aborted' });
        expect(r.status).toBe(200);
        abortedId = job.id;
      } else {
        await sleep(10);
      }
    }
    const run = await running;
    expect(abortedId).toBeDefined();
    expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
    const aborted = fake.jobs().find((j) => j.id === abortedId);
    expect(aborted?.state).toBe('Aborted');
    const processed = aborted?.numberRecordsProcessed as number;
    expect(processed).toBeGreaterThanOrEqual(3);
    expect(processed).toBeLessThan(20);

    const rows = await readRejects(s3, 'jobs/abort/_default/Account/');
    expect(rows).toHaveLength(20 - processed);
    for (const r of rows) {
      expect(r).toMatchObject({ error_code: 'BULK_JOB_ABORTED', job_id: abortedId, object: 'Account', operation: 'upsert', attempts: 1 });
      expect(r.error_message).toContain(`Ingest job ${abortedId} ended Aborted`);
      expect(r.record).toEqual(inputRecords(messages).find((x) => x.data.Ext_Id__c === r.record.data.Ext_Id__c));
    }
    const org = fake.records('Account');
    expect(org).toHaveLength(processed);
    expectStatesEchoed(run, messages);
    expect(run.states[0]?.destinationStats).toEqual({ recordCount: processed, rejectedRecordCount: 20 - processed });
    expectNothingLost(run, messages, org, { key: 'Ext_Id__c', expectRejected: 20 - processed });
  });

  test('a job that turns Failed part-way (retries exhausted): processed rows load, the unprocessed go again in new jobs, none is rejected', async () => {
    fake.failNextJob({ afterRows: 3, errorMessage: 'InternalServerError : Batch failed after the maximum number of processing retries' });
    const messages: Msg[] = [];
    for (let i = 0; i < 8; i++) messages.push(record('Contact', { LastName: `Row ${i}`, Ext_Id__c: `C-${i}` }));
    messages.push(streamState('Contact', 1, 8));
    const run = await runWrite(fake, { config: { object_storage_config: s3.storage('jobs') }, catalog: withSyncId(catalog(['Contact']), 'failed'), messages });
    expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
    const failed = fake.jobs().filter((j) => j.state === 'Failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.numberRecordsProcessed).toBe(3);
    expect(await readRejects(s3, 'jobs/failed/')).toEqual([]);
    const org = fake.records('Contact');
    expect(org.map((r) => r.LastName).sort()).toEqual(inputRecords(messages).map((r) => r.data.LastName).sort());
    expectStatesEchoed(run, messages);
    expect(run.states[0]?.destinationStats).toEqual({ recordCount: 8, rejectedRecordCount: 0 });
    expectNothingLost(run, messages, org, { key: 'Ext_Id__c', expectRejected: 0 });
  });

  test('an upload Salesforce refuses (too large): a row too large alone is rejected into the bucket with the refusal, other chunks load', async () => {
    fake.set({ uploadLimitBytes: 400 });
    const messages: Msg[] = [
      record('Account', { Name: 'big', Description: 'd'.repeat(600) }),
      record('Account', { Name: 'small 1' }),
      streamState('Account', 1, 2),
    ];
    // 0.0005 MB ≈ 524 bytes per job: the big row goes alone (over the job size), the small one in its own job.
    const run = await runWrite(fake, { config: { bulk_job_max_mb: 0.0005, object_storage_config: s3.storage('jobs') }, catalog: withSyncId(catalog(['Account']), 'refused'), messages });
    expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
    const rows = await readRejects(s3, 'jobs/refused/');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ error_code: 'CLIENTINPUTERROR', record: (messages[0] as { record: unknown }).record });
    expect(rows[0]?.error_message).toMatch(/refused the upload of this row alone: ClientInputError/);
    expect(fake.jobs().map((j) => j.id)).toContain(rows[0]?.job_id);
    expect(fake.records('Account').map((r) => r.Name)).toEqual(['small 1']);
    expect(run.states[0]?.destinationStats).toEqual({ recordCount: 1, rejectedRecordCount: 1 });
  });
});
