/**
 * With HTTPS_PROXY / HTTP_PROXY set, every Salesforce call goes through the proxy (as curl and Data
 * Loader users expect); NO_PROXY exempts hosts. The proxy here is a minimal CONNECT / forward proxy
 * that records what it carried.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startFakeSalesforce, type FakeSalesforce } from '../fake-salesforce';
import { ofType, runCli, writeTempJson } from '../helpers/cli';

let fake: FakeSalesforce;
let proxy: http.Server;
let proxyUrl: string;
const carried: string[] = [];

beforeAll(async () => {
  fake = await startFakeSalesforce();
  proxy = http.createServer((req, res) => {
    // Absolute-form request (plain forward proxying).
    carried.push(`${req.method} ${req.url}`);
    const target = new URL(String(req.url));
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  proxy.on('connect', (req, socket, head) => {
    carried.push(`CONNECT ${req.url}`);
    const [host, port] = String(req.url).split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await fake.close();
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
});
beforeEach(() => {
  carried.length = 0;
  fake.reset();
});

const check = (env: Record<string, string>) => runCli(['check', '--config', writeTempJson(fake.config, 'config.json')], { env });

test('HTTPS_PROXY: the token request and the data calls go through the proxy', async () => {
  const r = await check({ HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl });
  expect(ofType(r, 'CONNECTION_STATUS')[0]?.connectionStatus.status).toBe('SUCCEEDED');
  const host = new URL(fake.url).host;
  expect(carried.length).toBeGreaterThanOrEqual(1);
  expect(carried.every((c) => c.includes(host))).toBe(true);
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
