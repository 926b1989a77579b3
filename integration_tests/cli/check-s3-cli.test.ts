import { ofType, runCli, writeTempJson } from '../helpers/cli';
import { expectNoLeaks, secretValues } from './cli-checks';
import { useFakeAndBucket } from '../helpers/test-env';

const { fake, s3 } = useFakeAndBucket({ bucket: 'check-bucket' });

async function check(storage: Record<string, unknown>) {
  const config = { ...fake.config, object_storage_config: storage };
  const result = await runCli(['check', '--config', writeTempJson(config, 'config.json')]);
  expect(result.code).toBe(0);
  const statuses = ofType(result, 'CONNECTION_STATUS');
  expect(statuses).toHaveLength(1);
  const c = fake.credentials;
  expectNoLeaks(result, secretValues([c.clientSecret, c.refreshToken, String(storage.secret_access_key ?? '')]));
  return statuses[0]!.connectionStatus as { status: string; message?: string };
}

describe('check with S3 rejected-records storage', () => {
  it('given a reachable bucket then it SUCCEEDS and leaves no marker behind', async () => {
    expect(await check(s3.storage('rejects/'))).toEqual({ status: 'SUCCEEDED' });
    expect(await s3.listKeys()).toEqual([]);
  });

  it('given a bucket that does not exist then it FAILS naming the bucket', async () => {
    const { status, message } = await check({ ...s3.storage('rejects/'), s3_bucket_name: 'no-such-bucket' });
    expect(status).toBe('FAILED');
    expect(message).toContain('no-such-bucket');
  });
});
