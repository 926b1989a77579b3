import { createVerify, generateKeyPairSync } from 'node:crypto';
import { parseConfig } from '../../src/config/load-config';
import { ConnectorError } from '../../src/errors';
import { createSignIn } from '../../src/salesforce/auth';
import { buildJwtAssertion, jwtAudience } from '../../src/salesforce/jwt-assertion';
import { json, recordingSleep, startLocalServer, type Handler, type LocalServer } from './local-server';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

async function signInWith(raw: Record<string, unknown>, handler: Handler) {
  server = await startLocalServer(handler);
  const config = parseConfig({ ...raw, domain: server.url });
  const { sleep, delays } = recordingSleep();
  return { signIn: createSignIn(config, { retry: { sleep } }), seen: server.seen, delays, url: server.url };
}

const form = (body: Buffer): Record<string, string> => Object.fromEntries(new URLSearchParams(body.toString()));
const tokenOk = (url: string) => ({ access_token: '00Dxx0000000001!AQ4AQtoken', instance_url: url, token_type: 'Bearer', issued_at: '1595421961906' });

async function connectorError(p: Promise<unknown>): Promise<ConnectorError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectorError);
  return err as ConnectorError;
}

describe('createSignIn', () => {
  it('given a refresh token then it posts the refresh_token grant and returns the session', async () => {
    const { signIn, seen, url } = await signInWith({ client_id: 'cid', client_secret: 'csecret', refresh_token: 'rtoken' }, (_req, res) =>
      json(res, 200, tokenOk(url)),
    );
    expect(await signIn()).toEqual({ accessToken: '00Dxx0000000001!AQ4AQtoken', instanceUrl: url });
    expect(seen[0]?.url).toBe('/services/oauth2/token');
    expect(seen[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form(seen[0]!.body)).toEqual({ grant_type: 'refresh_token', refresh_token: 'rtoken', client_id: 'cid', client_secret: 'csecret' });
  });

  it('given invalid_grant on refresh then the message says the refresh token was refused', async () => {
    const { signIn } = await signInWith({ client_id: 'cid', refresh_token: 'rtoken' }, (_req, res) =>
      json(res, 400, { error: 'invalid_grant', error_description: 'expired access/refresh token' }),
    );
    const err = await connectorError(signIn());
    expect(err.failureType).toBe('config_error');
    expect(err.message).toMatch(/refused the refresh token \(expired or revoked\)/);
    expect(err.message).toContain("'refresh_token'");
  });

  it.each([
    ['invalid_client_id', 'client identifier invalid', "'client_id'"],
    ['invalid_client', 'invalid client credentials', "'client_secret'"],
  ])('given %s then the message names the client credential', async (error, description, named) => {
    const { signIn } = await signInWith({ client_id: 'cid', refresh_token: 'rtoken' }, (_req, res) => json(res, 400, { error, error_description: description }));
    const err = await connectorError(signIn());
    expect(err.failureType).toBe('config_error');
    expect(err.message).toContain(named);
  });

  it('given the token endpoint answers 503 then 200 then it retries', async () => {
    let n = 0;
    const { signIn, seen, delays, url } = await signInWith({ client_id: 'cid', refresh_token: 'rtoken' }, (_req, res) =>
      ++n === 1 ? json(res, 503, []) : json(res, 200, tokenOk(url)),
    );
    await signIn();
    expect(seen).toHaveLength(2);
    expect(delays).toHaveLength(1);
  });

  it('given the token endpoint keeps answering 500 then it is a transient error', async () => {
    const { signIn } = await signInWith({ client_id: 'cid', refresh_token: 'rtoken' }, (_req, res) => json(res, 500, []));
    expect((await connectorError(signIn())).failureType).toBe('transient_error');
  });

  it('given username, password and security token with client id/secret then it uses the OAuth password grant', async () => {
    const { signIn, seen, url } = await signInWith(
      { username: 'u@example.com', password: 'pw', security_token: 'TOKEN123', client_id: 'cid', client_secret: 'cs' },
      (_req, res) => json(res, 200, tokenOk(url)),
    );
    await signIn();
    expect(form(seen[0]!.body)).toEqual({ grant_type: 'password', client_id: 'cid', client_secret: 'cs', username: 'u@example.com', password: 'pwTOKEN123' });
  });

  it('given a refused password grant then the message names username, password and security token', async () => {
    const { signIn } = await signInWith({ username: 'u', password: 'pw-1234', client_id: 'cid', client_secret: 'cs' }, (_req, res) =>
      json(res, 400, { error: 'invalid_grant', error_description: 'authentication failure' }),
    );
    const err = await connectorError(signIn());
    expect(err.message).toContain("'username', 'password' and 'security_token'");
  });

  it('given username and password only then it logs in with SOAP login() and reads the session', async () => {
    const { signIn, seen, url } = await signInWith({ username: 'u@example.com', password: 'pw<&', security_token: 'TOK' }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><loginResponse><result>` +
          `<passwordExpired>false</passwordExpired><serverUrl>${url}/services/Soap/u/62.0/00Dxx</serverUrl><sessionId>00Dxx!soapsession</sessionId>` +
          `<userId>005xx</userId><organizationId>00Dxx</organizationId></result></loginResponse></soapenv:Body></soapenv:Envelope>`,
      );
    });
    expect(await signIn()).toEqual({ accessToken: '00Dxx!soapsession', instanceUrl: url });
    expect(seen[0]?.url).toBe('/services/Soap/u/62.0');
    expect(seen[0]?.body.toString()).toContain('<password>pw&lt;&amp;TOK</password>');
  });

  it('given a SOAP INVALID_LOGIN fault then the message names the credentials', async () => {
    const { signIn } = await signInWith({ username: 'u@example.com', password: 'pw-1234' }, (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/xml' });
      res.end(
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode>' +
          '<faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
      );
    });
    const err = await connectorError(signIn());
    expect(err.failureType).toBe('config_error');
    expect(err.message).toContain("'username', 'password' and 'security_token'");
  });

  it('given client credentials on a My Domain host then it posts the client_credentials grant', async () => {
    const { signIn, seen, url } = await signInWith({ client_id: 'cid', client_secret: 'cs' }, (_req, res) => json(res, 200, tokenOk(url)));
    await signIn();
    expect(form(seen[0]!.body)).toEqual({ grant_type: 'client_credentials', client_id: 'cid', client_secret: 'cs' });
  });

  it('given a JWT bearer config then it posts an RS256 assertion for client id, user and the login host', async () => {
    const { signIn, seen, url } = await signInWith({ client_id: 'cid', username: 'u@example.com', private_key: PEM }, (_req, res) =>
      json(res, 200, tokenOk(url)),
    );
    await signIn();
    const params = form(seen[0]!.body);
    expect(params.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [h, p, s] = params.assertion!.split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toMatchObject({ alg: 'RS256' });
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: 'cid', sub: 'u@example.com', aud: url });
    expect(claims.exp - Date.now() / 1000).toBeGreaterThan(60);
    expect(claims.exp - Date.now() / 1000).toBeLessThanOrEqual(300);
    expect(createVerify('RSA-SHA256').update(`${h}.${p}`).verify(publicKey, Buffer.from(s!, 'base64url'))).toBe(true);
  });

  it('given a private key with escaped line breaks then it still signs', () => {
    const escaped = PEM.replace(/\n/g, '\\n');
    expect(buildJwtAssertion(escaped, { clientId: 'c', username: 'u', audience: 'https://login.salesforce.com' }).split('.')).toHaveLength(3);
  });

  it('given a private key that is not PEM then it is a config_error naming private_key', () => {
    expect(() => buildJwtAssertion('not a key', { clientId: 'c', username: 'u', audience: 'a' })).toThrow(/'private_key'/);
  });

  it.each([
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://test.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'https://test.salesforce.com'],
    ['http://127.0.0.1:4444', 'http://127.0.0.1:4444'],
  ])('given login URL %s then the JWT audience is %s', (loginUrl, aud) => {
    expect(jwtAudience(loginUrl)).toBe(aud);
  });

  it('given an unreachable login host then the error names the host', async () => {
    const { signIn, url } = await signInWith({ client_id: 'cid', refresh_token: 'rtoken' }, (_req, res) => json(res, 200, {}));
    await server!.close();
    server = undefined;
    const err = await connectorError(signIn());
    expect(err.failureType).toBe('transient_error');
    expect(err.message).toContain(new URL(url).host);
  });

  it('given a token response pointing at a plain-http non-loopback instance then it is refused', async () => {
    const { signIn } = await signInWith({ client_id: 'cid', refresh_token: 'rtoken' }, (_req, res) =>
      json(res, 200, { access_token: 'x', instance_url: 'http://evil.example.com' }),
    );
    expect((await connectorError(signIn())).message).toContain('not a plain https://');
  });
});
