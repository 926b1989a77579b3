/** Auth errors, daily API budget, fault injection, versions/limits, gzip (reference §4, §2, §9). */
import { request } from 'undici';
import { call, createJob, getToken, useFake } from './test-helpers';

const { fake, token } = useFake({ processingDelayMs: 5 });
beforeEach(() => fake.set({ dailyApiLimit: undefined }));

describe('two hosts', () => {
  it('the login host refuses every data call with 401 INVALID_SESSION_ID, even with a valid token', async () => {
    for (const path of ['jobs/ingest', 'sobjects', 'sobjects/Account/describe', 'query?q=SELECT+Id+FROM+Account', 'nope']) {
      const r = await fetch(`${fake.loginUrl}/services/data/v62.0/${path}`, { headers: { Authorization: `Bearer ${token()}` } });
      expect(r.status).toBe(401);
      expect(await r.text()).toBe('[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]');
      expect(r.headers.get('www-authenticate')).toBe('Token');
    }
    const post = await fetch(`${fake.loginUrl}/services/data/v62.0/jobs/ingest`, {
      method: 'POST', headers: { Authorization: `Bearer ${token()}`, 'Content-Type': 'application/json' }, body: '{"object":"Account","operation":"insert"}',
    });
    expect(post.status).toBe(401);
    expect(fake.jobs()).toEqual([]);
    expect(fake.requests().map((r) => `${r.host} ${r.route} ${r.status}`)).toEqual(Array(6).fill('login login.data 401'));
    // The same call on the instance host works.
    expect((await call(fake, token(), 'GET', 'jobs/ingest')).status).toBe(200);
  });

  it('the token and SOAP login name the instance host; the login host serves OAuth, SOAP login and the version list', async () => {
    expect(fake.instanceUrl).not.toBe(fake.loginUrl);
    const versions = await fetch(`${fake.loginUrl}/services/data/`);
    expect(versions.status).toBe(200);
    const c = fake.credentials;
    const envelope = '<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
      + `<soapenv:Body><login xmlns="urn:partner.soap.sforce.com"><username>${c.username}</username><password>${c.password + c.securityToken}</password></login></soapenv:Body></soapenv:Envelope>`;
    const soap = await fetch(`${fake.loginUrl}/services/Soap/u/62.0`, { method: 'POST', headers: { 'Content-Type': 'text/xml', SOAPAction: '""' }, body: envelope });
    expect(soap.status).toBe(200);
    expect(await soap.text()).toContain(`<serverUrl>${fake.instanceUrl}/services/Soap/u/62.0/`);
  });
});

describe('auth errors', () => {
  it('401 INVALID_SESSION_ID with WWW-Authenticate: Token for an unknown or missing token', async () => {
    for (const t of ['00Dbogus!token', undefined]) {
      const r = await call(fake, t, 'GET', 'sobjects');
      expect(r.status).toBe(401);
      expect(r.text).toBe('[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]');
      expect(r.headers.get('www-authenticate')).toBe('Token');
    }
  });

  it('non-Bearer Authorization → INVALID_AUTH_HEADER', async () => {
    const r = await call(fake, undefined, 'GET', 'sobjects', undefined, { Authorization: 'Basic abc' });
    expect(r.status).toBe(401);
    expect(r.json()).toEqual([{ message: 'INVALID_HEADER_TYPE', errorCode: 'INVALID_AUTH_HEADER' }]);
  });

  it.each([
    [{ grant_type: 'refresh_token', refresh_token: 'nope' }, { error: 'invalid_grant', error_description: 'expired access/refresh token' }],
    [{ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'wrong' }, { error: 'invalid_client_id', error_description: 'client identifier invalid' }],
    [{ grant_type: 'magic' }, { error: 'unsupported_grant_type', error_description: 'grant type not supported' }],
  ])('token endpoint error %j', async (form, expected) => {
    const body = new URLSearchParams({ client_id: fake.credentials.clientId, ...form });
    const r = await fetch(`${fake.loginUrl}/services/oauth2/token`, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual(expected);
  });

  it('token responses carry no expires_in', async () => {
    const c = fake.credentials;
    const r = await fetch(`${fake.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', client_id: c.clientId, client_secret: c.clientSecret, username: c.username, password: c.password + c.securityToken }),
    });
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('expires_in');
    expect(body).toMatchObject({ token_type: 'Bearer', instance_url: fake.instanceUrl });
    expect(String(body.id)).toMatch(new RegExp(`^${fake.loginUrl}/id/00D\\w{15}/005\\w{15}$`));
  });
});

describe('daily API budget', () => {
  it('counts requests in Sforce-Limit-Info and answers 403 REQUEST_LIMIT_EXCEEDED past the max', async () => {
    fake.set({ dailyApiLimit: 3 });
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call(fake, token(), 'GET', 'limits');
      expect(r.status).toBe(200);
      seen.push(String(r.headers.get('sforce-limit-info')));
    }
    expect(seen).toEqual(['api-usage=1/3', 'api-usage=2/3', 'api-usage=3/3']);
    const over = await call(fake, token(), 'GET', 'sobjects');
    expect(over.status).toBe(403);
    expect(over.text).toBe('[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]');
  });

  it('/limits reports DailyApiRequests Max and Remaining', async () => {
    const r = (await call(fake, token(), 'GET', 'limits/')).json() as Record<string, { Max: number; Remaining: number }>;
    expect(r.DailyApiRequests).toEqual({ Max: 100000, Remaining: 99999 });
    expect(r.DailyBulkApiBatches).toEqual({ Max: 15000, Remaining: 15000 });
  });
});

describe('fault injection', () => {
  it('answers the scripted status on the nth..nth+times-1 calls of a route, then recovers', async () => {
    const id = await createJob(fake, token(), { object: 'Account', operation: 'insert' });
    fake.injectFault({ route: 'ingest.info', nth: 2, times: 2, status: 503, body: 'Service Unavailable' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(fake, token(), 'GET', `jobs/ingest/${id}`)).status);
    expect(statuses).toEqual([200, 503, 503, 200]);
    expect(fake.requests().filter((r) => r.route === 'ingest.info').map((r) => r.status)).toEqual([200, 503, 503, 200]);
  });

  it('default fault body is Salesforce\'s UNKNOWN_EXCEPTION array', async () => {
    fake.injectFault({ route: 'sobjects.list' });
    const r = await call(fake, token(), 'GET', 'sobjects');
    expect(r.status).toBe(500);
    expect((r.json() as Array<{ errorCode: string }>)[0]?.errorCode).toBe('UNKNOWN_EXCEPTION');
  });

  it('drop destroys the connection without an answer', async () => {
    fake.injectFault({ route: 'oauth.token', drop: true });
    await expect(getToken(fake)).rejects.toThrow();
    await expect(getToken(fake)).resolves.toMatch(/^00D/);
  });

  it('afterHandling: the close takes effect but its answer is lost', async () => {
    const id = await createJob(fake, token(), { object: 'Account', operation: 'insert' });
    await call(fake, token(), 'PUT', `jobs/ingest/${id}/batches`, 'Name\nA\n', { 'Content-Type': 'text/csv' });
    fake.injectFault({ route: 'ingest.patch', drop: true, afterHandling: true });
    await expect(call(fake, token(), 'PATCH', `jobs/ingest/${id}`, { state: 'UploadComplete' })).rejects.toThrow();
    expect(fake.jobs()[0]?.state).not.toBe('Open');
  });
});

describe('discovery endpoints', () => {
  it('GET /services/data lists versions without auth; v62.0 is Winter \'25', async () => {
    const r = await call(fake, undefined, 'GET', '/services/data/');
    expect(r.status).toBe(200);
    expect(r.json()).toEqual(expect.arrayContaining([{ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' }]));
  });

  it('describe accepts a trailing slash; unknown object and bad version are 404 NOT_FOUND', async () => {
    expect((await call(fake, token(), 'GET', 'sobjects/Account/describe/')).status).toBe(200);
    const nope = await call(fake, token(), 'GET', 'sobjects/Nope/describe');
    expect(nope.status).toBe(404);
    expect(nope.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    expect((await call(fake, token(), 'GET', '/services/data/viAmABadVersion/sobjects')).status).toBe(404);
  });

  it('gzip when Accept-Encoding: gzip', async () => {
    const r = await request(`${fake.instanceUrl}/services/data/v62.0/sobjects`, { headers: { authorization: `Bearer ${token()}`, 'accept-encoding': 'gzip' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-encoding']).toBe('gzip');
    const { gunzipSync } = await import('node:zlib');
    const body = JSON.parse(gunzipSync(Buffer.from(await r.body.arrayBuffer())).toString()) as { maxBatchSize: number };
    expect(body.maxBatchSize).toBe(200);
  });
});

describe('sObject Collections limits', () => {
  it('more than 200 records → 400 EXCEEDED_ID_LIMIT; upsert on a non-external-id field → 404', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Account' }, Name: `N${i}` }));
    const r = await call(fake, token(), 'POST', 'composite/sobjects', { allOrNone: false, records });
    expect(r.status).toBe(400);
    expect((r.json() as Array<{ errorCode: string }>)[0]?.errorCode).toBe('EXCEEDED_ID_LIMIT');
    expect(fake.records('Account')).toEqual([]);
    const u = await call(fake, token(), 'PATCH', 'composite/sobjects/Account/Name', { records: [{ attributes: { type: 'Account' }, Name: 'x' }] });
    expect(u.status).toBe(404);
  });
});
