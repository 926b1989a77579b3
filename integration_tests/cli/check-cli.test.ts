import * as fs from 'node:fs';
import * as path from 'node:path';
import { ofType, runCli, writeTempJson, type CliResult } from '../helpers/cli';
import { useFakeSalesforce } from '../helpers/test-env';
import { expectNoLeaks, secretValues } from './cli-checks';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'integration_tests', 'fixtures');
const fixture = (name: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));

const fake = useFakeSalesforce();
beforeEach(() => fake.set({ hostMode: 'my_domain', tokenExpiresAfterRequests: undefined, passwordFlowEnabled: true }));

const creds = () => fake.credentials;
const refreshConfig = () => ({ client_id: creds().clientId, client_secret: creds().clientSecret, refresh_token: creds().refreshToken, domain: fake.loginUrl });

/** Runs check; asserts one CONNECTION_STATUS, exit 0, no secret printed, HOME untouched. */
async function check(config: Record<string, unknown>, extraSecrets: string[] = []): Promise<{ status: string; message?: string; result: CliResult }> {
  const result = await runCli(['check', '--config', writeTempJson(config, 'config.json')]);
  expect(result.code).toBe(0);
  const statuses = ofType(result, 'CONNECTION_STATUS');
  expect(statuses).toHaveLength(1);
  const c = creds();
  expectNoLeaks(result, secretValues([c.clientSecret, c.refreshToken, c.password, c.securityToken, c.privateKey, ...extraSecrets]));
  return { ...statuses[0]!.connectionStatus, result };
}

const routes = () => fake.requests().map((r) => r.route);

describe('check against the fake Salesforce', () => {
  it('given the refresh-token config then it SUCCEEDS after signing in and listing sObjects', async () => {
    const { status } = await check(refreshConfig());
    expect(status).toBe('SUCCEEDED');
    expect(routes()).toEqual(['oauth.token', 'limits', 'sobjects.list']);
    // Signed in on the login host (the config's domain), read limits and listed sObjects on the instance the token named.
    expect(fake.requests().map((r) => `${r.host} ${r.route}`)).toEqual(['login oauth.token', 'instance limits', 'instance sobjects.list']);
  });

  it("given Mage's config (table_name Account) with the fake's credentials then it SUCCEEDS and describes Account", async () => {
    const { status } = await check({ ...fixture('mage_config.json'), ...refreshConfig() });
    expect(status).toBe('SUCCEEDED');
    expect(fake.requests().filter((r) => r.route === 'sobjects.describe').map((r) => r.path)).toEqual(['/services/data/v62.0/sobjects/Account/describe']);
  });

  it("given Airbyte's config (auth_type Client, is_sandbox false, storage None) with the fake's credentials then it SUCCEEDS", async () => {
    const { status } = await check({ ...fixture('airbyte_config.json'), ...refreshConfig() });
    expect(status).toBe('SUCCEEDED');
  });

  it('given table_name in another letter case then it resolves the name', async () => {
    const { status } = await check({ ...refreshConfig(), table_name: 'invoice__C' });
    expect(status).toBe('SUCCEEDED');
    expect(fake.requests().some((r) => r.path.endsWith('/sobjects/Invoice__c/describe'))).toBe(true);
  });

  it('given username, password and security token with client id/secret then the OAuth password grant SUCCEEDS', async () => {
    const c = creds();
    const { status } = await check({ username: c.username, password: c.password, security_token: c.securityToken, client_id: c.clientId, client_secret: c.clientSecret, domain: fake.loginUrl });
    expect(status).toBe('SUCCEEDED');
    expect(routes()[0]).toBe('oauth.token');
  });

  it('given username, password and security token only then SOAP login() SUCCEEDS', async () => {
    const c = creds();
    const { status } = await check({ username: c.username, password: c.password, security_token: c.securityToken, domain: fake.loginUrl, table_name: 'Contact' });
    expect(status).toBe('SUCCEEDED');
    expect(routes()).toEqual(['soap.login', 'limits', 'sobjects.list', 'sobjects.describe']);
  });

  it('given client credentials on a My Domain host then it SUCCEEDS', async () => {
    const { status } = await check({ client_id: creds().clientId, client_secret: creds().clientSecret, domain: fake.loginUrl });
    expect(status).toBe('SUCCEEDED');
  });

  it('given client credentials on a login-type host then it FAILS saying a My Domain is needed', async () => {
    fake.set({ hostMode: 'login' });
    const { status, message } = await check({ client_id: creds().clientId, client_secret: creds().clientSecret, domain: fake.loginUrl });
    expect(status).toBe('FAILED');
    expect(message).toContain('My Domain');
    expect(message).toContain("'domain'");
  });

  it('given client credentials with domain login then it FAILS before any request', async () => {
    const { status, message } = await check({ client_id: creds().clientId, client_secret: creds().clientSecret });
    expect(status).toBe('FAILED');
    expect(message).toContain('My Domain');
    expect(fake.requests()).toEqual([]);
  });

  it('given a JWT bearer config then it SUCCEEDS', async () => {
    const c = creds();
    const { status } = await check({ client_id: c.clientId, username: c.username, private_key: c.privateKey, domain: fake.loginUrl, table_name: 'Lead' });
    expect(status).toBe('SUCCEEDED');
  });

  it('given a revoked refresh token then it FAILS naming refresh_token, exit 0', async () => {
    const { status, message } = await check({ ...refreshConfig(), refresh_token: 'revoked-refresh-token-123' }, ['revoked-refresh-token-123']);
    expect(status).toBe('FAILED');
    expect(message).toContain("'refresh_token'");
    expect(message).toContain('expired or revoked');
  });

  it('given a wrong client secret then it FAILS naming client_secret', async () => {
    const { status, message } = await check({ ...refreshConfig(), client_secret: 'wrong-client-secret-123' }, ['wrong-client-secret-123']);
    expect(status).toBe('FAILED');
    expect(message).toContain("'client_secret'");
  });

  it('given a wrong client id then it FAILS naming client_id', async () => {
    const { status, message } = await check({ ...refreshConfig(), client_id: 'unknown-client' });
    expect(status).toBe('FAILED');
    expect(message).toContain("'client_id'");
  });

  it('given a wrong password for SOAP login then it FAILS naming password and security token', async () => {
    const c = creds();
    const { status, message } = await check({ username: c.username, password: 'wrong-password-123', security_token: c.securityToken, domain: fake.loginUrl }, ['wrong-password-123']);
    expect(status).toBe('FAILED');
    expect(message).toContain("'password'");
    expect(message).toContain("'security_token'");
  });

  it('given a wrong password for the OAuth password grant then it FAILS naming the credentials', async () => {
    const c = creds();
    const { status, message } = await check(
      { username: c.username, password: 'wrong-password-123', client_id: c.clientId, client_secret: c.clientSecret, domain: fake.loginUrl },
      ['wrong-password-123'],
    );
    expect(status).toBe('FAILED');
    expect(message).toContain("'username', 'password' and 'security_token'");
  });

  it('given an unknown table_name then it FAILS naming the object', async () => {
    const { status, message } = await check({ ...refreshConfig(), table_name: 'Nonexistent__c' });
    expect(status).toBe('FAILED');
    expect(message).toContain("'Nonexistent__c' (table_name) does not exist");
  });

  // check and write share the object checks (src/write/plan/stream-plan.ts), so they say the same thing.
  it('given table_name the user may not create records of then it FAILS with the same message write gives', async () => {
    const { status, message } = await check({ ...refreshConfig(), table_name: 'Audit_Log__c', action: 'insert' });
    expect(status).toBe('FAILED');
    expect(message).toContain('Salesforce object Audit_Log__c does not allow insert: it is not createable for this user');
  });

  it('given upsert on a key that is not an External ID then it FAILS with the same message write gives', async () => {
    const { status, message } = await check({ ...refreshConfig(), table_name: 'Account', action: 'upsert', external_id_name: 'Name' });
    expect(status).toBe('FAILED');
    expect(message).toContain('The upsert key Name of Salesforce object Account is neither an External ID nor an idLookup field');
  });

  it('given upsert on an External ID field then it SUCCEEDS', async () => {
    const { status } = await check({ ...refreshConfig(), table_name: 'account', action: 'upsert', external_id_name: 'ext_id__c' });
    expect(status).toBe('SUCCEEDED');
  });

  it('given a token that expires mid-check then it signs in again and SUCCEEDS', async () => {
    fake.set({ tokenExpiresAfterRequests: 1 });
    const { status } = await check({ ...refreshConfig(), table_name: 'Account' });
    expect(status).toBe('SUCCEEDED');
    expect(fake.requests().map((r) => `${r.route} ${r.status}`)).toEqual([
      'oauth.token 200',
      'limits 200',
      'sobjects.list 401',
      'oauth.token 200',
      'sobjects.list 200',
      'sobjects.describe 401',
      'oauth.token 200',
      'sobjects.describe 200',
    ]);
  });

  it('given a token endpoint hiccup (503) then it retries and SUCCEEDS', async () => {
    fake.injectFault({ route: 'oauth.token', status: 503 });
    const { status } = await check(refreshConfig());
    expect(status).toBe('SUCCEEDED');
    expect(routes()).toEqual(['oauth.token', 'oauth.token', 'limits', 'sobjects.list']);
  });

  it('given an invalid config then it FAILS with the validation message and sends nothing', async () => {
    const { status, message } = await check({ ...fixture('invalid_config.json'), domain: fake.loginUrl }, ['invalid-consumer-secret-example-0001', 'invalid-refresh-token-example-0001']);
    expect(status).toBe('FAILED');
    expect(message).toContain("Config validation error: 'action' must be one of");
    expect(message).toContain("'bulk_job_max_mb' must be <= 100");
    expect(fake.requests()).toEqual([]);
  });

  it('given plain http:// to a non-loopback host then it FAILS before any request', async () => {
    const { status, message, result } = await check({ ...refreshConfig(), domain: 'http://salesforce.example.invalid' });
    expect(status).toBe('FAILED');
    expect(message).toContain('plain http://');
    expect(message).toContain('salesforce.example.invalid');
    expect(result.stdout + result.stderr).not.toMatch(/ENOTFOUND|Could not resolve/);
    expect(fake.requests()).toEqual([]);
  });

  it('given a config file that is not JSON then it FAILS without a stack trace', async () => {
    const file = writeTempJson({}, 'config.json');
    fs.writeFileSync(file, '{"client_id": ');
    const result = await runCli(['check', '--config', file]);
    expect(result.code).toBe(0);
    expect(ofType(result, 'CONNECTION_STATUS')[0]?.connectionStatus).toEqual({ status: 'FAILED', message: expect.stringContaining('not valid JSON') });
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('given wrongly typed credentials then the message names the field and prints no value', async () => {
    // A secret placed where the spec expects something else still never reaches the output.
    const { status, result } = await check({ ...refreshConfig(), client_secret: 12345678, password: ['my-array-password-1'] }, ['my-array-password-1']);
    expect(status).toBe('FAILED');
    expect(result.stdout).toContain("'client_secret' must be a string");
  });

  it('given a Salesforce error text that echoes a credential then the credential is redacted', async () => {
    const body = JSON.stringify([{ errorCode: 'INVALID_FIELD', message: `weird echo of ${creds().refreshToken} and ${creds().clientSecret}` }]);
    fake.injectFault({ route: 'sobjects.list', status: 400, body });
    const { status, message } = await check(refreshConfig());
    expect(status).toBe('FAILED');
    expect(message).toContain('weird echo of **********');
  });

  it('given a login host nobody listens on then it FAILS naming the host', async () => {
    const config = { ...refreshConfig(), domain: 'http://127.0.0.1:9' };
    const result = await runCli(['check', '--config', writeTempJson(config, 'config.json')], { env: { DESTINATION_SALESFORCE_RETRY_BASE_MS: '1' } });
    expect(result.code).toBe(0);
    const [status] = ofType(result, 'CONNECTION_STATUS');
    expect(status?.connectionStatus.status).toBe('FAILED');
    expect(status?.connectionStatus.message).toContain('127.0.0.1:9');
    expectNoLeaks(result, secretValues([creds().clientSecret, creds().refreshToken]));
  });
});

describe('check of a mirror entry (stream_settings with mirror_scope): checked as a sync would plan it', () => {
  const mirror = (entry: Record<string, unknown>) => ({
    ...refreshConfig(),
    stream_settings: [{ stream: 'accounts', object: 'Account', external_id_name: 'Ext_Id__c', mirror_scope: "AccountNumber = 'WH'", ...entry }],
  });

  it('given a valid scope on an External ID then it SUCCEEDS after Salesforce ran the scope as SOQL', async () => {
    const { status } = await check(mirror({}));
    expect(status).toBe('SUCCEEDED');
    expect(fake.requests().filter((r) => r.route === 'query').map((r) => r.status)).toEqual([200]);
  });

  it('given a scope naming a field the object lacks then it FAILS quoting Salesforce, before any sync', async () => {
    const { status, message } = await check(mirror({ mirror_scope: "Source_System__c = 'warehouse'" }));
    expect(status).toBe('FAILED');
    expect(message).toMatch(/mirror_scope of stream_settings entry "accounts".*is not valid SOQL: Salesforce answered INVALID_FIELD/);
  });

  it('given a key that is not an External ID then it FAILS saying the key must be an External ID', async () => {
    const { status, message } = await check(mirror({ external_id_name: 'Name' }));
    expect(status).toBe('FAILED');
    expect(message).toMatch(/upsert key Name of Salesforce object Account is neither an External ID/);
  });
});
