import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { ConnectorError } from '../../src/errors';
import type { BulkIngestClient, ResultKind } from '../../src/salesforce/bulk-ingest-client';
import type { ReplayableBody } from '../../src/salesforce/salesforce-api';
import { useChunkDir } from './chunk-dir-fixture';
import { SalesforceApiError } from '../../src/salesforce/salesforce-errors';
import type { JobInfo } from '../../src/salesforce/types';
import { BulkChunkExecutor, type BulkExecutorOptions } from '../../src/write/execute/bulk-executor';
import { type ChunkOutcome, type ChunkWork, settledRows } from '../../src/write/execute/chunk-executor';

interface Script {
  state?: JobInfo['state'];
  errorMessage?: string;
  /** Names that fail, with their sf__Error. */
  failed?: Record<string, string>;
  /** Names left unprocessed (Failed / Aborted jobs). */
  unprocessed?: string[];
  never?: boolean;
}

const q = (v: string) => `"${v.replace(/"/g, '""')}"`;

async function streamText(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(p as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** A scripted client over one column `Name`: per job, which names fail or stay unprocessed; the rest load. */
function scriptedClient(script: (n: number, names: string[]) => Script) {
  const calls: string[] = [];
  const jobs = new Map<string, { names: string[]; s: Script }>();
  let n = 0;
  const client = {
    createJob: async () => {
      n += 1;
      const id = `750J${n}`;
      calls.push(`create ${id}`);
      jobs.set(id, { names: [], s: {} });
      return { id, state: 'Open', object: 'Account', operation: 'insert' } as JobInfo;
    },
    upload: async (id: string, csv: Buffer | ReplayableBody) => {
      calls.push(`upload ${id}`);
      const text = Buffer.isBuffer(csv) ? csv.toString() : await streamText(csv.open());
      const names = Papa.parse<string[]>(text, { skipEmptyLines: true }).data.slice(1).map((r) => r[0] as string);
      jobs.set(id, { names, s: script(Number(id.slice(4)), names) });
    },
    close: async (id: string) => void calls.push(`close ${id}`),
    abort: async (id: string) => void calls.push(`abort ${id}`),
    getInfo: async (id: string) => {
      const { names, s } = jobs.get(id) as { names: string[]; s: Script };
      const unprocessed = s.unprocessed?.length ?? 0;
      return {
        id, object: 'Account', operation: 'insert', state: s.never ? 'InProgress' : (s.state ?? 'JobComplete'),
        numberRecordsProcessed: names.length - unprocessed, numberRecordsFailed: Object.keys(s.failed ?? {}).filter((k) => names.includes(k)).length,
        ...(s.errorMessage ? { errorMessage: s.errorMessage } : {}),
      } as JobInfo;
    },
    streamResults: async (id: string, kind: ResultKind, sink: (body: AsyncIterable<Buffer>) => Promise<void>) => {
      calls.push(`${kind} ${id}`);
      const { names, s } = jobs.get(id) as { names: string[]; s: Script };
      const failed = Object.entries(s.failed ?? {}).filter(([k]) => names.includes(k));
      const text =
        kind === 'failedResults' ? `"sf__Id","sf__Error",Name\n${failed.map(([k, e]) => `"","${e}",${q(k)}\n`).join('')}`
        : kind === 'unprocessedrecords' ? `Name\n${(s.unprocessed ?? []).map((k) => `${q(k)}\n`).join('')}`
        : `"sf__Id","sf__Created",Name\n${names.filter((k) => !(s.unprocessed ?? []).includes(k) && !failed.some(([f]) => f === k)).map((k) => `"001","true",${q(k)}\n`).join('')}`;
      await sink(Readable.from([Buffer.from(text)]));
    },
  };
  return { client: client as unknown as BulkIngestClient, calls };
}

function options(extra: Partial<BulkExecutorOptions> = {}): BulkExecutorOptions {
  let clock = 0;
  return {
    pollInitialMs: 250, pollMaxMs: 10_000, deadlineMs: 60_000, jobAttempts: 3, rowAttempts: 3, rowRetryBackoffMs: 1, resendWaitMs: 1,
    sleep: async (ms) => void (clock += ms), now: () => clock, log: () => undefined, ...extra,
  };
}

function work(names: string[]): ChunkWork<{ cells: string[]; name: string }> {
  return { object: 'Account', operation: 'insert', columns: ['Name'], rows: names.map((name) => ({ cells: [name], name })), types: new Map([['Name', 'string']]) };
}

const outcomes = (r: ChunkOutcome<{ name: string }>) =>
  Object.fromEntries(settledRows(r.settled).map((s) => [s.row.name, s.result.kind === 'loaded' ? 'loaded' : s.result.code]));

test('count first: a job with nothing failed downloads no result CSV', async () => {
  const { client, calls } = scriptedClient(() => ({}));
  const r = await new BulkChunkExecutor(client, options()).run(work(['a', 'b']));
  expect(outcomes(r)).toEqual({ a: 'loaded', b: 'loaded' });
  expect(calls.filter((c) => /Results|records/.test(c))).toEqual([]);
});

test('failed rows: only failedResults is read; lock errors go again in a follow-up job', async () => {
  const { client, calls } = scriptedClient((n) => (n === 1 ? { failed: { b: 'UNABLE_TO_LOCK_ROW:locked:--', c: 'REQUIRED_FIELD_MISSING:missing:Name --' } } : {}));
  const r = await new BulkChunkExecutor(client, options()).run(work(['a', 'b', 'c']));
  expect(outcomes(r)).toEqual({ a: 'loaded', b: 'loaded', c: 'REQUIRED_FIELD_MISSING' });
  expect(r.jobIds).toEqual(['750J1', '750J2']);
  expect(calls.filter((c) => /Results|records/.test(c))).toEqual(['failedResults 750J1']);
});

test('a job Failed for a platform reason: unprocessed rows go again, none rejected', async () => {
  const { client } = scriptedClient((n) => (n === 1 ? { state: 'Failed', errorMessage: 'InternalServerError : retries exhausted', unprocessed: ['b', 'c', 'd'] } : {}));
  const r = await new BulkChunkExecutor(client, options()).run(work(['a', 'b', 'c', 'd']));
  expect(outcomes(r)).toEqual({ a: 'loaded', b: 'loaded', c: 'loaded', d: 'loaded' });
  expect(r.jobIds).toHaveLength(3); // the failed job, then its unprocessed rows halved
});

test('a row that makes every job it is in fail is isolated and is the only row rejected', async () => {
  const names = Array.from({ length: 16 }, (_, i) => `r${i}`);
  const { client } = scriptedClient((_n, sent) =>
    sent.includes('r11') ? { state: 'Failed', errorMessage: 'InternalServerError', unprocessed: sent.slice(sent.indexOf('r11')) } : {},
  );
  const r = await new BulkChunkExecutor(client, options()).run(work(names));
  const result = outcomes(r);
  expect(Object.entries(result).filter(([, o]) => o !== 'loaded')).toEqual([['r11', 'BULK_JOB_FAILED']]);
  expect(Object.keys(result)).toHaveLength(16);
});

test('every job failing (an outage) rejects nothing: transient_error once the bound is reached', async () => {
  const { client } = scriptedClient((_n, sent) => ({ state: 'Failed', errorMessage: 'InternalServerError', unprocessed: sent }));
  const err = await new BulkChunkExecutor(client, options()).run(work(['a', 'b', 'c', 'd'])).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConnectorError);
  expect((err as ConnectorError).failureType).toBe('transient_error');
});

test('a job Failed on a daily limit ends the sync with transient_error; on a bad column with config_error', async () => {
  const limit = scriptedClient(() => ({ state: 'Failed', errorMessage: 'ExceededQuota : daily limit', unprocessed: ['a'] }));
  await expect(new BulkChunkExecutor(limit.client, options()).run(work(['a']))).rejects.toMatchObject({ failureType: 'transient_error' });
  const column = scriptedClient(() => ({ state: 'Failed', errorMessage: 'InvalidBatch : Field name not found : Foo', unprocessed: ['a'] }));
  await expect(new BulkChunkExecutor(column.client, options()).run(work(['a']))).rejects.toMatchObject({ failureType: 'config_error', message: expect.stringContaining('Field name not found') });
});

test('an upload refused with REQUEST_LIMIT_EXCEEDED rejects nothing; a concurrency refusal is re-sent', async () => {
  const refuse = (message: string) => new SalesforceApiError({ message: 'x', failureType: 'transient_error', status: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED', salesforceMessage: message });
  const daily = scriptedClient(() => ({}));
  (daily.client as unknown as { upload: () => Promise<void> }).upload = async () => Promise.reject(refuse('TotalRequests Limit exceeded.'));
  await expect(new BulkChunkExecutor(daily.client, options()).run(work(['a']))).rejects.toMatchObject({ failureType: 'transient_error' });
  expect(daily.calls).toContain('abort 750J1');
  const busy = scriptedClient(() => ({}));
  const c = busy.client as unknown as { upload: (id: string, csv: Buffer) => Promise<void> };
  const upload = c.upload;
  let n = 0;
  c.upload = async (id, csv) => (++n === 1 ? Promise.reject(refuse('ConcurrentPerOrgLongTxn Limit exceeded.')) : upload(id, csv));
  const r = await new BulkChunkExecutor(busy.client, options()).run(work(['a']));
  expect(outcomes(r)).toEqual({ a: 'loaded' });
});

test('an upload too large is split; a single row still too large is rejected', async () => {
  const { client } = scriptedClient(() => ({}));
  const c = client as unknown as { upload: (id: string, csv: Buffer) => Promise<void> };
  const upload = c.upload;
  c.upload = async (id, csv) =>
    csv.length > 10 || csv.includes('huge') ? Promise.reject(new SalesforceApiError({ message: 'x', failureType: 'system_error', status: 400, errorCode: 'CLIENTINPUTERROR', salesforceMessage: 'too large' })) : upload(id, csv);
  const r = await new BulkChunkExecutor(client, options()).run(work(['a', 'b', 'c', 'huge']));
  expect(outcomes(r)).toEqual({ a: 'loaded', b: 'loaded', c: 'loaded', huge: 'CLIENTINPUTERROR' });
});

test('a create whose answer is lost: the Open job it made is found and aborted', async () => {
  const { client, calls } = scriptedClient(() => ({}));
  const c = client as unknown as { createJob: () => Promise<JobInfo>; listJobs: () => Promise<unknown> };
  const create = c.createJob;
  let first = true;
  c.createJob = async () => {
    const job = await create();
    if (!first) return job;
    first = false;
    throw new ConnectorError('socket hang up', 'transient_error');
  };
  c.listJobs = async () => ({ done: true, records: [{ id: '750J1', state: 'Open', object: 'Account', operation: 'insert', createdDate: new Date().toISOString() }] });
  const r = await new BulkChunkExecutor(client, options({ now: () => Date.now() })).run(work(['a']));
  expect(calls.slice(0, 3)).toEqual(['create 750J1', 'abort 750J1', 'create 750J2']);
  expect(r.jobIds).toEqual(['750J2']);
});

test('a close whose answer is lost: the state decides (processing → polled, never aborted)', async () => {
  const { client, calls } = scriptedClient(() => ({}));
  const c = client as unknown as { close: (id: string) => Promise<void> };
  c.close = async (id) => {
    calls.push(`close ${id}`);
    throw new ConnectorError('socket hang up', 'transient_error');
  };
  const r = await new BulkChunkExecutor(client, options()).run(work(['a']));
  expect(outcomes(r)).toEqual({ a: 'loaded' });
  expect(calls.filter((x) => x.startsWith('abort'))).toEqual([]);
});

test('poll deadline: a system_error naming the job id; no row is reported', async () => {
  const { client } = scriptedClient(() => ({ never: true }));
  const err = await new BulkChunkExecutor(client, options({ deadlineMs: 5_000 })).run(work(['a'])).catch((e: unknown) => e);
  expect((err as ConnectorError).failureType).toBe('system_error');
  expect((err as ConnectorError).message).toContain('750J1');
});

test('look-alike rows go in separate jobs; the failing one is attributed exactly', async () => {
  const { client } = scriptedClient((_n, sent) => (sent.includes('hot') ? { failed: { hot: 'X:bad:--' } } : {}));
  const r = await new BulkChunkExecutor(client, options()).run(work(['Hot', 'hot', 'other']));
  expect(r.jobIds).toHaveLength(2);
  expect(outcomes(r)).toEqual({ Hot: 'loaded', hot: 'X', other: 'loaded' });
});

describe('job CSV on disk (chunkFile): rows hold no cells while their job runs', () => {
  const tmp = useChunkDir('bulk-executor-test-');

  /** The scripted client, noting at every status read whether any row of the chunk still held cells. */
  function watched(script: (n: number, names: string[]) => Script, w: ReturnType<typeof work>) {
    const scripted = scriptedClient(script);
    const held: number[] = [];
    const getInfo = scripted.client.getInfo.bind(scripted.client);
    scripted.client.getInfo = async (id: string) => {
      held.push(w.rows.filter((r) => r.cells.length > 0).length);
      return getInfo(id);
    };
    return { ...scripted, held };
  }

  test('all loaded: the file is uploaded, never read back, and removed', async () => {
    const w = work(['a', 'b, "c"', 'd\ne']);
    const { client, calls, held } = watched(() => ({}), w);
    const r = await new BulkChunkExecutor(client, options({ chunkFile: () => tmp.dir().newFile() })).run(w);
    expect(outcomes(r)).toEqual({ a: 'loaded', 'b, "c"': 'loaded', 'd\ne': 'loaded' });
    expect(held).toEqual([0]);
    expect(calls.filter((c) => /Results|records/.test(c))).toEqual([]);
    expect(fs.readdirSync(tmp.dir().path)).toEqual([]);
  });

  test('failed rows: cells read back for attribution (quoted values exact); a lock error goes again with its cells', async () => {
    const w = work(['a', 'b', 'c "q"']);
    const { client, held } = watched((n) => (n === 1 ? { failed: { b: 'UNABLE_TO_LOCK_ROW:locked:--', 'c "q"': 'REQUIRED_FIELD_MISSING:missing:Name --' } } : {}), w);
    const r = await new BulkChunkExecutor(client, options({ chunkFile: () => tmp.dir().newFile() })).run(w);
    expect(outcomes(r)).toEqual({ a: 'loaded', b: 'loaded', 'c "q"': 'REQUIRED_FIELD_MISSING' });
    expect(r.jobIds).toEqual(['750J1', '750J2']);
    expect(held).toEqual([0, 0]);
    expect(fs.readdirSync(tmp.dir().path)).toEqual([]);
  });

  test('a Failed job: unprocessed rows go again in halves from their cells read back', async () => {
    const w = work(['a', 'b', 'c', 'd']);
    const { client } = watched((n) => (n === 1 ? { state: 'Failed', errorMessage: 'InternalServerError : retries exhausted', unprocessed: ['b', 'c', 'd'] } : {}), w);
    const r = await new BulkChunkExecutor(client, options({ chunkFile: () => tmp.dir().newFile() })).run(w);
    expect(outcomes(r)).toEqual({ a: 'loaded', b: 'loaded', c: 'loaded', d: 'loaded' });
    expect(r.jobIds).toHaveLength(3);
  });
});
