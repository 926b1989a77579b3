/**
 * CAT's connection suite (TestConnection.test_check), driven by acceptance-test-config.yml itself:
 * `succeed` = exactly one CONNECTION_STATUS SUCCEEDED; `failed` = exactly one FAILED, exit 0.
 * secrets/config.json is played by the local Salesforce stand-in's config (the suite never needs real
 * credentials); every other config_path is used as the file it names.
 * Plus the legacy DestinationAcceptanceTest's testCheckConnectionInvalidCredentials.
 */
import { ofType } from '../helpers/cli';
import { useFakeSalesforce } from '../helpers/test-env';
import { loadCatConfig, repoFile, runCheck, runCheckFile, SECRETS_CONFIG_PATH, single, TEST_TIMEOUT_MS } from './acceptance-helpers';

jest.setTimeout(TEST_TIMEOUT_MS);

const sf = useFakeSalesforce({ reset: false });

const STATUS: Record<string, string> = { succeed: 'SUCCEEDED', failed: 'FAILED' };
const cases = (loadCatConfig().acceptance_tests.connection?.tests ?? []).map((t) => [t.config_path, t.status] as const);

describe('connection (CAT TestConnection)', () => {
  it('acceptance-test-config.yml has a succeed and a failed case', () => {
    expect(cases.map(([, status]) => status).sort()).toEqual(['failed', 'succeed']);
  });

  it.each(cases)('check --config %s → %s', async (configPath, status) => {
    expect(Object.keys(STATUS)).toContain(status); // `exception` is Python-only (Traceback on stderr)
    const r = configPath === SECRETS_CONFIG_PATH ? await runCheck(sf.config) : await runCheckFile(repoFile(configPath));
    const connection = single(r, 'CONNECTION_STATUS').connectionStatus;
    expect(connection.status).toBe(STATUS[status]);
    expect(r.code).toBe(0);
    expect(ofType(r, 'TRACE').filter((t) => t.trace?.type === 'ERROR')).toEqual([]);
    if (status === 'failed') {
      expect(typeof connection.message).toBe('string');
      expect(connection.message.length).toBeGreaterThan(0);
    }
  });

  it('names what is wrong with integration_tests/invalid_config.json and prints none of its secrets', async () => {
    const r = await runCheckFile(repoFile('integration_tests/invalid_config.json'));
    const { message } = single(r, 'CONNECTION_STATUS').connectionStatus;
    expect(message).toMatch(/action/);
    expect(message).toMatch(/api_version/);
    for (const secret of ['cat-invalid-consumer-secret-0001', 'cat-invalid-refresh-token-0001']) {
      expect(r.stdout).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
    }
  });

  it('a well-formed config with a wrong refresh token → one FAILED, exit 0 (testCheckConnectionInvalidCredentials)', async () => {
    const r = await runCheck({ ...sf.config, refresh_token: 'not-the-refresh-token-0001' });
    expect(single(r, 'CONNECTION_STATUS').connectionStatus.status).toBe('FAILED');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('not-the-refresh-token-0001');
  });
});
