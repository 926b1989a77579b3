/**
 * Refresh token rotation: when Salesforce answers a refresh_token grant with a new refresh token (and
 * revokes the old one), the connector signs in with the new one from then on and hands Airbyte the
 * updated config in a CONTROL message, so the next sync does not start with a revoked token.
 */
import { startFakeSalesforce } from '../fake-salesforce';
import { jsonl, ofType, runCli, writeTempJson, type CliResult } from '../helpers/cli';
import { useFakeSalesforce } from '../helpers/test-env';

const fake = useFakeSalesforce({ start: () => startFakeSalesforce({ processingDelayMs: 20, rotateRefreshTokens: true }) });
beforeEach(() => fake.set({ tokenExpiresAfterRequests: undefined }));

const configWith = (refreshToken: string) => ({
  client_id: fake.credentials.clientId,
  client_secret: fake.credentials.clientSecret,
  refresh_token: refreshToken,
  domain: fake.loginUrl,
  allow_failures: false,
});

const controlConfigs = (r: CliResult): Array<Record<string, unknown>> =>
  ofType(r, 'CONTROL').map((m) => {
    expect(m.control).toMatchObject({ type: 'CONNECTOR_CONFIG', emitted_at: expect.any(Number) });
    return m.control.connectorConfig.config as Record<string, unknown>;
  });

/** The rotated token may appear on stdout only inside CONTROL messages; never on stderr. */
function expectTokenOnlyInControl(r: CliResult, token: string): void {
  const lines = r.stdout.split('\n').filter((l) => l.includes(token));
  expect(lines.every((l) => (JSON.parse(l) as { type: string }).type === 'CONTROL')).toBe(true);
  expect(r.stderr).not.toContain(token);
}

test('check: the rotated token comes back in one CONTROL message with the rest of the config unchanged', async () => {
  const original = fake.credentials.refreshToken;
  const config = configWith(original);
  const r = await runCli(['check', '--config', writeTempJson(config, 'config.json')]);
  expect(r.code).toBe(0);
  expect(ofType(r, 'CONNECTION_STATUS').map((m) => m.connectionStatus.status)).toEqual(['SUCCEEDED']);
  const rotated = fake.credentials.refreshToken;
  expect(rotated).not.toBe(original);
  expect(controlConfigs(r)).toEqual([{ ...config, refresh_token: rotated }]);
  expectTokenOnlyInControl(r, rotated);
  expect(r.stdout).not.toContain(original);

  // The old token is revoked: a config that kept it fails; the stored (CONTROL) one works.
  const stale = await runCli(['check', '--config', writeTempJson(config, 'config.json')]);
  expect(ofType(stale, 'CONNECTION_STATUS')[0]?.connectionStatus).toMatchObject({ status: 'FAILED', message: expect.stringMatching(/refresh token/) });
  const fresh = await runCli(['check', '--config', writeTempJson(controlConfigs(r)[0], 'config.json')]);
  expect(ofType(fresh, 'CONNECTION_STATUS')[0]?.connectionStatus.status).toBe('SUCCEEDED');
});

test('write: a session renewed mid-sync signs in with the rotated token; the last CONTROL holds the current one', async () => {
  fake.set({ tokenExpiresAfterRequests: 3 });
  const catalog = {
    streams: [{ stream: { name: 'Account', json_schema: { type: 'object' }, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' }],
  };
  const messages = [];
  for (let i = 0; i < 5; i++) messages.push({ type: 'RECORD', record: { stream: 'Account', data: { Name: `Rotating ${i}` }, emitted_at: 1 } });
  messages.push({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'Account' }, stream_state: { c: 1 } }, id: 1 } });
  const r = await runCli(
    ['write', '--config', writeTempJson(configWith(fake.credentials.refreshToken), 'config.json'), '--catalog', writeTempJson(catalog, 'catalog.json')],
    { stdin: jsonl(messages) },
  );
  expect({ code: r.code, errors: ofType(r, 'TRACE') }).toEqual({ code: 0, errors: [] });
  expect(fake.records('Account')).toHaveLength(5);
  const controls = controlConfigs(r);
  expect(controls.length).toBeGreaterThanOrEqual(2); // the first sign-in and at least one renewal
  expect(fake.requests().filter((q) => q.route === 'oauth.token').length).toBe(controls.length);
  expect(controls[controls.length - 1]?.refresh_token).toBe(fake.credentials.refreshToken);
  expectTokenOnlyInControl(r, fake.credentials.refreshToken);
  expect(ofType(r, 'STATE')).toHaveLength(1);
});
