/** Several streams, chunking, global states, COMPLETE status and max_state_delay_seconds. */
import { useFakeSalesforce } from '../helpers/test-env';
import { startWrite } from './running-write';
import {
  catalog, expectNothingLost, expectStatesEchoed, globalState, record, runWrite, startFake, streamState, streamStatus, type Msg,
} from './write-helpers';

const fake = useFakeSalesforce({ start: startFake });

test('interleaved streams with per-stream states: each state waits for its own stream only, all echoed in order', async () => {
  const messages: Msg[] = [];
  for (let i = 0; i < 30; i++) {
    messages.push(record('Account', { Name: `A${i}` }));
    messages.push(record('Contact', { LastName: `C${i}`, Email: `c${i}@example.com` }));
    if (i % 7 === 6) messages.push(streamState('Account', i, 7), streamState('Contact', i, 7));
  }
  messages.push(streamState('Account', 'end', 2), streamState('Contact', 'end', 2));
  const run = await runWrite(fake, { catalog: catalog(['Account', 'Contact']), messages });
  expect(run.result.code).toBe(0);
  expectStatesEchoed(run, messages);
  expectNothingLost(run, messages, fake.records('Account'), { key: 'Name', stream: 'Account', expectRejected: 0 });
  expectNothingLost(run, messages, fake.records('Contact'), { key: 'LastName', stream: 'Contact', expectRejected: 0 });
  expect(fake.records('Account')).toHaveLength(30);
  expect(fake.records('Contact')).toHaveLength(30);
});

test('chunking under a small bulk_job_max_mb: several jobs, none over the limit, one PUT each, a late field kept', async () => {
  const messages: Msg[] = [];
  for (let i = 0; i < 300; i++) {
    messages.push(record('Account', { Name: `Account number ${i}`, ...(i === 295 ? { Description: 'only in row 95' } : {}) }));
    if (i % 100 === 99) messages.push(streamState('Account', i, 100));
  }
  const run = await runWrite(fake, { config: { bulk_job_max_mb: 0.001, max_jobs_in_flight: 2 }, catalog: catalog(['Account']), messages });
  expect(run.result.code).toBe(0);
  const jobs = fake.jobs();
  expect(jobs.length).toBeGreaterThan(5);
  for (const j of jobs) {
    expect(j.puts).toBe(1);
    expect(j.uploadedBytes).toBeLessThanOrEqual(0.001 * 1024 * 1024);
  }
  const org = fake.records('Account');
  expect(org).toHaveLength(300);
  expect(org.find((r) => r.Name === 'Account number 295')).toMatchObject({ Description: 'only in row 95' });
  expectStatesEchoed(run, messages);
  expectNothingLost(run, messages, org, { key: 'Name', expectRejected: 0 });
});

test('open chunks of all streams share one bulk_job_max_mb: the largest is sent when together they reach it', async () => {
  // Each stream's rows alone (~5.5 KB of CSV) fit one 10 KB job; interleaved, together they do not.
  const limit = 0.01 * 1024 * 1024;
  const messages: Msg[] = [];
  for (let i = 0; i < 120; i++) {
    messages.push(record('Account', { Name: `Account ${String(i).padStart(3, '0')} with a name long enough to count` }));
    messages.push(record('Contact', { LastName: `Contact ${String(i).padStart(3, '0')} with a long last name`, Email: `c${i}@example.com` }));
  }
  messages.push(streamState('Account', 'end', 120), streamState('Contact', 'end', 120));
  const run = await runWrite(fake, { config: { bulk_job_max_mb: 0.01 }, catalog: catalog(['Account', 'Contact']), messages });
  expect(run.result.code).toBe(0);
  const jobs = fake.jobs();
  for (const object of ['Account', 'Contact']) {
    const bytes = jobs.filter((j) => j.object === object).reduce((a, j) => a + j.uploadedBytes, 0);
    expect(bytes).toBeLessThan(limit); // one stream alone would make a single job
  }
  expect(jobs.length).toBeGreaterThan(2); // ... but one was sent before the input ended
  for (const j of jobs) expect(j.uploadedBytes).toBeLessThanOrEqual(limit);
  expectStatesEchoed(run, messages);
  expectNothingLost(run, messages, fake.records('Account'), { key: 'Name', stream: 'Account', expectRejected: 0 });
  expectNothingLost(run, messages, fake.records('Contact'), { key: 'LastName', stream: 'Contact', expectRejected: 0 });
});

test('GLOBAL states cover every stream', async () => {
  const messages = [
    record('Account', { Name: 'g1' }),
    record('Lead', { LastName: 'l1', Company: 'Co' }),
    globalState(1, 2),
    record('Lead', { LastName: 'l2' }), // no Company: rejected by Salesforce
    globalState(2, 1),
  ];
  const run = await runWrite(fake, { catalog: catalog(['Account', 'Lead']), messages });
  expect(run.result.code).toBe(0);
  expectStatesEchoed(run, messages);
  expect(run.states.map((s) => s.destinationStats)).toEqual([
    { recordCount: 2, rejectedRecordCount: 0 },
    { recordCount: 0, rejectedRecordCount: 1 },
  ]);
});

test('a stream namespace is part of its identity', async () => {
  const messages = [record('Account', { Name: 'ns' }, 'crm'), { type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'Account', namespace: 'crm' } }, id: 77 } }];
  const run = await runWrite(fake, { catalog: catalog([{ name: 'Account', namespace: 'crm' }]), messages });
  expect(run.result.code).toBe(0);
  expect(run.states).toEqual([expect.objectContaining({ id: 77, destinationStats: { recordCount: 1, rejectedRecordCount: 0 } })]);
});

/** Runs write with stdin kept open (allow_failures at its default, off); the first STATE echoed and when. */
async function firstStateWhileStdinOpen(config: Msg, cat: Msg, messages: Msg[], timeoutMs: number): Promise<{ state: Msg; elapsedMs: number }> {
  const running = startWrite(fake, { config: { allow_failures: false, ...config }, catalog: cat });
  const started = Date.now();
  running.send(messages);
  let elapsedMs: number;
  try {
    await running.waitForStates(1, timeoutMs);
    elapsedMs = Date.now() - started;
  } finally {
    running.cli.child.kill('SIGKILL');
  }
  const run = await running.done; // every stdout line is a valid AirbyteMessage
  return { state: run.states[0] as Msg, elapsedMs };
}

test('max_state_delay_seconds: a waiting state is released while stdin stays open', async () => {
  const messages = [record('Account', { Name: 'delayed 1' }), record('Account', { Name: 'delayed 2' }), streamState('Account', 1, 2)];
  const { state, elapsedMs } = await firstStateWhileStdinOpen(
    { ...fake.config, max_state_delay_seconds: 1 }, catalog(['Account']), messages, 15_000,
  );
  expect(state.destinationStats).toEqual({ recordCount: 2, rejectedRecordCount: 0 });
  expect(elapsedMs).toBeGreaterThanOrEqual(900);
  expect(fake.records('Account')).toHaveLength(2);
});

test('stream status COMPLETE sends the stream at once (stdin still open, long state delay)', async () => {
  const messages = [record('Account', { Name: 'complete 1' }), streamState('Account', 1, 1), streamStatus('Account', 'COMPLETE')];
  const { state, elapsedMs } = await firstStateWhileStdinOpen({ ...fake.config, max_state_delay_seconds: 600 }, catalog(['Account']), messages, 15_000);
  expect(state.destinationStats).toEqual({ recordCount: 1, rejectedRecordCount: 0 });
  expect(elapsedMs).toBeLessThan(15_000);
});
