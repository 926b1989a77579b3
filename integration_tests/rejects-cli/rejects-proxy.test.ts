/**
 * Issue 15: the rejects store follows the same HTTPS_PROXY / HTTP_PROXY / NO_PROXY rules as the
 * Salesforce calls — `check`'s bucket probe and a sync's rejected-row uploads go through the proxy
 * (helpers/proxy.ts records what it carried), and NO_PROXY exempts the S3 endpoint.
 */
import { ofType, runCli, writeTempJson } from '../helpers/cli';
import { startProxy, type TestProxy } from '../helpers/proxy';
import { useFakeAndBucket } from '../helpers/test-env';
import { catalog, explain, record, runWrite, startFake, streamState } from '../write/write-helpers';
import { emptyBucket, readRejects } from './rejects-cli-helpers';

const { fake, s3 } = useFakeAndBucket({ start: startFake, bucket: 'rejects-proxy' });
let proxy: TestProxy;
beforeAll(async () => {
  proxy = await startProxy();
});
afterAll(() => proxy.close());
beforeEach(() => {
  proxy.carried.length = 0;
});

const toS3 = () => proxy.carried.filter((c) => c.includes(`${s3.endpoint}/${s3.bucket}/`));
const toSalesforce = () => proxy.carried.filter((c) => c.includes(fake.loginUrl) || c.includes(fake.instanceUrl));

test('check: the bucket probe (write, list, delete) goes through the proxy', async () => {
  const config = { ...fake.config, object_storage_config: s3.storage('team/rejects') };
  const r = await runCli(['check', '--config', writeTempJson(config, 'config.json')], { env: { HTTP_PROXY: proxy.url }, timeoutMs: 60_000 });
  expect(ofType(r, 'CONNECTION_STATUS')[0]?.connectionStatus).toEqual({ status: 'SUCCEEDED' });
  const methods = toS3().map((c) => c.split(' ')[0]);
  expect(methods).toEqual(expect.arrayContaining(['PUT', 'GET', 'DELETE']));
  expect(toSalesforce().length).toBeGreaterThan(0);
  expect(await s3.listKeys()).toEqual([]);
});

test('write: rejected rows are uploaded through the proxy; NO_PROXY exempts the S3 endpoint', async () => {
  const messages = [
    record('Account', { Name: 'Loaded' }),
    record('Account', { Description: 'no name' }), // REQUIRED_FIELD_MISSING
    record('Account', { Name: 'N'.repeat(10), NumberOfEmployees: 'many' }), // rejected before upload
    streamState('Account', 1, 3),
  ];
  const opts = { config: { object_storage_config: s3.storage('px') }, catalog: catalog(['Account']), messages };
  const run = await runWrite(fake, { ...opts, env: { HTTP_PROXY: proxy.url } });
  expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
  expect(run.states.map((s) => s.destinationStats)).toEqual([{ recordCount: 1, rejectedRecordCount: 2 }]);
  expect((await readRejects(s3)).map((r) => r.error_code).sort()).toEqual(['DESTINATION_TYPECAST_ERROR', 'REQUIRED_FIELD_MISSING']);
  expect(toS3().some((c) => c.startsWith('PUT ') && c.includes('/px/'))).toBe(true);
  expect(toSalesforce().length).toBeGreaterThan(0);

  // NO_PROXY naming the S3 endpoint's host:port: S3 goes direct, Salesforce still through the proxy.
  proxy.carried.length = 0;
  await emptyBucket(s3);
  const exempt = await runWrite(fake, { ...opts, env: { HTTP_PROXY: proxy.url, NO_PROXY: new URL(s3.endpoint).host } });
  expect({ code: exempt.result.code, why: exempt.result.code === 0 ? '' : explain(exempt) }).toEqual({ code: 0, why: '' });
  expect(await readRejects(s3)).toHaveLength(2);
  expect(toS3()).toEqual([]);
  expect(toSalesforce().length).toBeGreaterThan(0);
});
