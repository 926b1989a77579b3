import { startFakeSalesforce, type FakeSalesforce } from '../fake-salesforce';
import { ofType, runCli, writeTempJson } from '../helpers/cli';
import { startS3rver, type S3Fixture } from '../helpers/s3';
import { expectNoLeaks, secretValues } from './cli-checks';

let fake: FakeSalesforce;
let s3: S3Fixture;
beforeAll(async () => {
  fake = await startFakeSalesforce();
  s3 = await startS3rver('check-bucket');
});
afterAll(async () => {
  await fake.close();
  await s3.close();
});

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
