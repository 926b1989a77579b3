/**
 * Issue 15: the API budget guard. The connector reads /limits at the start and Sforce-Limit-Info on
 * every reply; once the org's daily API usage reaches max_api_usage_percent it makes no new call
 * (only the calls settling the job in flight), echoes the STATEs of the rows loaded, and stops with
 * a transient_error — before Salesforce's own limit is hit. `check` logs what is left.
 */
import { ofType, runCli, writeTempJson } from '../helpers/cli';
import { useFakeSalesforce } from '../helpers/test-env';
import { catalog, expectStatesEchoed, record, runWrite, startFake, streamState, type Msg } from './write-helpers';

const fake = useFakeSalesforce({ start: startFake });

/** Requests the stand-in counts against the daily API budget (it counts every authenticated data request). */
const SIGN_IN = new Set(['oauth.token', 'soap.login', 'versions']);
/** Calls that only settle a job already created. */
const SETTLING = new Set(['ingest.upload', 'ingest.patch', 'ingest.info', 'ingest.successfulResults', 'ingest.failedResults', 'ingest.unprocessedrecords']);

test('the guard stops a sync at max_api_usage_percent, before the daily limit: STATEs of loaded rows echoed, no new call after', async () => {
  const limit = 60;
  const percent = 50;
  fake.set({ dailyApiLimit: limit });
  try {
    const messages: Msg[] = [];
    for (let s = 1; s <= 12; s += 1) {
      for (let i = 1; i <= 5; i += 1) messages.push(record('Account', { Name: `acct ${s}-${i}` }));
      messages.push(streamState('Account', s, 5));
    }
    const run = await runWrite(fake, {
      config: { max_api_usage_percent: percent, bulk_job_max_rows: 5, max_jobs_in_flight: 1 },
      catalog: catalog(['Account']),
      messages,
    });
    expect(run.result.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatchObject({ failure_type: 'transient_error' });
    expect(String(run.errors[0]?.message)).toMatch(
      new RegExp(`(\\d+) of ${limit} daily API requests are used \\((\\d+)%\\), at or above max_api_usage_percent ${percent}\\. Salesforce counts them over a rolling 24 hours`),
    );

    // STATEs for the rows loaded, in order, each adding up; the org holds exactly those rows.
    expect(run.states.length).toBeGreaterThanOrEqual(1);
    expect(run.states.length).toBeLessThan(12);
    expectStatesEchoed(run, messages, { all: false });
    expect(fake.records('Account')).toHaveLength(5 * run.states.length);
    expect(fake.jobs().every((j) => j.state === 'JobComplete')).toBe(true); // nothing left open

    // Counted at the stand-in: Salesforce's own limit was never reached (no 403) ...
    const requests = fake.requests();
    expect(requests.filter((r) => r.status === 403)).toEqual([]);
    // ... and once usage reached the threshold, every later call only settled the job in flight.
    let used = 0;
    const after: string[] = [];
    for (const r of requests) {
      if (used * 100 >= limit * percent) after.push(r.route);
      if (!SIGN_IN.has(r.route)) used += 1;
    }
    expect(used).toBeLessThan(limit);
    expect(after.filter((route) => !SETTLING.has(route))).toEqual([]);
    expect(requests.filter((r) => r.route === 'ingest.create')).toHaveLength(fake.jobs().length);
  } finally {
    fake.set({ dailyApiLimit: 100_000 });
  }
});

test('check logs the remaining daily API requests and Bulk API batches', async () => {
  const result = await runCli(['check', '--config', writeTempJson(fake.config, 'config.json')]);
  expect(ofType(result, 'CONNECTION_STATUS')[0]?.connectionStatus).toEqual({ status: 'SUCCEEDED' });
  const line = ofType(result, 'LOG').map((m) => String(m.log.message)).find((m) => m.startsWith('Salesforce daily allowances'));
  // /limits is the first counted call: 1 of 100000 used when it answers.
  expect(line).toBe(
    'Salesforce daily allowances (rolling 24 hours): API requests: 99999 of 100000 remaining (0% used); ' +
      'Bulk API batches: 15000 of 15000 remaining (0% used). New calls stop at max_api_usage_percent 90%.',
  );
});
