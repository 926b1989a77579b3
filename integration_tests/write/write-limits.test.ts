/** Job sizes through the CLI: early jobs of whole Salesforce batches, bulk_job_max_rows, and very large chunks on the failure paths. */
import { startFakeSalesforce } from '../fake-salesforce';
import { catalog, expectNothingLost, expectStatesEchoed, explain, record, runWrite, streamState, type Msg } from './write-helpers';
import { useFakeSalesforce } from '../helpers/test-env';

const fake = useFakeSalesforce({ start: () => startFakeSalesforce({ processingDelayMs: 0 }) });

test('bulk_job_max_rows cuts jobs by rows before bulk_job_max_mb is reached', async () => {
  const messages: Msg[] = [];
  for (let i = 0; i < 250; i++) {
    messages.push(record('Account', { Name: `R${i}` }));
    if (i % 100 === 99) messages.push(streamState('Account', i, 100));
  }
  messages.push(streamState('Account', 'end', 50));
  const run = await runWrite(fake, { config: { bulk_job_max_rows: 100 }, catalog: catalog(['Account']), messages });
  expect(run.result.code).toBe(0);
  const jobs = fake.jobs();
  expect(jobs.map((j) => j.numberRecordsProcessed).sort((a, b) => b - a)).toEqual([100, 100, 50]);
  expectStatesEchoed(run, messages);
  expectNothingLost(run, messages, fake.records('Account'), { key: 'Name', expectRejected: 0 });
});

test('early jobs while job slots are free: 10,000 rows (one Salesforce batch), then 30,000; only the input\'s end cuts a smaller one', async () => {
  const messages: Msg[] = [];
  for (let i = 0; i < 45_000; i++) messages.push(record('Account', { Name: `E${i}` }));
  messages.push(streamState('Account', 'end', 45_000));
  // 4 job slots by default (3 for early jobs): when the 10,000th and 40,000th rows arrive, at most 1 job is in flight.
  const run = await runWrite(fake, { catalog: catalog(['Account']), messages });
  expect(run.result.code).toBe(0);
  expect(fake.jobs().map((j) => j.numberRecordsProcessed)).toEqual([10_000, 30_000, 5_000]);
  expectStatesEchoed(run, messages);
  expectNothingLost(run, messages, fake.records('Account'), { key: 'Name', expectRejected: 0 });
}, 60_000);

test('bulk_job_max_rows below 1 is a config_error naming the key', async () => {
  const run = await runWrite(fake, { config: { bulk_job_max_rows: 0 }, catalog: catalog(['Account']), messages: [record('Account', { Name: 'a' })] });
  expect(run.result.code).toBe(1);
  expect(run.errors[0]).toMatchObject({ failure_type: 'config_error' });
  expect(String(run.errors[0]?.message)).toContain("'bulk_job_max_rows' must be >= 1");
});

test('200,000 rows all rejected, allow_failures false: the config_error, not a stack overflow; jobs are whole Salesforce batches (10,000 rows)', async () => {
  const lines: string[] = [];
  for (let i = 0; i < 200_000; i++) lines.push(JSON.stringify(record('Account', { Description: `no name ${i}` })));
  lines.push(JSON.stringify(streamState('Account', 'end', 200_000)));
  const run = await runWrite(fake, {
    config: { allow_failures: false, bulk_job_max_rows: 200_000 },
    catalog: catalog(['Account']),
    messages: `${lines.join('\n')}\n`,
    timeoutMs: 110_000,
  });
  expect(run.result.code).toBe(1);
  // A first job starts at 10,000 rows (a slot is free); the chunks in flight finish before the sync stops.
  const sizes = fake.jobs().map((j) => j.numberRecordsProcessed);
  expect(sizes.length).toBeGreaterThanOrEqual(1);
  expect(sizes.every((n) => n !== undefined && n > 0 && n % 10_000 === 0)).toBe(true);
  expect(run.errors).toHaveLength(1);
  expect({ error: run.errors[0], why: explain(run).slice(0, 500) }).toMatchObject({ error: { failure_type: 'config_error' } });
  // The rows of the job that stopped the sync: whole batches too.
  expect(String(run.errors[0]?.message)).toMatch(/^[1-9]\d*0000 row\(s\) of stream Account were rejected.*REQUIRED_FIELD_MISSING/);
  expect(run.result.stderr + JSON.stringify(run.errors)).not.toContain('Maximum call stack');
  expect(run.states).toEqual([]);
}, 120_000);
