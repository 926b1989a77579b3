import { LogRejectsSink, NOT_STORED_NOTE } from '../../src/rejects/log-rejects-sink';
import { createRejectsSink } from '../../src/rejects/create-rejects-sink';
import type { RejectedRow } from '../../src/rejects/rejects-sink';
import { describeS3Error } from '../../src/rejects/s3-errors';
import { s3ClientConfig } from '../../src/rejects/s3-client';

const secretValues = { Name: 'Zebediah Quarterstone', Email: 'zq@private.example', Phone: '555-0199', Revenue: 987654 };

const row = (code: string, message: string): RejectedRow => ({
  record: { stream: 'accounts', data: { ...secretValues }, emitted_at: 1 },
  stream: { name: 'accounts' },
  object: 'Account',
  operation: 'insert',
  errorCode: code,
  errorMessage: message,
  fields: [],
  attempts: 1,
  rejectedAt: new Date(0).toISOString(),
});

describe('LogRejectsSink (storage_type None)', () => {
  test('counts per code with one example, says where rows would have gone, never logs values', async () => {
    const logs: Array<[string, string]> = [];
    const sink = await createRejectsSink({ storageType: 'None' }, { startedAt: new Date(), log: (l, m) => logs.push([l, m]) });
    expect(sink).toBeInstanceOf(LogRejectsSink);
    sink.add(row('STRING_TOO_LONG', 'Account Name: data value too large: Zebediah Quarterstone (max length=10)'));
    sink.add(row('STRING_TOO_LONG', 'Account Name: data value too large: Zebediah Quarterstone (max length=10)'));
    sink.add(row('FIELD_CUSTOM_VALIDATION_EXCEPTION', 'zq@private.example is not allowed (phone 555-0199, revenue 987654)'));
    await expect(sink.flush()).resolves.toBeUndefined();
    expect(logs).toEqual([]);
    await sink.close();
    expect(logs).toHaveLength(1);
    const [level, text] = logs[0]!;
    expect(level).toBe('WARN');
    expect(text).toContain('Rejected rows: 3');
    expect(text).toContain(NOT_STORED_NOTE);
    expect(text).toContain('STRING_TOO_LONG: 2 rows');
    expect(text).toContain('FIELD_CUSTOM_VALIDATION_EXCEPTION: 1 row');
    for (const v of Object.values(secretValues)) expect(text).not.toContain(String(v));
    expect(sink.location()).toContain('storage_type is None');
    await sink.close();
    expect(logs).toHaveLength(1);
  });

  test('nothing rejected → nothing logged', async () => {
    const logs: string[] = [];
    const sink = new LogRejectsSink((_l, m) => logs.push(m));
    await sink.close();
    expect(logs).toEqual([]);
  });
});

describe('S3 client config', () => {
  const base = { storageType: 'S3' as const, bucketName: 'b', region: 'eu-west-1', bucketPath: 'p', format: 'jsonl' as const };

  test('endpoint → path style; keys → static credentials; checksums only when required', () => {
    const cfg = s3ClientConfig({ ...base, endpoint: 'http://127.0.0.1:9000', accessKeyId: 'AK', secretAccessKey: 'SK' }, { maxAttempts: 7 });
    expect(cfg).toMatchObject({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 7,
    });
  });

  test('no keys → default credential chain; no endpoint → virtual-hosted AWS', () => {
    const cfg = s3ClientConfig(base);
    expect(cfg.credentials).toBeUndefined();
    expect(cfg.endpoint).toBeUndefined();
    expect(cfg.forcePathStyle).toBeUndefined();
  });
});

describe('describeS3Error', () => {
  test('classifies without secrets', () => {
    expect(describeS3Error(Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } })))
      .toEqual({ kind: 'no_bucket', text: 'NoSuchBucket (HTTP 404): The specified bucket does not exist' });
    expect(describeS3Error(Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })).kind).toBe('access_denied');
    expect(describeS3Error(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })).kind).toBe('unreachable');
    expect(describeS3Error(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], '')).kind).toBe('unreachable');
  });
});
