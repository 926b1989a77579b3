import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfig, loadConfig } from '../../src/config/load-config';
import { ConnectorError } from '../../src/errors';
import { Emitter } from '../../src/protocol/emitter';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'integration_tests', 'fixtures');
const fixture = (name: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));

const base = { client_id: 'client-id-1', refresh_token: 'refresh-token-1' };

function configErrorOf(raw: unknown): ConnectorError {
  try {
    parseConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).failureType).toBe('config_error');
    return err as ConnectorError;
  }
  throw new Error('expected a config_error');
}

describe('parseConfig with the seed configs', () => {
  it("given Mage's config unchanged when parsed then it is a refresh-token config for login.salesforce.com on table_name", () => {
    const config = parseConfig(fixture('mage_config.json'));
    expect(config.auth).toEqual({
      type: 'oauth2_refresh_token',
      clientId: '3MVG9mage-consumer-key-example',
      clientSecret: 'mage-consumer-secret-example-0001',
      refreshToken: '5Aep861mage-refresh-token-example-0001',
    });
    expect(config.loginUrl).toBe('https://login.salesforce.com');
    expect(config.isMyDomain).toBe(false);
    expect(config.tableName).toBe('Account');
    expect(config.action).toBe('insert');
    expect(config.externalIdName).toBe('Id');
    expect(config.allowFailures).toBe(false);
    expect(config.secrets.sort()).toEqual(['5Aep861mage-refresh-token-example-0001', 'mage-consumer-secret-example-0001']);
  });

  it("given Airbyte's config (auth_type Client, is_sandbox, storage None) when parsed then defaults apply", () => {
    const config = parseConfig(fixture('airbyte_config.json'));
    expect(config.auth.type).toBe('oauth2_refresh_token');
    expect(config.loginUrl).toBe('https://login.salesforce.com');
    expect(config.storage).toEqual({ storageType: 'None' });
    expect(config).toMatchObject({ apiVersion: '62.0', action: 'insert', bulkJobMaxMb: 100, maxStateDelaySeconds: 600, maxJobsInFlight: 4 });
    expect(config.tableName).toBeUndefined();
  });

  it("given Airbyte's config with is_sandbox true then it signs in at test.salesforce.com", () => {
    expect(parseConfig({ ...fixture('airbyte_config.json'), is_sandbox: true }).loginUrl).toBe('https://test.salesforce.com');
  });

  it("given Airbyte's S3 storage with its object-shaped format then it is accepted", () => {
    const config = parseConfig({
      ...base,
      object_storage_config: {
        storage_type: 'S3',
        access_key_id: 'AKIAEXAMPLE',
        secret_access_key: 'secret-access-key-1',
        s3_bucket_name: 'rejects',
        s3_bucket_region: 'eu-west-1',
        bucket_path: 'rejected_records/',
        format: { format_type: 'CSV', flattening: 'No flattening' },
      },
    });
    expect(config.storage).toEqual({
      storageType: 'S3',
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'secret-access-key-1',
      bucketName: 'rejects',
      region: 'eu-west-1',
      bucketPath: 'rejected_records/',
      format: 'csv',
    });
    expect(config.secrets).toEqual(expect.arrayContaining(['AKIAEXAMPLE', 'secret-access-key-1', 'refresh-token-1']));
  });
});

describe('parseConfig validation messages', () => {
  it.each([
    [{ ...base, bulk_job_max_mb: 101 }, "'bulk_job_max_mb' must be <= 100"],
    [{ ...base, bulk_job_max_mb: 0 }, "'bulk_job_max_mb' must be > 0"],
    [{ ...base, action: 'merge' }, "'action' must be one of: insert, update, upsert, delete, hard_delete"],
    [{ ...base, allow_failures: 'yes' }, "'allow_failures' must be true or false"],
    [{ ...base, api_version: 'v62' }, "'api_version' must be a version like \"62.0\""],
    [{ ...base, max_jobs_in_flight: 26 }, "'max_jobs_in_flight' must be <= 25"],
    [{ ...base, discover_objects: 'Account' }, "'discover_objects' must be an array"],
    [{ ...base, auth_type: 'magic' }, "'auth_type' must be one of"],
    [{ ...base, object_storage_config: { storage_type: 'S3' } }, "'object_storage_config.s3_bucket_name' is required"],
    [{ ...base, object_storage_config: { storage_type: 'GCS' } }, "'object_storage_config.storage_type' must be one of: None, S3"],
    [{ ...base, object_storage_config: {} }, "'object_storage_config.storage_type' is required"],
    [{ ...base, column_mapping: { users: { email: 3 } } }, "'column_mapping.users.email'"],
  ])('given %j then the message names the field', (raw, expected) => {
    const err = configErrorOf(raw);
    expect(err.message).toContain('Config validation error:');
    expect(err.message).toContain(expected);
  });

  it('given the invalid fixture then every problem is named and no value is echoed', () => {
    const err = configErrorOf(fixture('invalid_config.json'));
    expect(err.message).toContain("'bulk_job_max_mb' must be <= 100");
    expect(err.message).toContain("'action' must be one of");
    expect(err.message).not.toContain('invalid-consumer-secret-example-0001');
    expect(err.message).not.toContain('merge');
  });

  it('given null optional keys (as the platform injects) then they are dropped before validation', () => {
    const config = parseConfig({ ...base, table_name: null, domain: null, bulk_job_max_mb: null, object_storage_config: null, api_version: null });
    expect(config).toMatchObject({ loginUrl: 'https://login.salesforce.com', bulkJobMaxMb: 100, apiVersion: '62.0', storage: { storageType: 'None' } });
    expect(config.tableName).toBeUndefined();
  });

  it('given something other than an object then it is refused', () => {
    expect(configErrorOf([1, 2]).message).toContain('must be a JSON object');
  });
});

describe('parseConfig auth flows', () => {
  it.each([
    [{ refresh_token: 'r-token-1', client_id: 'c' }, 'oauth2_refresh_token'],
    [{ username: 'u@example.com', password: 'pw-123456' }, 'username_password'],
    [{ username: 'u@example.com', password: 'pw-123456', client_id: 'c', client_secret: 's-123456' }, 'username_password'],
    [{ client_id: 'c', client_secret: 's-123456', domain: 'acme' }, 'client_credentials'],
    [{ client_id: 'c', username: 'u@example.com', private_key: '-----BEGIN PRIVATE KEY-----x' }, 'jwt_bearer'],
    [{ auth_type: 'Client', refresh_token: 'r-token-1', client_id: 'c' }, 'oauth2_refresh_token'],
  ])('given %j then the flow is %s', (raw, type) => {
    expect(parseConfig(raw).auth.type).toBe(type);
  });

  it("given Mage's empty-string credentials then they do not count", () => {
    expect(configErrorOf({ client_id: 'c', refresh_token: '', username: '', password: '' }).message).toContain('no usable credentials');
  });

  it('given an explicit flow without its keys then the message lists the missing keys', () => {
    const err = configErrorOf({ auth_type: 'jwt_bearer', client_id: 'c' });
    expect(err.message).toContain("missing: 'username', 'private_key'");
  });

  it('given client credentials on login.salesforce.com then it is refused before any request, asking for My Domain', () => {
    const err = configErrorOf({ client_id: 'c', client_secret: 's-123456' });
    expect(err.message).toContain('My Domain');
    expect(err.message).toContain("'domain'");
  });

  it('given username/password without client id/secret on API 65.0 then SOAP is refused with the alternatives', () => {
    const err = configErrorOf({ username: 'u', password: 'pw-123456', api_version: '65.0' });
    expect(err.message).toContain('SOAP login()');
    expect(err.message).toContain("'client_id' and 'client_secret'");
    expect(parseConfig({ username: 'u', password: 'pw-123456', client_id: 'c', client_secret: 's', api_version: '65.0' }).auth.type).toBe(
      'username_password',
    );
  });
});

describe('loadConfig', () => {
  const write = (text: string): string => {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'dsf-config-'));
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, text);
    return file;
  };

  it('given a file that is not JSON then it is a config_error', () => {
    expect(() => loadConfig(write('{nope'), new Emitter(() => undefined))).toThrow(/not valid JSON/);
  });

  it('given an invalid config and an emitter then its secrets are registered before validation fails', () => {
    const lines: string[] = [];
    const emitter = new Emitter((l) => lines.push(l));
    expect(() => loadConfig(write(JSON.stringify({ client_secret: 'very-secret-value', my_password: 'other-secret-value', bulk_job_max_mb: 'x' })), emitter)).toThrow(ConnectorError);
    emitter.info('leak very-secret-value and other-secret-value');
    expect(lines.join('')).not.toContain('very-secret-value');
    expect(lines.join('')).not.toContain('other-secret-value');
  });
});

describe('object_storage_config.s3_endpoint', () => {
  const withEndpoint = (s3_endpoint: string) => ({
    client_id: 'id',
    client_secret: 'secret-value',
    refresh_token: 'refresh-value',
    object_storage_config: { storage_type: 'S3', s3_bucket_name: 'b', s3_bucket_region: 'us-east-1', bucket_path: 'p', s3_endpoint },
  });
  const storageOf = (s3_endpoint: string) => parseConfig(withEndpoint(s3_endpoint)).storage;

  test('https endpoints and loopback http are accepted (trailing slash dropped)', () => {
    expect(storageOf('https://s3.example.com/')).toMatchObject({ endpoint: 'https://s3.example.com' });
    expect(storageOf('http://127.0.0.1:4568')).toMatchObject({ endpoint: 'http://127.0.0.1:4568' });
  });

  test.each([
    ['http://minio.internal:9000', /https:\/\//],
    ['not a url', /must be a URL/],
    ['ftp://files.example.com', /https:\/\//],
    ['https://minio:pa55w0rdXYZ@s3.example.com', /user name or password/],
  ])('%s is refused as a config error before any request, never echoing a password', (endpoint, why) => {
    let error: unknown;
    try {
      parseConfig(withEndpoint(endpoint));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ failureType: 'config_error', message: expect.stringMatching(why) });
    expect(String((error as Error).message)).not.toContain('pa55w0rdXYZ');
  });
});
