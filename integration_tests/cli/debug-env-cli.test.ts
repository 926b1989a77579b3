/**
 * Debug switches a user (or a platform) may set must not turn stdout into anything but
 * AirbyteMessages, print a credential or the access token, or write files under HOME.
 * runCli validates every stdout line against the protocol schema.
 */
import { startFakeSalesforce } from '../fake-salesforce';
import { jsonl, ofType, runCli, writeTempJson } from '../helpers/cli';
import { useFakeSalesforce } from '../helpers/test-env';
import { expectNoLeaks, secretValues } from './cli-checks';

const DEBUG_ENV = { DEBUG: '*', JSFORCE_LOG_LEVEL: 'DEBUG', SF_LOG_LEVEL: 'trace', NODE_DEBUG: 'http,net,undici,fetch' };
const ACCESS_TOKEN = /00D\w{12,15}![.\w]+/;

const fake = useFakeSalesforce({ start: () => startFakeSalesforce({ processingDelayMs: 20 }) });

const secrets = () => {
  const c = fake.credentials;
  return secretValues([c.clientSecret, c.refreshToken, c.password, c.securityToken, c.privateKey]);
};

test.each([
  ['refresh token', () => fake.config],
  ['SOAP login (jsforce)', () => ({ username: fake.credentials.username, password: fake.credentials.password, security_token: fake.credentials.securityToken, domain: fake.loginUrl })],
])('check with every debug switch on (%s): stdout stays AirbyteMessages, nothing leaks', async (_name, config) => {
  const result = await runCli(['check', '--config', writeTempJson(config(), 'config.json')], { env: DEBUG_ENV });
  expect(result.code).toBe(0);
  expect(ofType(result, 'CONNECTION_STATUS').map((m) => m.connectionStatus.status)).toEqual(['SUCCEEDED']);
  expect(result.messages).toHaveLength(result.stdout.split('\n').filter((l) => l !== '').length);
  expectNoLeaks(result, secrets());
  expect(`${result.stdout}\n${result.stderr}`).not.toMatch(ACCESS_TOKEN);
});

test('write with every debug switch on: stdout stays AirbyteMessages, nothing leaks', async () => {
  const catalog = {
    streams: [{ stream: { name: 'Account', json_schema: { type: 'object' }, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' }],
  };
  const stdin = jsonl([
    { type: 'RECORD', record: { stream: 'Account', data: { Name: 'Debug Co' }, emitted_at: 1 } },
    { type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'Account' }, stream_state: { c: 1 } }, id: 7 } },
  ]);
  const result = await runCli(
    ['write', '--config', writeTempJson(fake.config, 'config.json'), '--catalog', writeTempJson(catalog, 'catalog.json')],
    { env: DEBUG_ENV, stdin },
  );
  expect(result.code).toBe(0);
  expect(ofType(result, 'STATE')).toHaveLength(1);
  expect(fake.records('Account').map((r) => r.Name)).toEqual(['Debug Co']);
  expectNoLeaks(result, secrets());
  // The access token Salesforce issued (00D…!…) is a secret too.
  expect(`${result.stdout}\n${result.stderr}`).not.toMatch(ACCESS_TOKEN);
});
