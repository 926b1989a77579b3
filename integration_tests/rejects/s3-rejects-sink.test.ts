/** S3RejectsSink against s3rver: the real S3 protocol, no SDK mocks. */
import Papa from 'papaparse';
import { ConnectorError } from '../../src/errors';
import { createRejectsSink } from '../../src/rejects/create-rejects-sink';
import type { RejectedRow } from '../../src/rejects/rejects-sink';
import { createS3Client } from '../../src/rejects/s3-client';
import { S3RejectsSink } from '../../src/rejects/s3-rejects-sink';
import { useBucket } from '../helpers/test-env';

const s3 = useBucket({ reset: false });

let seq = 0;
const row = (stream = 'contacts', namespace: string | null = 'crm', over: Partial<RejectedRow> = {}): RejectedRow => {
  seq += 1;
  return {
    record: {
      stream,
      namespace,
      data: { Id: `row-${seq}`, LastName: `Ünïcode "${seq}", line\nbreak`, Score: 1.5, Tags: ['a', 'b'] },
      emitted_at: 1700000000000 + seq,
      meta: { changes: [] },
      unknown_key: true,
    },
    stream: { name: stream, namespace },
    object: 'Contact',
    operation: 'upsert',
    jobId: '750xx000000AAAA',
    errorCode: 'REQUIRED_FIELD_MISSING',
    errorMessage: 'Required fields are missing: [LastName]',
    fields: ['LastName'],
    attempts: 1,
    rejectedAt: '2024-05-01T10:00:00.000Z',
    ...over,
  };
};

const logs: Array<[string, string]> = [];
const log = (level: string, msg: string): void => {
  logs.push([level, msg]);
};

function sinkFor(prefix: string, over: Partial<ConstructorParameters<typeof S3RejectsSink>[0]> = {}): S3RejectsSink {
  const storage = s3.s3Storage(prefix, over.storage?.format ?? 'jsonl');
  return new S3RejectsSink({
    client: createS3Client(storage, { maxAttempts: 2 }),
    storage,
    run: '1234',
    log,
    ...over,
  });
}

const readJsonl = async (key: string): Promise<any[]> =>
  (await s3.getText(key))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

test('rows land per stream with the original record and the error text; STATE-style flush resolves when stored', async () => {
  const sink = await createRejectsSink(
    { ...s3.s3Storage('/base/path/'), format: 'jsonl' },
    { syncId: 777, startedAt: new Date(), log, s3Client: { maxAttempts: 2 } },
  );
  const a = row('contacts', 'crm');
  const b = row('accounts', null, { jobId: undefined, errorCode: 'DESTINATION_FIELD_SIZE_LIMITATION', errorMessage: 'too long', fields: [] });
  sink.add(a);
  sink.add(b);
  expect(await s3.listKeys('base/')).toEqual([]);
  await sink.flush();
  expect(await s3.listKeys('base/')).toEqual([
    'base/path/777/_default/accounts/part-0001.jsonl',
    'base/path/777/crm/contacts/part-0001.jsonl',
  ]);
  const [docA] = await readJsonl('base/path/777/crm/contacts/part-0001.jsonl');
  expect(docA).toEqual({
    record: a.record,
    stream: 'contacts',
    namespace: 'crm',
    object: 'Contact',
    operation: 'upsert',
    job_id: '750xx000000AAAA',
    error_code: 'REQUIRED_FIELD_MISSING',
    error_message: 'Required fields are missing: [LastName]',
    fields: ['LastName'],
    attempts: 1,
    rejected_at: '2024-05-01T10:00:00.000Z',
  });
  const [docB] = await readJsonl('base/path/777/_default/accounts/part-0001.jsonl');
  expect(docB).toMatchObject({ record: b.record, namespace: null, job_id: null, error_code: 'DESTINATION_FIELD_SIZE_LIMITATION' });

  // Next flush → next part; empty flush writes nothing.
  sink.add(row('contacts', 'crm'));
  await sink.flush();
  await sink.flush();
  expect(await s3.listKeys('base/path/777/crm/')).toEqual([
    'base/path/777/crm/contacts/part-0001.jsonl',
    'base/path/777/crm/contacts/part-0002.jsonl',
  ]);
  expect(sink.location()).toBe(`s3://${s3.bucket}/base/path/777/`);
  logs.length = 0;
  await sink.close();
  const closing = logs.map(([, m]) => m).join('\n');
  expect(closing).toContain('Rejected rows: 3; 3 stored in 3 part file(s) under s3://rejects-test/base/path/777/');
  expect(closing).toContain('REQUIRED_FIELD_MISSING: 2 rows');
});

test('a rerun with the same sync id continues numbering instead of overwriting', async () => {
  for (let i = 0; i < 2; i += 1) {
    const sink = sinkFor('rerun');
    sink.add(row());
    await sink.close();
  }
  expect(await s3.listKeys('rerun/')).toEqual(['rerun/1234/crm/contacts/part-0001.jsonl', 'rerun/1234/crm/contacts/part-0002.jsonl']);
});

test('parts roll at the size threshold, rows keep their order', async () => {
  const sink = sinkFor('roll', { partMaxBytes: 2000 });
  const rows = Array.from({ length: 20 }, () => row());
  for (const r of rows) sink.add(r);
  await sink.flush();
  const keys = await s3.listKeys('roll/');
  expect(keys.length).toBeGreaterThan(3);
  const ids: string[] = [];
  for (const k of keys) {
    const text = await s3.getText(k);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2000);
    for (const d of await readJsonl(k)) ids.push(d.record.data.Id);
  }
  expect(ids).toEqual(rows.map((r) => r.record.data.Id));
  await sink.close();
});

test('large part files go through multipart upload', async () => {
  const sink = sinkFor('multipart', { multipartThreshold: 5 * 1024 * 1024, partMaxBytes: 64 * 1024 * 1024 });
  const big = 'x'.repeat(100_000);
  for (let i = 0; i < 60; i += 1) sink.add(row('big', 'crm', { errorMessage: `${i}:${big}` }));
  await sink.flush();
  const keys = await s3.listKeys('multipart/');
  expect(keys).toEqual(['multipart/1234/crm/big/part-0001.jsonl']);
  const docs = await readJsonl(keys[0]!);
  expect(docs).toHaveLength(60);
  expect(docs[59].error_message).toBe(`59:${big}`);
  await sink.close();
});

test('size-triggered background upload without flush()', async () => {
  const sink = sinkFor('auto', { autoFlushBytes: 1500 });
  for (let i = 0; i < 10; i += 1) sink.add(row());
  for (let i = 0; i < 50 && (await s3.listKeys('auto/')).length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
  expect((await s3.listKeys('auto/')).length).toBeGreaterThan(0);
  await sink.close();
  const n = (await Promise.all((await s3.listKeys('auto/')).map(readJsonl))).flat().length;
  expect(n).toBe(10);
});

test('CSV format: same fields as columns, RFC 4180, record as JSON text', async () => {
  const sink = sinkFor('csv', { storage: s3.s3Storage('csv', 'csv') });
  const r = row();
  sink.add(r);
  sink.add(row());
  await sink.close();
  const keys = await s3.listKeys('csv/');
  expect(keys).toEqual(['csv/1234/crm/contacts/part-0001.csv']);
  const text = await s3.getText(keys[0]!);
  expect(text.startsWith('record,stream,namespace,object,operation,job_id,error_code,error_message,fields,attempts,rejected_at\n')).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  expect(parsed.data).toHaveLength(2);
  expect(JSON.parse(parsed.data[0]!.record!)).toEqual(r.record);
  expect(parsed.data[0]).toMatchObject({ error_code: 'REQUIRED_FIELD_MISSING', fields: 'LastName', job_id: '750xx000000AAAA' });
});

test('transient S3 errors are retried by the SDK', async () => {
  const sink = sinkFor('retry', { client: createS3Client(s3.s3Storage('retry'), { maxAttempts: 3 }) });
  sink.add(row());
  const before = s3.failedWrites();
  s3.failNextWrites(2, 500);
  await sink.flush();
  expect(s3.failedWrites() - before).toBe(2);
  expect(await s3.listKeys('retry/')).toEqual(['retry/1234/crm/contacts/part-0001.jsonl']);
  await sink.close();
});

test('S3 failing after retries: flush rejects with system_error, rows are kept and stored by a later flush', async () => {
  const sink = sinkFor('failing');
  const first = [row(), row()];
  for (const r of first) sink.add(r);
  s3.failNextWrites(1000, 503);
  let err: unknown;
  try {
    await sink.flush();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConnectorError);
  expect((err as ConnectorError).failureType).toBe('system_error');
  expect((err as ConnectorError).message).toContain('s3://rejects-test/failing/1234/crm/contacts/part-0001.jsonl');
  expect((err as ConnectorError).message).toContain('SlowDown');
  expect((err as ConnectorError).message).not.toContain('S3RVER');
  expect(sink.pendingRows()).toBe(2);
  // A row added meanwhile, and a second flush while S3 is still down: still failing, nothing lost.
  const later = row();
  sink.add(later);
  await expect(sink.flush()).rejects.toMatchObject({ failureType: 'system_error' });
  expect(sink.pendingRows()).toBe(3);
  s3.failNextWrites(0);
  await sink.flush();
  expect(sink.pendingRows()).toBe(0);
  const docs = await readJsonl('failing/1234/crm/contacts/part-0001.jsonl');
  expect(docs.map((d) => d.record.data.Id)).toEqual([...first, later].map((r) => r.record.data.Id));
  await sink.close();
});

test('the bucket vanishing mid-sync fails the flush; restoring it stores every row', async () => {
  const sink = sinkFor('vanish');
  sink.add(row());
  await sink.flush();
  await s3.deleteBucket();
  try {
    const lost = row();
    sink.add(lost);
    await expect(sink.flush()).rejects.toMatchObject({
      failureType: 'system_error',
      message: expect.stringContaining('NoSuchBucket'),
    });
    await expect(sink.flush()).rejects.toMatchObject({ failureType: 'system_error' });
  } finally {
    await s3.createBucket();
  }
  await sink.flush();
  expect(await s3.listKeys('vanish/')).toEqual(['vanish/1234/crm/contacts/part-0002.jsonl']);
  await sink.close();
});

test('the server stopping fails flush (and close) with system_error; rows added during the failing flush are not lost', async () => {
  const sink = sinkFor('stopped');
  sink.add(row());
  await s3.stop();
  let closeLogs: Array<[string, string]> = [];
  try {
    const pending = sink.flush();
    sink.add(row()); // added while the flush is in flight
    await expect(pending).rejects.toMatchObject({ failureType: 'system_error' });
    expect(sink.pendingRows()).toBe(2);
    logs.length = 0;
    await expect(sink.close()).rejects.toMatchObject({ failureType: 'system_error' });
    closeLogs = [...logs];
  } finally {
    await s3.start();
  }
  expect(closeLogs.some(([level, m]) => level === 'ERROR' && m.includes('2 NOT stored'))).toBe(true);
  expect(await s3.listKeys('stopped/')).toEqual([]);
});
