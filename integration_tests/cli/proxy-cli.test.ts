/**
 * With HTTPS_PROXY / HTTP_PROXY set, every Salesforce call goes through the proxy (as curl and Data
 * Loader users expect); NO_PROXY exempts hosts. The proxy (helpers/proxy.ts) records what it carried.
 */
import { ofType, runCli, writeTempJson } from '../helpers/cli';
import { startProxy, type TestProxy } from '../helpers/proxy';
import { useFakeSalesforce } from '../helpers/test-env';

const fake = useFakeSalesforce();
let proxy: TestProxy;
let proxyUrl: string;
let carried: string[];

beforeAll(async () => {
  proxy = await startProxy();
  proxyUrl = proxy.url;
  carried = proxy.carried;
});
afterAll(() => proxy.close());
beforeEach(() => {
  carried.length = 0;
});

const check = (env: Record<string, string>) => runCli(['check', '--config', writeTempJson(fake.config, 'config.json')], { env });

test('HTTPS_PROXY: the token request and the data calls go through the proxy', async () => {
  const r = await check({ HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl });
  expect(ofType(r, 'CONNECTION_STATUS')[0]?.connectionStatus.status).toBe('SUCCEEDED');
  const hosts = [new URL(fake.loginUrl).host, new URL(fake.instanceUrl).host];
  expect(carried.length).toBeGreaterThanOrEqual(1);
  expect(carried.every((c) => hosts.some((h) => c.includes(h)))).toBe(true);
  // Both the token request (login host) and the data calls (instance host) went through the proxy.
  expect(hosts.every((h) => carried.some((c) => c.includes(h)))).toBe(true);
  expect(ofType(r, 'LOG').some((m) => /through the proxy/.test(m.log.message))).toBe(true);
});

test('NO_PROXY exempts the Salesforce host; without proxy variables nothing goes through it', async () => {
  const exempt = await check({ HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' });
  expect(ofType(exempt, 'CONNECTION_STATUS')[0]?.connectionStatus.status).toBe('SUCCEEDED');
  const direct = await check({});
  expect(ofType(direct, 'CONNECTION_STATUS')[0]?.connectionStatus.status).toBe('SUCCEEDED');
  expect(carried).toEqual([]);
});

test('an unreachable proxy fails check with a message, not a hang', async () => {
  const r = await check({ HTTP_PROXY: 'http://127.0.0.1:9' });
  expect(r.code).toBe(0);
  expect(ofType(r, 'CONNECTION_STATUS')[0]?.connectionStatus).toMatchObject({ status: 'FAILED', message: expect.stringMatching(/through the proxy/) });
});

test('a proxy variable without a scheme is a config error naming the variable, never its value', async () => {
  // `proxy-user:s3cret-proxy-pass@proxy.corp:8080` parses as a URL whose protocol is "proxy-user:".
  const value = 'proxy-user:s3cret-proxy-pass@proxy.corp:8080';
  const r = await check({ HTTPS_PROXY: value });
  expect(r.code).toBe(0);
  expect(ofType(r, 'CONNECTION_STATUS')[0]?.connectionStatus).toMatchObject({ status: 'FAILED', message: expect.stringContaining('HTTPS_PROXY') });
  expect(r.stdout + r.stderr).not.toContain('s3cret-proxy-pass');
  expect(r.stdout + r.stderr).not.toMatch(/Unexpected error|undici|\n\s+at /);

  const d = await runCli(['discover', '--config', writeTempJson(fake.config, 'config.json')], { env: { HTTPS_PROXY: 'proxy:8080' } });
  expect(d.code).toBe(1);
  expect(ofType(d, 'TRACE')[0]?.trace.error).toMatchObject({ failure_type: 'config_error', message: expect.stringContaining('HTTPS_PROXY') });
  expect(d.stdout + d.stderr).not.toContain('proxy:8080');
  expect(carried).toEqual([]);
});
