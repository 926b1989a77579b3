/** probeBucket (the `check` of object_storage_config) against s3rver. */
import * as net from 'node:net';
import { ConnectorError } from '../../src/errors';
import { probeBucket } from '../../src/rejects/s3-probe';
import { useBucket } from '../helpers/test-env';

const s3 = useBucket({ bucket: 'probe-bucket', reset: false });

async function caught(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ConnectorError);
    return err as ConnectorError;
  }
  throw new Error('expected a rejection');
}

test('writes, lists and deletes a marker under bucket_path', async () => {
  const ids: string[] = [];
  await probeBucket(s3.s3Storage('/some/path/'), { newId: () => (ids.push('fixed-id'), 'fixed-id') });
  expect(ids).toEqual(['fixed-id']);
  expect(await s3.listKeys()).toEqual([]);
});

test('the marker really is written at {bucket_path}/_airbyte_check/{id}', async () => {
  // Failing the DELETE leaves the marker behind, which proves where it was written.
  s3.failNextWrites(0);
  const storage = s3.s3Storage('marker');
  const { createS3Client } = await import('../../src/rejects/s3-client');
  const client = createS3Client(storage, { maxAttempts: 1 });
  let writes = 0;
  client.middlewareStack.add(
    (next, ctx) => async (args) => {
      if (ctx.commandName === 'DeleteObjectCommand') s3.failNextWrites(1, 403);
      writes += 1;
      return next(args);
    },
    { step: 'initialize' },
  );
  const err = await caught(probeBucket(storage, { client, newId: () => 'abc' }));
  expect(writes).toBe(3);
  expect(err.failureType).toBe('config_error');
  expect(err.message).toContain('Access denied');
  expect(err.message).toContain('delete');
  expect(await s3.listKeys()).toEqual(['marker/_airbyte_check/abc']);
  client.destroy();
});

test('missing bucket → config_error naming bucket, region and endpoint, no keys', async () => {
  const err = await caught(probeBucket({ ...s3.s3Storage('p'), bucketName: 'no-such-bucket' }));
  expect(err.failureType).toBe('config_error');
  expect(err.message).toContain("S3 bucket 'no-such-bucket' does not exist");
  expect(err.message).toContain('us-east-1');
  expect(err.message).toContain(s3.endpoint);
  expect(`${err.message} ${err.internalMessage}`).not.toContain('S3RVER');
});

test('wrong endpoint → config_error saying it could not be reached', async () => {
  const port = await new Promise<number>((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const err = await caught(probeBucket({ ...s3.s3Storage('p'), endpoint }));
  expect(err.failureType).toBe('config_error');
  expect(err.message).toContain('Could not reach S3');
  expect(err.message).toContain(endpoint);
  expect(err.message).toContain('probe-bucket');
});

test('access denied on write → config_error naming the permissions', async () => {
  s3.failNextWrites(5, 403);
  try {
    const err = await caught(probeBucket(s3.s3Storage('p')));
    expect(err.failureType).toBe('config_error');
    expect(err.message).toContain('Access denied');
    expect(err.message).toContain('s3:PutObject');
  } finally {
    s3.failNextWrites(0);
  }
});

test('unknown access key → access denied, keys not echoed in the message', async () => {
  // s3rver checks the access key id (it does not verify SigV4 signatures).
  const err = await caught(probeBucket({ ...s3.s3Storage('p'), accessKeyId: 'UNKNOWNKEY', secretAccessKey: 'WRONG-SECRET-VALUE' }));
  expect(err.failureType).toBe('config_error');
  expect(err.message).toContain('Access denied');
  expect(`${err.message} ${err.internalMessage}`).not.toContain('WRONG-SECRET-VALUE');
});
