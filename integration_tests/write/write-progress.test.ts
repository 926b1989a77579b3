/**
 * Issue 15: progress LOG lines keep coming while ingest jobs drain in Salesforce after stdin has
 * ended (not only as input arrives), with the jobs' states and processed counts; the end-of-sync
 * summary stays. The stand-in holds each job queued (processingDelayMs) and processes it slowly.
 */
import { catalog, expectStatesEchoed, explain, record, runWrite, startFake, streamState, type Msg } from './write-helpers';
import { useFakeSalesforce } from '../helpers/test-env';

const fake = useFakeSalesforce({ start: () => startFake({ processingDelayMs: 1500, recordsPerSecond: 10 }), reset: false });

test('progress lines while jobs drain after stdin ended: rows read, jobs queued/processing with processed counts', async () => {
  const messages: Msg[] = [];
  for (let i = 1; i <= 40; i += 1) messages.push(record('Account', { Name: `acct ${i}` }));
  messages.push(streamState('Account', 1, 40));
  const run = await runWrite(fake, {
    config: { bulk_job_max_rows: 20, max_jobs_in_flight: 2 },
    catalog: catalog(['Account']),
    messages,
    env: { DESTINATION_SALESFORCE_PROGRESS_SECONDS: '0.3' },
  });
  expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
  expectStatesEchoed(run, messages);

  // Every row was read (stdin was written whole and closed at once) and jobs were still in Salesforce.
  const draining = run.logs.filter((l) => l.startsWith('Progress: 40 rows read') && l.includes('Ingest jobs in Salesforce:'));
  expect(draining.length).toBeGreaterThanOrEqual(3);
  const counts = draining.map((l) => {
    const m = /(\d+) uploading, (\d+) queued, (\d+) processing \((\d+) rows processed, (\d+) failed so far\)/.exec(l);
    expect(m).not.toBeNull();
    return { queued: Number(m?.[2]), processing: Number(m?.[3]), processed: Number(m?.[4]) };
  });
  expect(counts.some((c) => c.queued > 0)).toBe(true);
  expect(counts.some((c) => c.processing > 0)).toBe(true);
  expect(counts.every((c) => c.processed >= 0 && c.processed <= 40)).toBe(true);

  // The summary stays, after the last progress line.
  const last = run.logs.length - 1;
  expect(run.logs[last]).toMatch(/^Write finished in .*40 rows loaded/);
  expect(run.logs.findLastIndex((l) => l.startsWith('Progress:'))).toBeLessThan(last);
});
