/**
 * Refresh token rotation makes the refresh_token grant non-idempotent: once Salesforce has answered,
 * the token it received is revoked. A connection that breaks after the request was sent must not be
 * replayed with that token (the answer carrying the new one is lost either way).
 */
import { Agent } from 'undici';
import { ConnectorError } from '../../src/errors';
import { requestToken } from '../../src/salesforce/token-client';
import { retryPolicy } from '../../src/salesforce/retry-policy';
import { json, recordingSleep, startLocalServer, type LocalServer } from './local-server';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A token endpoint with rotation on: each refresh revokes the token it got; the first answer is lost. */
async function rotatingServerThatDropsFirstAnswer() {
  let current = 'refresh-1';
  let answered = 0;
  server = await startLocalServer((req, res) => {
    const params = Object.fromEntries(new URLSearchParams(req.body.toString()));
    if (params.grant_type === 'refresh_token' && params.refresh_token !== current) {
      json(res, 400, { error: 'invalid_grant', error_description: 'expired access/refresh token' });
      return;
    }
    if (params.grant_type === 'refresh_token') current = `refresh-${Number(current.split('-')[1]) + 1}`;
    if (++answered === 1) {
      res.socket?.destroy(); // rotated, but the answer never reaches the client
      return;
    }
    json(res, 200, { access_token: 'access', instance_url: server!.url, refresh_token: current });
  });
  return server;
}

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectorError);
  return err as ConnectorError;
}

describe('requestToken', () => {
  it('given the connection breaks after a refresh_token grant was sent then it is not replayed and is transient', async () => {
    const s = await rotatingServerThatDropsFirstAnswer();
    const { sleep, delays } = recordingSleep();
    const err = await failure(requestToken(s.url, { grant_type: 'refresh_token', refresh_token: 'refresh-1', client_id: 'c' }, { policy: retryPolicy({ sleep }) }));
    expect(err.failureType).toBe('transient_error');
    expect(err.message).toMatch(/outcome is unknown/);
    expect(err.message).toMatch(/can be retried/);
    expect(err.message).not.toContain('refresh-1');
    expect(s.seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('given the connection breaks after another grant was sent then it is retried', async () => {
    const s = await rotatingServerThatDropsFirstAnswer();
    const { sleep } = recordingSleep();
    const res = await requestToken(s.url, { grant_type: 'client_credentials', client_id: 'c', client_secret: 's' }, { policy: retryPolicy({ sleep }) });
    expect(res.access_token).toBe('access');
    expect(s.seen).toHaveLength(2);
  });

  it('given the login host refuses connections then a refresh_token grant is retried (nothing was sent)', async () => {
    server = await startLocalServer((_req, res) => json(res, 200, {}));
    const url = server.url;
    await server.close();
    server = undefined;
    const { sleep, delays } = recordingSleep();
    const err = await failure(requestToken(url, { grant_type: 'refresh_token', refresh_token: 'r', client_id: 'c' }, { policy: retryPolicy({ sleep, maxAttempts: 3 }) }));
    expect(err.failureType).toBe('transient_error');
    expect(err.message).toContain(new URL(url).host);
    expect(delays).toHaveLength(2);
  });

  it('given a refresh_token grant answered 503 then 200 then it is retried', async () => {
    let n = 0;
    server = await startLocalServer((_req, res) => (++n === 1 ? json(res, 503, []) : json(res, 200, { access_token: 'a', instance_url: server!.url })));
    const { sleep } = recordingSleep();
    await requestToken(server.url, { grant_type: 'refresh_token', refresh_token: 'r', client_id: 'c' }, { policy: retryPolicy({ sleep }) });
    expect(server.seen).toHaveLength(2);
  });

  it('given the login host name does not resolve then it is a config_error naming domain', async () => {
    const dispatcher = new Agent({ connect: (_opts, cb) => cb(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), null) });
    const { sleep } = recordingSleep();
    const err = await failure(
      requestToken('https://acme.my.salesforce.com', { grant_type: 'refresh_token', refresh_token: 'r', client_id: 'c' }, { policy: retryPolicy({ sleep }), dispatcher }),
    );
    await dispatcher.close();
    expect(err.failureType).toBe('config_error');
    expect(err.message).toContain("'domain'");
  });
});
