import { ConnectorError } from '../../src/errors';
import type { BulkIngestClient } from '../../src/salesforce/bulk-ingest-client';
import type { JobInfo } from '../../src/salesforce/types';
import { toCsv } from '../../src/write/csv-chunker';
import { JobRunner, type ChunkSpec, type JobRunnerOptions } from '../../src/write/job-runner';

/** A scripted client: each job's final state and result CSVs come from `script(jobNumber)`. */
function scriptedClient(script: (n: number) => { state: JobInfo['state']; successful?: string; failed?: string; unprocessed?: string; errorMessage?: string; never?: boolean }) {
  const calls: string[] = [];
  let n = 0;
  const jobs = new Map<string, ReturnType<typeof script>>();
  const client = {
    createJob: async () => {
      n += 1;
      const id = `750J${n}`;
      jobs.set(id, script(n));
      calls.push(`create ${id}`);
      return { id, state: 'Open', object: 'Account', operation: 'insert' } as JobInfo;
    },
    upload: async (id: string) => void calls.push(`upload ${id}`),
    close: async (id: string) => {
      calls.push(`close ${id}`);
      return { id, state: 'UploadComplete' } as JobInfo;
    },
    abort: async (id: string) => {
      calls.push(`abort ${id}`);
      return { id, state: 'Aborted' } as JobInfo;
    },
    getInfo: async (id: string) => {
      const s = jobs.get(id)!;
      return { id, object: 'Account', operation: 'insert', state: s.never ? 'InProgress' : s.state, ...(s.errorMessage ? { errorMessage: s.errorMessage } : {}) } as JobInfo;
    },
    successfulResults: async (id: string) => Buffer.from(jobs.get(id)!.successful ?? '"sf__Id","sf__Created",Name\n'),
    failedResults: async (id: string) => Buffer.from(jobs.get(id)!.failed ?? '"sf__Id","sf__Error",Name\n'),
    unprocessedRecords: async (id: string) => {
      calls.push(`unprocessed ${id}`);
      return Buffer.from(jobs.get(id)!.unprocessed ?? 'Name\n');
    },
  };
  return { client: client as unknown as BulkIngestClient, calls };
}

function options(extra: Partial<JobRunnerOptions> = {}): JobRunnerOptions {
  let clock = 0;
  return {
    pollInitialMs: 250, pollMaxMs: 10_000, deadlineMs: 60_000, jobAttempts: 3, rowAttempts: 3, rowRetryBackoffMs: 1,
    sleep: async (ms) => void (clock += ms), now: () => clock, log: () => undefined, ...extra,
  };
}

function spec(names: string[]): ChunkSpec {
  const rows = names.map((Name) => [Name]);
  return { object: 'Account', operation: 'insert', columns: ['Name'], rows, csv: toCsv(['Name'], rows), types: new Map([['Name', 'string']]) };
}

test('transient row errors go again in a follow-up job with only those rows; others are final', async () => {
  const { client, calls } = scriptedClient((n) =>
    n === 1
      ? {
          state: 'JobComplete',
          successful: '"sf__Id","sf__Created",Name\n"001A","true","a"\n',
          failed: '"sf__Id","sf__Error",Name\n"","UNABLE_TO_LOCK_ROW:unable to obtain exclusive access:--","b"\n"","REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --","c"\n',
        }
      : { state: 'JobComplete', successful: '"sf__Id","sf__Created",Name\n"001B","true","b"\n' },
  );
  const result = await new JobRunner(client, options()).run(spec(['a', 'b', 'c']));
  expect(result.jobIds).toEqual(['750J1', '750J2']);
  expect(result.rows).toEqual([
    { kind: 'loaded', id: '001A', created: true, jobId: '750J1', attempts: 1 },
    { kind: 'loaded', id: '001B', created: true, jobId: '750J2', attempts: 2 },
    { kind: 'rejected', code: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'], jobId: '750J1', attempts: 1 },
  ]);
  expect(calls.filter((c) => c.startsWith('upload'))).toEqual(['upload 750J1', 'upload 750J2']);
});

test('transient row errors stop being retried after rowAttempts', async () => {
  const { client } = scriptedClient(() => ({ state: 'JobComplete', failed: '"sf__Id","sf__Error",Name\n"","UNABLE_TO_LOCK_ROW:locked:--","a"\n' }));
  const result = await new JobRunner(client, options({ rowAttempts: 2 })).run(spec(['a']));
  expect(result.jobIds).toHaveLength(2);
  expect(result.rows[0]).toMatchObject({ kind: 'rejected', code: 'UNABLE_TO_LOCK_ROW', attempts: 2 });
});

test('a Failed job rejects its unprocessed rows with the job error; rows without any result are never loaded', async () => {
  const { client, calls } = scriptedClient(() => ({
    state: 'Failed',
    errorMessage: 'InvalidBatch : Field name not found : Foo',
    successful: '"sf__Id","sf__Created",Name\n"001A","true","a"\n',
    unprocessed: 'Name\nb\n',
  }));
  const result = await new JobRunner(client, options()).run(spec(['a', 'b', 'c']));
  expect(calls).toContain('unprocessed 750J1');
  expect(result.rows[0]).toMatchObject({ kind: 'loaded' });
  expect(result.rows[1]).toMatchObject({ kind: 'rejected', code: 'BULK_JOB_FAILED', message: expect.stringContaining('Field name not found') });
  expect(result.rows[2]).toMatchObject({ kind: 'rejected', code: 'DESTINATION_RESULT_MISSING' });
});

test('poll deadline: a system_error naming the job id; no row is reported', async () => {
  const { client } = scriptedClient(() => ({ state: 'JobComplete', never: true }));
  const err = await new JobRunner(client, options({ deadlineMs: 5_000 })).run(spec(['a'])).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConnectorError);
  expect((err as ConnectorError).failureType).toBe('system_error');
  expect((err as ConnectorError).message).toContain('750J1');
});

test('poll backoff starts fast and grows to the cap', async () => {
  const waits: number[] = [];
  let polls = 0;
  const { client } = scriptedClient(() => ({ state: 'JobComplete' }));
  const c = client as unknown as { getInfo: (id: string) => Promise<JobInfo> };
  const original = c.getInfo;
  c.getInfo = async (id) => (++polls < 12 ? ({ id, state: 'InProgress' } as JobInfo) : original(id));
  await new JobRunner(client, options({ sleep: async (ms) => void waits.push(ms) })).run(spec(['a']));
  expect(waits[0]).toBe(250);
  expect(waits[1]).toBe(375);
  expect(Math.max(...waits)).toBeLessThanOrEqual(10_000);
  expect(waits.slice(0, 11)).toEqual([...waits.slice(0, 11)].sort((a, b) => a - b));
});

test('a failed upload aborts that job and the chunk goes in a new job; never a second PUT to one job', async () => {
  const { client, calls } = scriptedClient(() => ({ state: 'JobComplete', successful: '"sf__Id","sf__Created",Name\n"001A","true","a"\n' }));
  let uploads = 0;
  (client as unknown as { upload: (id: string) => Promise<void> }).upload = async (id) => {
    calls.push(`upload ${id}`);
    if (++uploads === 1) throw new Error('socket hang up');
  };
  const result = await new JobRunner(client, options()).run(spec(['a']));
  expect(calls.slice(0, 4)).toEqual(['create 750J1', 'upload 750J1', 'abort 750J1', 'create 750J2']);
  expect(calls.filter((c) => c === 'upload 750J1')).toHaveLength(1);
  expect(result.rows[0]).toMatchObject({ kind: 'loaded', jobId: '750J2' });
});

test('a close that fails but went through is not redone; one that did not is aborted and redone', async () => {
  const { client, calls } = scriptedClient(() => ({ state: 'JobComplete', successful: '"sf__Id","sf__Created",Name\n"001A","true","a"\n' }));
  const c = client as unknown as { close: (id: string) => Promise<JobInfo>; getInfo: (id: string) => Promise<JobInfo> };
  const getInfo = c.getInfo;
  let closes = 0;
  c.close = async (id) => {
    calls.push(`close ${id}`);
    closes += 1;
    throw new Error('timeout');
  };
  c.getInfo = async (id) => (closes === 1 && id === '750J1' ? ({ id, state: 'Open' } as JobInfo) : getInfo(id));
  const result = await new JobRunner(client, options()).run(spec(['a']));
  expect(calls).toContain('abort 750J1');
  expect(result.rows[0]).toMatchObject({ kind: 'loaded', jobId: '750J2' });
});

test('the poll schedule follows nextPollWait: 1 s at most while young, then 20 % of the time polled', async () => {
  const waits: number[] = [];
  let clock = 0;
  let polls = 0;
  const { client } = scriptedClient(() => ({ state: 'JobComplete' }));
  const c = client as unknown as { getInfo: (id: string) => Promise<JobInfo> };
  const original = c.getInfo;
  c.getInfo = async (id) => (++polls < 12 ? ({ id, state: 'InProgress' } as JobInfo) : original(id));
  const sleep = async (ms: number) => {
    waits.push(ms);
    clock += ms;
  };
  await new JobRunner(client, options({ sleep, now: () => clock })).run(spec(['a']));
  expect(waits).toEqual([250, 375, 563, 845, 1000, 1000, 1000, 1006, 1207, 1449, 1739, 2086]);
});

test('the runner takes the chunk CSV (so it can be freed after the upload) and re-serialises for a retry', async () => {
  const uploaded: string[] = [];
  const { client } = scriptedClient((n) =>
    n === 1
      ? { state: 'JobComplete', successful: '"sf__Id","sf__Created",Name\n"001A","true","a"\n', failed: '"sf__Id","sf__Error",Name\n"","UNABLE_TO_LOCK_ROW:locked:--","b"\n' }
      : { state: 'JobComplete', successful: '"sf__Id","sf__Created",Name\n"001B","true","b"\n' },
  );
  (client as unknown as { upload: (id: string, csv: Buffer) => Promise<void> }).upload = async (_id, csv) => void uploaded.push(csv.toString());
  const s = spec(['a', 'b']);
  const running = new JobRunner(client, options()).run(s);
  expect(s.csv).toBeUndefined();
  const result = await running;
  expect(uploaded).toEqual(['Name\na\nb', 'Name\nb']);
  expect(result.rows.map((r) => r.kind)).toEqual(['loaded', 'loaded']);
});

describe('a close whose outcome cannot be read', () => {
  const loadedA = '"sf__Id","sf__Created",Name\n"001A","true","a"\n';

  function closeFails(readable: (id: string, reads: number) => JobInfo | undefined) {
    const { client, calls } = scriptedClient(() => ({ state: 'JobComplete', successful: loadedA }));
    const c = client as unknown as { close: (id: string) => Promise<JobInfo>; getInfo: (id: string) => Promise<JobInfo> };
    const getInfo = c.getInfo;
    let reads = 0;
    c.close = async (id) => {
      calls.push(`close ${id}`);
      throw new Error('socket hang up');
    };
    c.getInfo = async (id) => {
      if (id !== '750J1') return getInfo(id);
      reads += 1;
      const info = readable(id, reads);
      if (!info) throw new Error('socket hang up');
      return info;
    };
    return { client, calls };
  }

  test('the job still cannot be read after the abort: the sync stops, the chunk is never sent again', async () => {
    const { client, calls } = closeFails(() => undefined);
    await expect(new JobRunner(client, options()).run(spec(['a']))).rejects.toMatchObject({
      failureType: 'transient_error',
      message: expect.stringMatching(/rather than risk writing its rows twice/),
    });
    expect(calls.filter((c) => c.startsWith('create'))).toEqual(['create 750J1']);
  });

  test('after the abort it shows it processed rows: it is polled and its results used, not redone', async () => {
    const { client, calls } = closeFails((id, reads) =>
      reads === 1 ? undefined : ({ id, object: 'Account', operation: 'insert', state: 'JobComplete', numberRecordsProcessed: 1 } as JobInfo),
    );
    const result = await new JobRunner(client, options()).run(spec(['a']));
    expect(calls.filter((c) => c.startsWith('create'))).toEqual(['create 750J1']);
    expect(result.rows[0]).toMatchObject({ kind: 'loaded', jobId: '750J1' });
  });

  test('after the abort it shows it processed nothing: the chunk goes in a new job', async () => {
    const { client, calls } = closeFails((id, reads) => (reads === 1 ? undefined : ({ id, state: 'Aborted', numberRecordsProcessed: 0 } as JobInfo)));
    const result = await new JobRunner(client, options()).run(spec(['a']));
    expect(calls.filter((c) => c.startsWith('create'))).toEqual(['create 750J1', 'create 750J2']);
    expect(result.rows[0]).toMatchObject({ kind: 'loaded', jobId: '750J2' });
  });
});
