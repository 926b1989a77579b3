import { execFile, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startProxy } from '../../integration_tests/helpers/proxy';
import { EnvHttpProxyAgent, request } from '../../src/salesforce/undici-client';
import { startLocalServer, type LocalServer } from './local-server';

const MODULE = path.resolve(__dirname, '..', '..', 'src', 'salesforce', 'undici-client.js');

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, url: req.url, body: req.body.toString('utf8') }));
  });
});
afterAll(() => server.close());

/** Status, the headers the server set and what the server saw, through a request function. */
async function exchange(send: typeof request, url: string, opts: Parameters<typeof request>[1]) {
  const res = await send(url, opts);
  return { status: res.statusCode, type: res.headers['content-type'], seen: await res.body.json() };
}

describe('undici-client (undici without its index)', () => {
  it('loads the HTTP client without undici\'s index (fetch, WebSocket, cache, mocks)', () => {
    const script = `require(${JSON.stringify(MODULE)}); const files = Object.keys(require.cache).filter((f) => f.includes('/node_modules/undici/'));
      console.log(JSON.stringify({ index: files.some((f) => f.endsWith('/undici/index.js')), web: files.some((f) => f.includes('/lib/web/')), count: files.length }));`;
    const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    const loaded = JSON.parse(out.stdout) as { index: boolean; web: boolean; count: number };
    expect({ index: loaded.index, web: loaded.web }).toEqual({ index: false, web: false });
    expect(loaded.count).toBeGreaterThan(10); // it did load undici's client
  });

  it('sends as undici\'s own request does: path and query, method (GET, or PUT with a body), headers, body, a given dispatcher', async () => {
    const undici = await import('undici');
    const dispatcher = new undici.Agent();
    const cases: Array<[string, Parameters<typeof request>[1]]> = [
      [`${server.url}/services/data/v62.0/query?q=SELECT+Id+FROM+Account`, { method: 'GET' }],
      [`${server.url}/a/b`, {}],
      [`${server.url}/upload`, { body: 'x,y\n1,2\n', headers: { 'content-type': 'text/csv' } }],
      [`${server.url}/jobs`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' }, dispatcher }],
    ];
    for (const [url, opts] of cases) {
      const ours = await exchange(request, url, opts);
      expect(ours).toEqual(await exchange(undici.request as typeof request, url, opts));
      expect(ours.status).toBe(200);
    }
    await dispatcher.close();
  });

  it('tunnels through a proxy (CONNECT, as for https) in a process that never loads undici\'s index', async () => {
    const proxy = await startProxy();
    try {
      const script = `const { request, EnvHttpProxyAgent } = require(${JSON.stringify(MODULE)});
        const dispatcher = new EnvHttpProxyAgent({ httpProxy: ${JSON.stringify(proxy.url)}, proxyTunnel: true });
        request(${JSON.stringify(`${server.url}/tunnelled?x=1`)}, { method: 'GET', dispatcher })
          .then(async (res) => { console.log(JSON.stringify(await res.body.json())); await dispatcher.close(); });`;
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { encoding: 'utf8' });
      expect(JSON.parse(stdout)).toMatchObject({ method: 'GET', url: '/tunnelled?x=1' });
      expect(proxy.carried).toEqual([`CONNECT ${new URL(server.url).host}`]);
    } finally {
      await proxy.close();
    }
  });

  it('gives undici\'s own EnvHttpProxyAgent', async () => {
    expect(EnvHttpProxyAgent).toBe((await import('undici')).EnvHttpProxyAgent);
  });
});
