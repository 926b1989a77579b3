/**
 * Issue 5: `check` proves the rejects bucket is writable — SUCCEEDED against s3rver (marker written,
 * listed, deleted), FAILED with an actionable message naming the bucket otherwise; exit 0 either
 * way and no secret in any output.
 */
import { expectNoLeaks, secretValues } from '../cli/cli-checks';
import { ofType, runCli, writeTempJson } from '../helpers/cli';
import { useFakeAndBucket } from '../helpers/test-env';
import { startFake } from '../write/write-helpers';

const { fake, s3 } = useFakeAndBucket({ start: startFake, bucket: 'rejects-check' });

async function check(storage: Record<string, unknown>, extra: Record<string, unknown> = { allow_failures: true }): Promise<{ status: string; message?: string }> {
  const config = { ...fake.config, ...extra, object_storage_config: storage };
  const result = await runCli(['check', '--config', writeTempJson(config, 'config.json')], { timeoutMs: 60_000 });
  expect(result.code).toBe(0);
  const statuses = ofType(result, 'CONNECTION_STATUS');
  expect(statuses).toHaveLength(1);
  expect(ofType(result, 'TRACE')).toEqual([]);
  const c = fake.credentials;
  expectNoLeaks(result, secretValues([c.clientSecret, c.refreshToken, String(storage.secret_access_key ?? '')]));
  return statuses[0]?.connectionStatus as { status: string; message?: string };
}

/** allow_failures true, and left at its default with a prefix that ends in a slash. */
const CONFIGS: Array<[string, string, Record<string, unknown>]> = [
  ['allow_failures true', 'team/rejects', { allow_failures: true }],
  ['allow_failures by default', 'rejects/', {}],
];

test.each(CONFIGS)('SUCCEEDED with a writable bucket (%s, prefix %s); the marker object is cleaned up', async (_name, prefix, extra) => {
  expect(await check(s3.storage(prefix), extra)).toEqual({ status: 'SUCCEEDED' });
  expect(await s3.listKeys()).toEqual([]);
});

test.each(CONFIGS)('FAILED naming the missing bucket and what to fix (%s, prefix %s)', async (_name, prefix, extra) => {
  const { status, message } = await check({ ...s3.storage(prefix), s3_bucket_name: 'rejects-nowhere-42' }, extra);
  expect(status).toBe('FAILED');
  expect(message).toContain("'rejects-nowhere-42'");
  expect(message).toMatch(/does not exist/);
  expect(message).toMatch(/s3_bucket_name/);
});

test('FAILED with unknown keys: access denied, names the bucket, the secret is never printed', async () => {
  const { status, message } = await check({ ...s3.storage('team/rejects'), access_key_id: 'AKIAUNKNOWN', secret_access_key: 'wrong-Secret-Zq81xK-do-not-print' });
  expect(status).toBe('FAILED');
  expect(message).toContain("'rejects-check'");
  expect(message).toMatch(/secret_access_key/);
});

test('FAILED when the endpoint is unreachable, naming the endpoint', async () => {
  const { status, message } = await check({ ...s3.storage('team/rejects'), s3_endpoint: 'http://127.0.0.1:9' });
  expect(status).toBe('FAILED');
  expect(message).toContain("'rejects-check'");
  expect(message).toMatch(/s3_endpoint/);
});
