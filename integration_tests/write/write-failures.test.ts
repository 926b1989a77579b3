/** Fail-fast, malformed input, config problems, empty input. */
import { catalog, expectStatesEchoed, record, runWrite, startFake, streamState, streamStatus, type Msg } from './write-helpers';
import { useFakeSalesforce } from '../helpers/test-env';
import { startWrite } from './running-write';

const fake = useFakeSalesforce({ start: startFake });

test('allow_failures false: the first rejected row ends the sync; no state after it; earlier states echoed', async () => {
  const messages: Msg[] = [
    record('Account', { Name: 'ok 1' }),
    record('Account', { Name: 'ok 2' }),
    streamState('Account', 1, 2),
    record('Account', { Description: 'missing name' }),
    record('Account', { Name: 'ok 3' }),
    streamState('Account', 2, 2),
  ];
  const run = await runWrite(fake, { config: { allow_failures: false }, catalog: catalog(['Account']), messages });
  expect(run.result.code).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatchObject({ failure_type: 'config_error' });
  expect(String(run.errors[0]?.message)).toMatch(/1 row\(s\).*Account.*REQUIRED_FIELD_MISSING/);
  expect(run.states).toHaveLength(1);
  expectStatesEchoed(run, messages, { all: false });
  expect(run.states[0]?.destinationStats).toEqual({ recordCount: 2, rejectedRecordCount: 0 });
});

test('allow_failures false with a pre-upload rejection', async () => {
  const messages = [record('Account', { Name: 'n', NumberOfEmployees: 'lots' }), streamState('Account', 1, 1)];
  const run = await runWrite(fake, { config: { allow_failures: false }, catalog: catalog(['Account']), messages });
  expect(run.result.code).toBe(1);
  expect(String(run.errors[0]?.message)).toMatch(/DESTINATION_TYPECAST_ERROR.*NumberOfEmployees/);
  expect(run.states).toEqual([]);
});

test('a line that is not JSON: system_error naming the line, not its content; stdout stays valid', async () => {
  const good = [record('Account', { Name: 'before' }), streamState('Account', 1, 1)].map((m) => JSON.stringify(m)).join('\n');
  const run = await runWrite(fake, { catalog: catalog(['Account']), messages: `${good}\n{"type": "RECORD", secret-ish garbage\n` });
  expect(run.result.code).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatchObject({ failure_type: 'system_error' });
  expect(String(run.errors[0]?.message)).toMatch(/line 3/);
  expect(run.result.stdout).not.toContain('garbage');
});

test('a RECORD for a stream not in the catalog: system_error naming the stream', async () => {
  const messages = [record('Account', { Name: 'a' }), record('Ghost', { x: 1 })];
  const run = await runWrite(fake, { catalog: catalog(['Account']), messages });
  expect(run.result.code).toBe(1);
  expect(run.errors[0]).toMatchObject({ failure_type: 'system_error' });
  expect(String(run.errors[0]?.message)).toMatch(/"Ghost".*not in the configured catalog/);
  expect(fake.jobs()).toEqual([]);
});

test('empty input: exit 0, no API call at all', async () => {
  const run = await runWrite(fake, { catalog: catalog(['Account']), messages: '' });
  expect(run.result.code).toBe(0);
  expect(run.errors).toEqual([]);
  expect(fake.requests()).toEqual([]);
});

test('only states: echoed at once with zero counts, no API call', async () => {
  const messages = [streamState('Account', 1, 0), streamStatus('Account', 'COMPLETE'), streamState('Account', 2, 0)];
  const run = await runWrite(fake, { catalog: catalog(['Account']), messages });
  expect(run.result.code).toBe(0);
  expectStatesEchoed(run, messages);
  expect(fake.requests()).toEqual([]);
});

test.each([
  [{ table_name: 'Nope__c' }, ['Account'], /Nope__c does not exist/],
  [{}, ['Audit_Log__c'], /Audit_Log__c does not allow insert/],
  [{ action: 'upsert', external_id_name: 'Name' }, ['Account'], /Name of Salesforce object Account is neither an External ID nor an idLookup/],
])('config %j on %j fails before any job with a config_error', async (config, streams, pattern) => {
  const run = await runWrite(fake, { config, catalog: catalog(streams), messages: [record(streams[0] as string, { Name: 'x' })] });
  expect(run.result.code).toBe(1);
  expect(run.errors[0]).toMatchObject({ failure_type: 'config_error' });
  expect(String(run.errors[0]?.message)).toMatch(pattern);
  expect(fake.jobs()).toEqual([]);
});

test('a nested primary key is a config_error', async () => {
  const run = await runWrite(fake, {
    catalog: catalog([{ name: 'Account', destination_sync_mode: 'append_dedup', primary_key: [['a', 'b']] }]),
    messages: [record('Account', { Name: 'x' })],
  });
  expect(run.result.code).toBe(1);
  expect(String(run.errors[0]?.message)).toMatch(/nested primary keys/);
});

test('stream status INCOMPLETE stops the sync with an error (as the Airbyte CDK)', async () => {
  const messages = [record('Account', { Name: 'a' }), streamStatus('Account', 'INCOMPLETE'), streamState('Account', 1, 1)];
  const run = await runWrite(fake, { catalog: catalog(['Account']), messages });
  expect(run.result.code).toBe(1);
  expect(String(run.errors[0]?.message)).toMatch(/INCOMPLETE/);
});

test('a failure ends the sync promptly even while stdin stays open', async () => {
  // Stdin is never ended: the CLI must exit on its own (startWrite fails the run after timeoutMs).
  const running = startWrite(fake, { config: { allow_failures: false }, catalog: catalog(['Account']), timeoutMs: 15_000 });
  running.send([record('Account', { Name: 'n', NumberOfEmployees: 'lots' })]);
  const { result } = await running.done;
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/DESTINATION_TYPECAST_ERROR/);
});

test("the org's daily API budget is already spent: the guard stops before any job, no 403 provoked, no state", async () => {
  fake.set({ dailyApiLimit: 1 });
  try {
    const messages = [record('Account', { Name: 'a' }), streamState('Account', 1, 1)];
    const run = await runWrite(fake, { catalog: catalog(['Account']), messages });
    expect(run.result.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatchObject({ failure_type: 'transient_error' });
    expect(String(run.errors[0]?.message)).toMatch(/1 of 1 daily API requests are used \(100%\), at or above max_api_usage_percent 90/);
    expect(run.states).toEqual([]);
    expect(fake.jobs()).toEqual([]);
    expect(fake.requests().map((r) => `${r.route} ${r.status}`)).toEqual(['oauth.token 200', 'limits 200']);
  } finally {
    fake.set({ dailyApiLimit: 100_000 });
  }
});

test('Salesforce answers REQUEST_LIMIT_EXCEEDED (spent by others between readings): transient_error saying so, no state', async () => {
  const body = JSON.stringify([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
  fake.injectFault({ route: 'ingest.create', status: 403, body, times: 10 });
  const messages = [record('Account', { Name: 'a' }), streamState('Account', 1, 1)];
  const run = await runWrite(fake, { catalog: catalog(['Account']), messages });
  expect(run.result.code).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatchObject({ failure_type: 'transient_error' });
  expect(String(run.errors[0]?.message)).toMatch(/REQUEST_LIMIT_EXCEEDED.*daily API or Bulk allowance is spent/);
  expect(run.states).toEqual([]);
  expect(fake.jobs()).toEqual([]);
  expect(fake.requests().some((r) => r.status === 403)).toBe(true);
});
