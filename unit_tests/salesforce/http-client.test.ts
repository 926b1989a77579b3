import { Readable } from 'node:stream';
import { Agent } from 'undici';
import { HttpSalesforceApi, type Session } from '../../src/salesforce/http-client';
import { SalesforceApiError } from '../../src/salesforce/salesforce-errors';
import { json, recordingSleep, startLocalServer, type Handler, type LocalServer } from './local-server';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(handler: Handler, opts: { renew?: () => Promise<Session>; maxAttempts?: number } = {}) {
  server = await startLocalServer(handler);
  const { delays, sleep } = recordingSleep();
  let renewals = 0;
  const api = new HttpSalesforceApi({
    apiVersion: '62.0',
    session: { accessToken: 'token-1', instanceUrl: server.url },
    renewSession:
      opts.renew ??
      (async () => {
        renewals++;
        return { accessToken: `token-${renewals + 1}`, instanceUrl: server!.url };
      }),
    retry: { sleep, random: () => 0.5, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000, maxAttempts: opts.maxAttempts ?? 5 },
  });
  return { api, delays, renewals: () => renewals, seen: server.seen };
}

async function failure(p: Promise<unknown>): Promise<SalesforceApiError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SalesforceApiError);
    return err as SalesforceApiError;
  }
  throw new Error('expected the request to fail');
}

const invalidSession = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

describe('HttpSalesforceApi', () => {
  it('given a relative path then it calls /services/data/v{version}/ with the bearer token, JSON body and counts the call', async () => {
    const { api, seen } = await setup((_req, res) => json(res, 200, { ok: true }, { 'Sforce-Limit-Info': 'api-usage=60/100000' }));
    const res = await api.request({ method: 'POST', path: 'jobs/ingest', json: { object: 'Account' } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({ ok: true });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/services/data/v62.0/jobs/ingest' });
    expect(seen[0]?.headers.authorization).toBe('Bearer token-1');
    expect(seen[0]?.headers['content-type']).toContain('application/json');
    expect(JSON.parse(seen[0]!.body.toString())).toEqual({ object: 'Account' });
    expect(api.stats()).toEqual({ calls: 1, apiUsage: { used: 60, max: 100000 } });
  });

  it('given an absolute path and a Buffer body then both are sent as given', async () => {
    const { api, seen } = await setup((_req, res) => {
      res.writeHead(201);
      res.end();
    });
    await api.request({ method: 'PUT', path: '/services/data/v62.0/jobs/ingest/750x/batches', body: Buffer.from('Name\nA\n'), contentType: 'text/csv' });
    expect(seen[0]?.url).toBe('/services/data/v62.0/jobs/ingest/750x/batches');
    expect(seen[0]?.headers['content-type']).toBe('text/csv');
    expect(seen[0]?.body.toString()).toBe('Name\nA\n');
  });

  it('given 503 twice then 200 when requested then it retries with growing delays and returns the answer', async () => {
    let n = 0;
    const { api, delays, seen } = await setup((_req, res) => (++n <= 2 ? json(res, 503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'busy' }]) : json(res, 200, {})));
    const body = Buffer.from('a,b\n1,2\n');
    expect((await api.request({ method: 'PUT', path: 'x', body, contentType: 'text/csv' })).status).toBe(200);
    expect(seen).toHaveLength(3);
    expect(seen.map((s) => s.body.toString())).toEqual([body.toString(), body.toString(), body.toString()]);
    expect(delays).toEqual([75, 150]);
    expect(api.stats().calls).toBe(3);
  });

  it('given 429 with Retry-After then it waits that long', async () => {
    let n = 0;
    const { api, delays } = await setup((_req, res) => (++n === 1 ? json(res, 429, [], { 'Retry-After': '2' }) : json(res, 200, {})));
    await api.request({ method: 'GET', path: 'sobjects' });
    expect(delays).toEqual([2000]);
  });

  it('given 500 on every try then it gives up after maxAttempts with a transient error', async () => {
    const { api, seen } = await setup((_req, res) => json(res, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'boom' }]), { maxAttempts: 3 });
    const err = await failure(api.request({ method: 'GET', path: 'sobjects' }));
    expect(seen).toHaveLength(3);
    expect(err.failureType).toBe('transient_error');
    expect(err.status).toBe(500);
    expect(err.errorCode).toBe('UNKNOWN_EXCEPTION');
  });

  it('given retry: false then a 500 is not retried', async () => {
    const { api, seen } = await setup((_req, res) => json(res, 500, []));
    await failure(api.request({ method: 'POST', path: 'jobs/ingest', json: {}, retry: false }));
    expect(seen).toHaveLength(1);
  });

  it('given 400 INVALIDJOB then it is not retried and is a config_error carrying the code and message', async () => {
    const { api, seen } = await setup((_req, res) => json(res, 400, [{ errorCode: 'INVALIDJOB', message: 'InvalidJob : Unable to find object: Nope' }]));
    const err = await failure(api.request({ method: 'POST', path: 'jobs/ingest', json: {} }));
    expect(seen).toHaveLength(1);
    expect(err).toMatchObject({ failureType: 'config_error', status: 400, errorCode: 'INVALIDJOB', salesforceMessage: 'InvalidJob : Unable to find object: Nope' });
    expect(err.message).toContain('Unable to find object: Nope');
  });

  it('given 403 REQUEST_LIMIT_EXCEEDED then it is transient and not retried', async () => {
    const { api, seen } = await setup((_req, res) => json(res, 403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]));
    const err = await failure(api.request({ method: 'GET', path: 'limits' }));
    expect(seen).toHaveLength(1);
    expect(err.failureType).toBe('transient_error');
    expect(err.message).toContain('API request limit');
  });

  it('given okStatuses then other 2xx codes fail', async () => {
    const { api } = await setup((_req, res) => json(res, 200, {}));
    await failure(api.request({ method: 'DELETE', path: 'jobs/ingest/750x', okStatuses: [204], retry: false }));
  });

  it('given 401 INVALID_SESSION_ID then it renews the token once and replays the request', async () => {
    const { api, seen, renewals } = await setup((req, res) =>
      req.headers.authorization === 'Bearer token-1' ? json(res, 401, invalidSession) : json(res, 200, { ok: 1 }),
    );
    expect((await api.request({ method: 'POST', path: 'jobs/ingest', json: { a: 1 } })).status).toBe(200);
    expect(renewals()).toBe(1);
    expect(seen.map((s) => s.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(seen[1]?.body.toString()).toBe('{"a":1}');
  });

  it('given a replayable body then it is streamed with its length, and opened again when a 401 makes it replay', async () => {
    const { api, seen } = await setup((req, res) =>
      req.headers.authorization === 'Bearer token-1' ? json(res, 401, invalidSession) : json(res, 201, {}),
    );
    const csv = 'Name\n' + 'Acme\n'.repeat(50_000);
    let opened = 0;
    const body = {
      bytes: Buffer.byteLength(csv),
      open: () => {
        opened += 1;
        return Readable.from([Buffer.from(csv.slice(0, 1000)), Buffer.from(csv.slice(1000))]);
      },
    };
    expect((await api.request({ method: 'PUT', path: 'jobs/ingest/750x/batches', body, contentType: 'text/csv', retry: false })).status).toBe(201);
    expect(opened).toBe(2);
    expect(seen.map((s) => s.body.toString())).toEqual([csv, csv]);
    expect(seen[1]?.headers['content-length']).toBe(String(body.bytes));
    expect(seen[1]?.headers['content-type']).toBe('text/csv');
  });

  it('given concurrent requests hitting an expired token then one renewal serves them all', async () => {
    const { api, renewals } = await setup((req, res) =>
      req.headers.authorization === 'Bearer token-1' ? json(res, 401, invalidSession) : json(res, 200, {}),
    );
    await Promise.all([1, 2, 3, 4, 5].map(() => api.request({ method: 'GET', path: 'sobjects' })));
    expect(renewals()).toBe(1);
  });

  it('given 401 after renewal too then it does not loop and reports a config_error', async () => {
    const { api, seen, renewals } = await setup((_req, res) => json(res, 401, invalidSession));
    const err = await failure(api.request({ method: 'GET', path: 'sobjects' }));
    expect(renewals()).toBe(1);
    expect(seen).toHaveLength(2);
    expect(err.failureType).toBe('config_error');
  });

  it('given 401 INVALID_AUTH_HEADER then it does not renew and does not claim it signed in again', async () => {
    const { api, renewals } = await setup((_req, res) => json(res, 401, [{ errorCode: 'INVALID_AUTH_HEADER', message: 'bad header' }]));
    const err = await failure(api.request({ method: 'GET', path: 'sobjects' }));
    expect(renewals()).toBe(0);
    expect(err.failureType).toBe('config_error');
    expect(err.message).not.toMatch(/signing in again/);
  });

  it('given a renewal that fails then its error surfaces', async () => {
    const { api } = await setup((_req, res) => json(res, 401, invalidSession), {
      renew: async () => {
        throw new SalesforceApiError({ message: 'refresh token revoked', failureType: 'config_error', status: 400 });
      },
    });
    await expect(api.request({ method: 'GET', path: 'sobjects' })).rejects.toThrow('refresh token revoked');
  });

  it('given a connection dropped without an answer then it is retried', async () => {
    let n = 0;
    const { api, seen } = await setup((_req, res) => (++n === 1 ? res.socket?.destroy() : json(res, 200, {})));
    expect((await api.request({ method: 'GET', path: 'sobjects' })).status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it('given a host that refuses connections then it fails as transient naming the host', async () => {
    const { api } = await setup((_req, res) => json(res, 200, {}), { maxAttempts: 2 });
    const url = server!.url;
    await server!.close();
    server = undefined;
    const err = await api.request({ method: 'GET', path: 'sobjects' }).catch((e: Error) => e);
    expect(err).toMatchObject({ failureType: 'transient_error' });
    expect((err as Error).message).toContain(new URL(url).host);
  });

  it('given the instance host name does not resolve (a DNS blip mid-sync) then it is transient, not a domain problem', async () => {
    const dispatcher = new Agent({ connect: (_opts, cb) => cb(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), null) });
    const api = new HttpSalesforceApi({
      apiVersion: '62.0',
      session: { accessToken: 'token-1', instanceUrl: 'https://acme.my.salesforce.com' },
      renewSession: async () => ({ accessToken: 'token-2', instanceUrl: 'https://acme.my.salesforce.com' }),
      retry: { sleep: recordingSleep().sleep },
      dispatcher,
    });
    const err = await api.request({ method: 'GET', path: 'sobjects' }).catch((e: Error) => e);
    await dispatcher.close();
    expect(err).toMatchObject({ failureType: 'transient_error' });
    expect((err as Error).message).toContain('acme.my.salesforce.com');
    expect((err as Error).message).not.toContain("'domain'");
  });
});
