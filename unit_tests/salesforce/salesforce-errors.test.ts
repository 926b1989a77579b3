import { apiErrorFromResponse, unreachableError } from '../../src/salesforce/salesforce-errors';

describe('unreachableError', () => {
  it('given ENOTFOUND on a host from the config then it is a config_error naming domain', () => {
    const err = unreachableError('acme.my.salesforce.com', 'ENOTFOUND', 'Salesforce login', 'config');
    expect(err.failureType).toBe('config_error');
    expect(err.message).toContain("'domain'");
  });

  it('given ENOTFOUND on a host Salesforce named (instance_url) then it is transient and does not blame domain', () => {
    const err = unreachableError('acme.my.salesforce.com', 'ENOTFOUND', 'Salesforce instance', 'salesforce');
    expect(err.failureType).toBe('transient_error');
    expect(err.message).toContain('acme.my.salesforce.com');
    expect(err.message).not.toContain("'domain'");
  });

  it.each(['config', 'salesforce'] as const)('given a refused connection to a host from %s then it is transient', (origin) => {
    expect(unreachableError('h.example.com', 'ECONNREFUSED', 'Salesforce', origin).failureType).toBe('transient_error');
  });
});

describe('apiErrorFromResponse', () => {
  const body = (errorCode: string) => Buffer.from(JSON.stringify([{ errorCode, message: 'nope' }]));

  it('given a 401 without a renewal then it does not claim the connector signed in again', () => {
    const err = apiErrorFromResponse('GET', 'sobjects', 401, body('INVALID_AUTH_HEADER'), '62.0', false);
    expect(err.failureType).toBe('config_error');
    expect(err.message).toContain('INVALID_AUTH_HEADER');
    expect(err.message).not.toMatch(/signing in again/);
  });

  it('given a 401 after a renewal then it says the session was refused even after signing in again', () => {
    const err = apiErrorFromResponse('GET', 'sobjects', 401, body('INVALID_SESSION_ID'), '62.0', true);
    expect(err.message).toMatch(/refused even after signing in again/);
  });
});
