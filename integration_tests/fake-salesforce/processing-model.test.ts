/**
 * The processing model (README "Processing model"): batches of all jobs share the org's slots, timed-out batches are
 * retried until the job fails, daily limits fail jobs. Assertions use the model's own clock (closedAt / startedAt /
 * finishedAt of fake.jobs()), which real timer lag does not move, so machine load cannot make them flaky.
 */
import { call, createJob, lines, runJob, useFake, waitForJob } from './test-helpers';

const { fake, token } = useFake({ processingDelayMs: 5, resultOrder: 'upload' });
beforeEach(() => {
  fake.set({
    processingDelayMs: 5, recordsPerSecond: undefined, batchSize: undefined, parallelBatches: undefined,
    batchTimeLimitMs: undefined, batchRetries: undefined, dailyBulkBatchLimit: undefined, dailyBulkRecordLimit: undefined,
  });
});

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const csvOf = (rows: string[]) => `Name\n${rows.join('\n')}\n`;

describe('batches of several jobs share the org-wide pool', () => {
  it('3 jobs × 25,000 rows, 4 slots, 10,000-row batches: finish when the model predicts, not as if each ran alone', async () => {
    const rate = 10_000; // rows per second per batch → a 10,000-row batch runs d = 1 s
    const d = (10_000 / rate) * 1000;
    const delay = 20;
    fake.set({ parallelBatches: 4, recordsPerSecond: rate, processingDelayMs: delay });
    const ids: string[] = [];
    for (const p of ['A', 'B', 'C']) {
      const id = await createJob(fake, token(), { object: 'Account', operation: 'insert' });
      const put = await call(fake, token(), 'PUT', `jobs/ingest/${id}/batches`, csvOf(names(p, 25_000)), { 'Content-Type': 'text/csv' });
      expect(put.status).toBe(201);
      ids.push(id);
    }
    await Promise.all(ids.map((id) => call(fake, token(), 'PATCH', `jobs/ingest/${id}`, { state: 'UploadComplete' })));
    for (const id of ids) expect((await waitForJob(fake, token(), id, 60_000)).info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 25_000 });

    const jobs = ids.map((id) => fake.jobs().find((j) => j.id === id) as { closedAt: number; finishedAt: number });
    const ready = jobs.map((j) => j.closedAt + delay);
    const first = Math.min(...ready);
    const last = Math.max(...ready);
    const end = Math.max(...jobs.map((j) => j.finishedAt));
    // The first job ready has the idle pool to itself: its three batches (10k, 10k, 5k) run side by side → done after d.
    const firstJob = jobs[ready.indexOf(first)] as { finishedAt: number };
    expect(firstJob.finishedAt - first).toBeCloseTo(d, 0);
    // 7.5 batch-lengths of work on 4 slots: at least 1.875 d after the first job was ready (one slot per batch would
    // need only d, one slot 7.5 d) …
    expect(end - first).toBeGreaterThanOrEqual(1.875 * d - 1);
    // … and at most 2 d after the last was ready: every batch ahead of the last job's is ≤ d long and started by then.
    expect(end - last).toBeLessThanOrEqual(2 * d + 1);
    expect(fake.records('Account')).toHaveLength(75_000);
  }, 120_000);

  it('numberRecordsProcessed grows as the batches of a job run (one slot: batch after batch)', async () => {
    // 3 batches of 100 rows at 100 rows/s on one slot: 3 s in all, ≥ 2 s with some but not all rows processed.
    fake.set({ parallelBatches: 1, batchSize: 100, recordsPerSecond: 100 });
    const id = await createJob(fake, token(), { object: 'Account', operation: 'insert' });
    await call(fake, token(), 'PUT', `jobs/ingest/${id}/batches`, csvOf(names('G', 300)), { 'Content-Type': 'text/csv' });
    await call(fake, token(), 'PATCH', `jobs/ingest/${id}`, { state: 'UploadComplete' });
    const seen = new Set<number>();
    const deadline = Date.now() + 60_000;
    while (!seen.has(300) && Date.now() < deadline) {
      seen.add(((await call(fake, token(), 'GET', `jobs/ingest/${id}`)).json() as { numberRecordsProcessed: number }).numberRecordsProcessed);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect([...seen].some((n) => n > 0 && n < 300)).toBe(true);
    expect(seen.has(300)).toBe(true);
  });
});

describe('retries', () => {
  it('a batch over the time limit is retried; past batchRetries the job is Failed, its rows in unprocessedrecords', async () => {
    // 100-row batches at 1,000 rows/s run 100 ms > 60 ms: always time out; the 50-row batch (50 ms) completes.
    fake.set({ batchSize: 100, recordsPerSecond: 1000, batchTimeLimitMs: 60, batchRetries: 2 });
    const rows = names('R', 150);
    const run = await runJob(fake, token(), { object: 'Account', operation: 'insert' }, csvOf(rows));
    expect(run.info).toMatchObject({
      state: 'Failed',
      numberRecordsProcessed: 50,
      numberRecordsFailed: 0,
      retries: 2,
      errorMessage: 'InternalServerError : Batch failed after the maximum number of processing retries',
    });
    expect(lines(run.unprocessed)).toEqual(['Name', ...rows.slice(0, 100).map((r) => `"${r}"`)]);
    expect(lines(run.success).slice(1).map((l) => l.split(',')[2])).toEqual(rows.slice(100).map((r) => `"${r}"`));
    const job = fake.jobs()[0] as { startedAt: number; finishedAt: number };
    // three attempts of 60 ms each, back to back (the pool is otherwise idle)
    expect(job.finishedAt - job.startedAt).toBeCloseTo(180, 0);
  });
});

describe('daily limits', () => {
  it('DailyBulkApiBatches exhausted: the job is Failed with ExceededQuota, the rest unprocessed; /limits says 0 remaining', async () => {
    fake.set({ batchSize: 100, parallelBatches: 1, dailyBulkBatchLimit: 1 });
    const run = await runJob(fake, token(), { object: 'Account', operation: 'insert' }, csvOf(names('Q', 150)));
    expect(run.info).toMatchObject({
      state: 'Failed',
      numberRecordsProcessed: 100,
      errorMessage: 'ExceededQuota : The job or batch you tried to create exceeds the allowed number for the past 24-hour period',
    });
    expect(lines(run.unprocessed)).toHaveLength(51);
    const limits = (await call(fake, token(), 'GET', 'limits')).json() as { DailyBulkApiBatches: { Max: number; Remaining: number } };
    expect(limits.DailyBulkApiBatches).toEqual({ Max: 1, Remaining: 0 });
  });

  it('records per 24 h exhausted mid-job: processed rows keep their results, the job is Failed, the rest unprocessed', async () => {
    fake.set({ dailyBulkRecordLimit: 120 });
    const run = await runJob(fake, token(), { object: 'Account', operation: 'insert' }, csvOf(names('L', 150)));
    expect(run.info).toMatchObject({ state: 'Failed', numberRecordsProcessed: 120 });
    expect(String(run.info.errorMessage)).toMatch(/^ExceededQuota : /);
    expect(lines(run.success)).toHaveLength(121);
    expect(lines(run.unprocessed)).toHaveLength(31);
  });
});

describe('job info while a job processes', () => {
  it('systemModstamp never runs ahead of the clock, however many batches count rows in the same millisecond', async () => {
    // 10 batches of 100 rows side by side at 200 rows/s: each counts rows every 5 ms for 0.5 s (2 counts a millisecond).
    fake.set({ parallelBatches: 10, batchSize: 100, recordsPerSecond: 200 });
    const id = await createJob(fake, token(), { object: 'Account', operation: 'insert' });
    await call(fake, token(), 'PUT', `jobs/ingest/${id}/batches`, csvOf(names('M', 1_000)), { 'Content-Type': 'text/csv' });
    await call(fake, token(), 'PATCH', `jobs/ingest/${id}`, { state: 'UploadComplete' });
    const { info } = await waitForJob(fake, token(), id, 20_000);
    expect(info.state).toBe('JobComplete');
    expect(Date.parse(String(info.systemModstamp).replace(/\+0000$/, 'Z'))).toBeLessThanOrEqual(Date.now());
  }, 30_000);
});
