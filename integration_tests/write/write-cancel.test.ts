/**
 * SIGTERM / SIGINT during `write` (Airbyte's cancel): while a PUT is in flight, while jobs are
 * processing (finishing within the grace period, or not), while idle on stdin, and a second signal.
 * Each: exit non-zero with a transient TRACE within the grace period, no job Open, no STATE for
 * unsettled rows; then a re-run of the same input leaves the upsert stream exactly right.
 */
import { cancelWrite, expectCancelled, expectStatesOnlyForSettledRows, type CancelledRun } from './cancel-helpers';
import { catalog, expectStatesEchoed, explain, record, runWrite, startFake, streamState, type Msg } from './write-helpers';
import { useFakeSalesforce } from '../helpers/test-env';

const fake = useFakeSalesforce({ start: startFake });
beforeEach(() => fake.set({ recordsPerSecond: 20_000, processingDelayMs: 30 }));

const upsertCatalog = catalog([{ name: 'Account', destination_sync_mode: 'append_dedup', primary_key: [['Ext_Id__c']] }]);

/** `n` Accounts with unique external ids, a STREAM state every `every` rows. */
function accounts(n: number, every: number, tag: string): Msg[] {
  const messages: Msg[] = [];
  for (let i = 0; i < n; i++) {
    messages.push(record('Account', { Name: `${tag} ${i}`, Ext_Id__c: `${tag}-${i}` }));
    if (i % every === every - 1) messages.push(streamState('Account', i, every));
  }
  return messages;
}

/** The org holds each input key exactly once, with the input's (last) values, and nothing else. */
function expectOrgExact(messages: Msg[]): void {
  const want = new Map<unknown, unknown>();
  for (const m of messages) if (m.type === 'RECORD') want.set((m.record as { data: Msg }).data.Ext_Id__c, (m.record as { data: Msg }).data.Name);
  const org = fake.records('Account');
  expect(org).toHaveLength(want.size);
  expect(new Map(org.map((r) => [r.Ext_Id__c, r.Name]))).toEqual(want);
}

/** The same input again, to the end: exit 0, every state echoed, the org exactly right. */
async function rerun(messages: Msg[], config: Msg = {}): Promise<void> {
  const run = await runWrite(fake, { config, catalog: upsertCatalog, messages });
  expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
  expectStatesEchoed(run, messages);
  expectOrgExact(messages);
  expect(fake.jobs().filter((j) => j.state === 'Open')).toEqual([]);
}

const hasLog = (run: { messagesSoFar(): Array<Record<string, any>> }, text: string) =>
  run.messagesSoFar().some((m) => m.type === 'LOG' && String(m.log.message).includes(text));

describe.each(['SIGTERM', 'SIGINT'] as const)('%s', (signal) => {
  test('while a PUT is in flight: the upload is cut, its job aborted, no state; the re-run loads everything once', async () => {
    fake.injectFault({ route: 'ingest.upload', delayMs: 8_000 });
    const messages = accounts(60, 20, `put-${signal}`);
    const run = await cancelWrite(fake, {
      signal,
      config: { bulk_job_max_rows: 30 },
      catalog: upsertCatalog,
      messages,
      env: { DESTINATION_SALESFORCE_CANCEL_GRACE_SECONDS: '20' },
      // the upload has reached the stand-in and is not answered yet
      when: () => fake.requests().some((r) => r.route === 'ingest.upload' && r.status === 0),
    });
    expectCancelled(run, fake);
    expect(run.exitMs).toBeLessThan(20_000);
    expect(run.states).toEqual([]);
    expect(fake.jobs().map((j) => j.state)).toEqual(['Aborted']); // the second chunk never got a job
    expect(fake.records('Account')).toEqual([]);
    await rerun(messages);
  });

  test('while jobs are processing: accepted jobs finish within the grace period and their states are echoed; no new job starts', async () => {
    fake.set({ recordsPerSecond: 60 });
    const messages = accounts(300, 50, `proc-${signal}`);
    const run = await cancelWrite(fake, {
      signal,
      config: { bulk_job_max_rows: 100, max_jobs_in_flight: 1 },
      catalog: upsertCatalog,
      messages,
      env: { DESTINATION_SALESFORCE_CANCEL_GRACE_SECONDS: '25' },
      when: () => fake.jobs().some((j) => j.state === 'InProgress'),
    });
    expectCancelled(run, fake);
    expect(run.exitMs).toBeLessThan(25_000);
    // the job Salesforce had accepted finished and was settled; no other job was created
    expect(fake.jobs().map((j) => j.state)).toEqual(['JobComplete']);
    expect(fake.records('Account')).toHaveLength(100);
    expect(run.states).toHaveLength(2); // the two states covering the first 100 rows
    expectStatesOnlyForSettledRows(run, messages, fake.records('Account'), 'Ext_Id__c');
    expect(run.logs.some((l) => l.includes('no ingest job of this sync is left running'))).toBe(true);
    await rerun(messages, { bulk_job_max_rows: 100 });
  });

  test('while a job runs past the grace period: exit at its end, the LOG names the job and its rows, no state', async () => {
    fake.set({ recordsPerSecond: 4 });
    const messages = accounts(40, 20, `long-${signal}`);
    const run: CancelledRun = await cancelWrite(fake, {
      signal,
      config: { bulk_job_max_rows: 20 },
      catalog: upsertCatalog,
      messages,
      env: { DESTINATION_SALESFORCE_CANCEL_GRACE_SECONDS: '2' },
      when: () => fake.jobs().some((j) => j.state === 'InProgress'),
    });
    expectCancelled(run, fake);
    // the grace period (2 s), not the job's 10 s; generous tolerance for a loaded machine
    expect(run.exitMs).toBeLessThan(8_000);
    expect(run.states).toEqual([]);
    const job = fake.jobs()[0];
    expect(run.logs).toContainEqual(expect.stringContaining(`Ingest job ${job?.id} (Account upsert, 20 rows) is still running in Salesforce`));
    fake.set({ recordsPerSecond: 20_000 });
    await rerun(messages);
  });

  test('while idle on stdin: buffered rows are not sent, no job is created, no state', async () => {
    const messages = [...accounts(10, 10, `idle-${signal}`), ...accounts(5, 100, `idle2-${signal}`)];
    const run = await cancelWrite(fake, {
      signal,
      catalog: upsertCatalog,
      messages,
      env: { DESTINATION_SALESFORCE_CANCEL_GRACE_SECONDS: '20' },
      when: (cli) => hasLog(cli, 'Writing stream'),
    });
    expectCancelled(run, fake);
    expect(run.exitMs).toBeLessThan(20_000);
    expect(fake.jobs()).toEqual([]);
    expect(run.states).toEqual([]);
    await rerun(messages);
  });
});

test('a second signal exits at once, naming the job still running', async () => {
  fake.set({ recordsPerSecond: 2 });
  const messages = accounts(40, 20, 'twice');
  const run = await cancelWrite(fake, {
    signal: 'SIGTERM',
    config: { bulk_job_max_rows: 20 },
    catalog: upsertCatalog,
    messages,
    env: { DESTINATION_SALESFORCE_CANCEL_GRACE_SECONDS: '120' },
    when: () => fake.jobs().some((j) => j.state === 'InProgress'),
    secondAfterMs: 500,
  });
  expectCancelled(run, fake);
  expect(run.exitMs).toBeLessThan(15_000);
  expect(run.states).toEqual([]);
  expect(run.logs).toContainEqual(expect.stringContaining('is still running in Salesforce'));
  fake.set({ recordsPerSecond: 20_000 });
  await rerun(messages);
});

test('an insert job left running: the cancel LOG says how many rows the next sync may duplicate', async () => {
  fake.set({ recordsPerSecond: 4 });
  const messages: Msg[] = [];
  for (let i = 0; i < 30; i++) messages.push(record('Contact', { LastName: `dup ${i}` }));
  messages.push(streamState('Contact', 'end', 30));
  const run = await cancelWrite(fake, {
    signal: 'SIGTERM',
    config: { bulk_job_max_rows: 15 },
    catalog: catalog(['Contact']),
    messages,
    env: { DESTINATION_SALESFORCE_CANCEL_GRACE_SECONDS: '1' },
    when: () => fake.jobs().some((j) => j.state === 'InProgress'),
  });
  expectCancelled(run, fake);
  expect(run.states).toEqual([]);
  expect(run.logs).toContainEqual(expect.stringContaining('up to 15 duplicate Contact record(s)'));
  expect(run.logs).toContainEqual(expect.stringContaining('the next sync may insert up to 15 row(s) a second time.'));
});
