import { resolveLoginTarget } from '../../src/salesforce/login-url';

describe('resolveLoginTarget', () => {
  it.each([
    [undefined, false, 'https://login.salesforce.com', false],
    ['', false, 'https://login.salesforce.com', false],
    ['login', false, 'https://login.salesforce.com', false],
    ['LOGIN', false, 'https://login.salesforce.com', false],
    ['login', true, 'https://test.salesforce.com', false],
    [undefined, true, 'https://test.salesforce.com', false],
    ['test', false, 'https://test.salesforce.com', false],
    ['acme', false, 'https://acme.my.salesforce.com', true],
    ['Acme', true, 'https://acme.my.salesforce.com', true],
    ['acme--uat', false, 'https://acme--uat.sandbox.my.salesforce.com', true],
    ['acme.my', false, 'https://acme.my.salesforce.com', true],
    ['acme--uat.sandbox.my', false, 'https://acme--uat.sandbox.my.salesforce.com', true],
    ['acme.my.salesforce.com', false, 'https://acme.my.salesforce.com', true],
    ['login.salesforce.com', false, 'https://login.salesforce.com', false],
    ['https://acme.my.salesforce.com/', false, 'https://acme.my.salesforce.com', true],
    ['https://test.salesforce.com/services/oauth2/token', false, 'https://test.salesforce.com', false],
    ['http://127.0.0.1:8080', false, 'http://127.0.0.1:8080', true],
    ['http://localhost:8080/', false, 'http://localhost:8080', true],
    ['http://[::1]:8080', false, 'http://[::1]:8080', true],
  ])('given domain %p (sandbox %p) then %s', (domain, sandbox, url, myDomain) => {
    expect(resolveLoginTarget(domain, sandbox)).toEqual({ loginUrl: url, isMyDomain: myDomain });
  });

  it.each(['http://example.invalid', 'http://acme.my.salesforce.com', 'http://10.0.0.1:8080'])('given %s then plain http is refused', (domain) => {
    expect(() => resolveLoginTarget(domain)).toThrow(/plain http:\/\/.*loopback/);
  });

  it.each(['ftp://acme.example.com', 'acme corp', 'https://'])('given %p then the domain is refused', (domain) => {
    expect(() => resolveLoginTarget(domain)).toThrow(/'domain'/);
  });
});
