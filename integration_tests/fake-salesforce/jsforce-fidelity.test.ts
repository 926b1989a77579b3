/** jsforce, unchanged, drives the fake: the bar of issue 2 ("a client written against Salesforce works against it"). */
import { createSign } from 'node:crypto';
import { Connection, OAuth2 } from '@jsforce/jsforce-node';
import { checksum } from './ids';
import { useFake } from './test-helpers';

const { fake } = useFake({ processingDelayMs: 20, resultOrder: 'upload' });

function refreshConnection(): Connection {
  const c = fake.credentials;
  return new Connection({
    oauth2: { loginUrl: fake.loginUrl, clientId: c.clientId, clientSecret: c.clientSecret },
    instanceUrl: fake.instanceUrl,
    refreshToken: c.refreshToken,
    version: '62.0',
  });
}

async function loggedIn(): Promise<Connection> {
  const c = fake.credentials;
  const conn = new Connection({ oauth2: { loginUrl: fake.loginUrl, clientId: c.clientId, clientSecret: c.clientSecret }, version: '62.0' });
  await conn.login(c.username, c.password + c.securityToken);
  return conn;
}

describe('authentication', () => {
  it('refresh-token connection: first call gets 401, jsforce refreshes and retries', async () => {
    const conn = refreshConnection();
    let refreshed = 0;
    conn.on('refresh', () => (refreshed += 1));
    const res = await conn.describeGlobal();
    expect(refreshed).toBe(1);
    expect(res.sobjects.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Account', 'Contact', 'Lead', 'Invoice__c', 'Order_Event__e', 'Audit_Log__c', 'User']),
    );
    expect(fake.requests().map((r) => `${r.route} ${r.status}`)).toEqual(['sobjects.list 401', 'oauth.token 200', 'sobjects.list 200']);
  });

  it('OAuth password flow (conn.login with clientId) returns an instance URL on the fake', async () => {
    const conn = await loggedIn();
    expect(conn.instanceUrl).toBe(fake.instanceUrl);
    expect(conn.accessToken).toMatch(/^00D\w{12}!/);
    expect(conn.userInfo?.organizationId).toMatch(/^00D/);
  });

  it('OAuth password flow rejects a password without the security token', async () => {
    const oauth2 = new OAuth2({ loginUrl: fake.loginUrl, clientId: fake.credentials.clientId, clientSecret: fake.credentials.clientSecret });
    await expect(oauth2.authenticate(fake.credentials.username, fake.credentials.password)).rejects.toThrow(/authentication failure/);
  });

  it('SOAP login (conn.login without clientId) sets instanceUrl from serverUrl', async () => {
    const conn = new Connection({ loginUrl: fake.loginUrl, version: '62.0' });
    const info = await conn.login(fake.credentials.username, fake.credentials.password + fake.credentials.securityToken);
    expect(conn.instanceUrl).toBe(fake.instanceUrl);
    expect(info.organizationId).toMatch(/^00D/);
    const d = await conn.describe('Contact');
    expect(d.name).toBe('Contact');
  });

  it('SOAP login: INVALID_LOGIN fault on bad credentials, a fault on 65.0+', async () => {
    const bad = new Connection({ loginUrl: fake.loginUrl, version: '62.0' });
    await expect(bad.login(fake.credentials.username, 'nope')).rejects.toThrow(
      'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
    );
    const v65 = new Connection({ loginUrl: fake.loginUrl, version: '65.0' });
    await expect(v65.login(fake.credentials.username, fake.credentials.password + fake.credentials.securityToken)).rejects.toThrow(/UNSUPPORTED_API_VERSION/);
  });

  it('JWT bearer: an RS256 assertion signed with the fake key is accepted, a wrong audience is not', async () => {
    const c = fake.credentials;
    const assertion = (aud: string) => {
      const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const input = `${enc({ alg: 'RS256' })}.${enc({ iss: c.clientId, sub: c.username, aud, exp: Math.floor(Date.now() / 1000) + 180 })}`;
      return `${input}.${createSign('RSA-SHA256').update(input).sign(c.privateKey).toString('base64url')}`;
    };
    const post = (a: string) => fetch(`${fake.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: a }),
    });
    const ok = await post(assertion('https://login.salesforce.com'));
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['access_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']);
    expect(body.instance_url).toBe(fake.instanceUrl);
    expect(body.issued_at).toMatch(/^\d{13}$/);
    const conn = new Connection({ instanceUrl: fake.instanceUrl, accessToken: String(body.access_token), version: '62.0' });
    expect((await conn.describe('Lead')).name).toBe('Lead');
    const bad = await post(assertion('https://example.com'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_grant', error_description: 'audience is invalid' });
  });

  it('client_credentials works on a My Domain host and is refused in login-host mode', async () => {
    const conn = new Connection({ oauth2: { loginUrl: fake.loginUrl, clientId: fake.credentials.clientId, clientSecret: fake.credentials.clientSecret }, version: '62.0' });
    await conn.authorize({ grant_type: 'client_credentials' });
    expect(conn.instanceUrl).toBe(fake.instanceUrl);
    fake.set({ hostMode: 'login' });
    try {
      await expect(conn.authorize({ grant_type: 'client_credentials' })).rejects.toThrow(/request not supported on this domain/);
    } finally {
      fake.set({ hostMode: 'my_domain' });
    }
  });

  it('tokenExpiresAfterRequests: the token dies after N calls and jsforce refreshes transparently', async () => {
    fake.set({ tokenExpiresAfterRequests: 2 });
    try {
      const conn = refreshConnection();
      let refreshed = 0;
      conn.on('refresh', () => (refreshed += 1));
      for (let i = 0; i < 5; i++) expect((await conn.describe('Account')).name).toBe('Account');
      expect(refreshed).toBe(3);
      expect(fake.requests().filter((r) => r.status === 401)).toHaveLength(3);
    } finally {
      fake.set({ tokenExpiresAfterRequests: undefined });
    }
  });
});

describe('describe', () => {
  it('required-on-insert, external ids, restricted picklists and relationships as in the org schema', async () => {
    const conn = refreshConnection();
    const account = await conn.describe('Account');
    const field = (n: string) => account.fields.find((f) => f.name === n);
    const required = account.fields.filter((f) => f.createable && !f.nillable && !f.defaultedOnCreate).map((f) => f.name);
    expect(required).toEqual(['Name']);
    expect(field('Ext_Id__c')).toMatchObject({ externalId: true, unique: true, length: 50, type: 'string' });
    expect(field('Rating')).toMatchObject({ type: 'picklist', restrictedPicklist: true });
    expect(field('Rating')?.picklistValues?.map((p) => p.value)).toEqual(['Hot', 'Warm', 'Cold']);
    expect(field('AnnualRevenue')).toMatchObject({ type: 'currency', precision: 18, scale: 2 });
    expect(field('CreatedDate')).toMatchObject({ createable: false, updateable: false });
    expect(field('OwnerId')).toMatchObject({ defaultedOnCreate: true, referenceTo: ['User'], relationshipName: 'Owner' });
    const contact = await conn.describe('Contact');
    expect(contact.fields.find((f) => f.name === 'AccountId')).toMatchObject({ referenceTo: ['Account'], relationshipName: 'Account' });
    const event = await conn.describe('Order_Event__e');
    expect(event).toMatchObject({ createable: true, updateable: false, deletable: false, queryable: false, keyPrefix: 'e00' });
    await expect(conn.describe('Nope__c')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });
});

describe('Bulk API 2.0 through jsforce', () => {
  it('insert with a failing row: JobComplete, one success, one REQUIRED_FIELD_MISSING', async () => {
    const conn = refreshConnection();
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Account', operation: 'insert', pollInterval: 20, pollTimeout: 10000,
      input: [{ Name: 'Good', NumberOfEmployees: 10 }, { Name: null, NumberOfEmployees: 5 }],
    });
    expect(res.successfulResults).toHaveLength(1);
    expect(res.successfulResults[0]).toMatchObject({ sf__Created: 'true', Name: 'Good', NumberOfEmployees: '10' });
    expect(res.failedResults).toEqual([
      { sf__Id: '', sf__Error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --', Name: '#N/A', NumberOfEmployees: '5' },
    ]);
    expect(res.unprocessedRecords).toEqual([]);
    expect(fake.records('Account')).toEqual([expect.objectContaining({ Name: 'Good', NumberOfEmployees: 10 })]);
    const job = fake.jobs()[0];
    expect(job).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 1, puts: 1 });
  });

  it('upsert by external id reports created and updated rows', async () => {
    const [existing] = fake.seed('Account', [{ Name: 'Old', Ext_Id__c: 'E-1' }]);
    const conn = refreshConnection();
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Account', operation: 'upsert', externalIdFieldName: 'Ext_Id__c', pollInterval: 20,
      input: [{ Ext_Id__c: 'E-1', Name: 'Renamed' }, { Ext_Id__c: 'E-2', Name: 'New' }],
    });
    const byExt = Object.fromEntries(res.successfulResults.map((r) => [(r as Record<string, unknown>).Ext_Id__c, r]));
    expect(byExt['E-1']).toMatchObject({ sf__Id: existing, sf__Created: 'false' });
    expect(byExt['E-2']).toMatchObject({ sf__Created: 'true' });
    expect(fake.records('Account').map((r) => r.Name).sort()).toEqual(['New', 'Renamed']);
  });

  it('delete: soft-deleted ids land in the recycle bin, an unknown id fails', async () => {
    const ids = fake.seed('Account', [{ Name: 'A' }, { Name: 'B' }]);
    const unknown = '001Hs00000ZZZZZ' + checksum('001Hs00000ZZZZZ');
    const conn = refreshConnection();
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Account', operation: 'delete', pollInterval: 20,
      input: [{ Id: ids[0] }, { Id: unknown }],
    });
    expect(res.successfulResults).toEqual([{ sf__Id: ids[0], sf__Created: 'false', Id: ids[0] }]);
    expect(res.failedResults).toEqual([{ sf__Id: '', sf__Error: 'INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--', Id: unknown }]);
    expect(fake.deletedIds('Account')).toEqual([ids[0]]);
    expect(fake.records('Account').map((r) => r.Id)).toEqual([ids[1]]);
  });

  it('job-level failure surfaces as jsforce "Ingest job failed to complete due to: …"', async () => {
    const conn = refreshConnection();
    await expect(conn.bulk2.loadAndWaitForResults({
      object: 'Account', operation: 'insert', pollInterval: 20, input: [{ Name: 'x', Nope__c: 'y' }],
    })).rejects.toThrow('Ingest job failed to complete due to: InvalidBatch : Field name not found : Nope__c');
  });
});

describe('sObject Collections through jsforce', () => {
  it('insert, update, upsert, delete', async () => {
    const conn = refreshConnection();
    const created = await conn.sobject('Account').create([{ Name: 'One', Ext_Id__c: 'C-1' }, { Name: 'Two' }]);
    expect(created.every((r) => r.success)).toBe(true);
    const ids = created.map((r) => (r as { id: string }).id);
    const updated = await conn.sobject('Account').update([{ Id: ids[0] as string, Rating: 'Hot' }, { Id: ids[1] as string, Rating: 'Lukewarm' }]);
    expect(updated[0]).toEqual({ id: ids[0], success: true, errors: [] });
    expect(updated[1]).toEqual({
      id: ids[1], success: false,
      errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'Account Rating: bad value for restricted picklist field: Lukewarm', fields: ['Rating'] }],
    });
    const upserted = await conn.sobject('Account').upsert([{ Ext_Id__c: 'C-1', Name: 'Uno' }, { Ext_Id__c: 'C-3', Name: 'Three' }], 'Ext_Id__c');
    expect(upserted.map((r) => (r as { created?: boolean }).created)).toEqual([false, true]);
    const deleted = await conn.sobject('Account').destroy([ids[1] as string]);
    expect(deleted).toEqual([{ id: ids[1], success: true, errors: [] }]);
    expect(fake.records('Account').map((r) => r.Name).sort()).toEqual(['Three', 'Uno']);
  });

  it('allOrNone rolls everything back', async () => {
    const conn = refreshConnection();
    const res = await conn.sobject('Account').create([{ Name: 'Fine' }, { AccountNumber: 'no name' }], { allOrNone: true });
    expect(res).toEqual([
      { id: null, success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }] },
      { id: null, success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }] },
    ]);
    expect(fake.records('Account')).toEqual([]);
  });

  it('publishes a platform event with a single-record POST', async () => {
    const conn = refreshConnection();
    const res = await conn.sobject('Order_Event__e').create({ Order_Number__c: 'O-1', Amount__c: 12.5 });
    // The stand-in's default event result is what current docs show: a success carrying OPERATION_ENQUEUED (eventSaveResult knob).
    expect(res).toEqual({
      id: expect.stringMatching(/^e00\w{15}$/),
      success: true,
      errors: [{ statusCode: 'OPERATION_ENQUEUED', message: expect.stringMatching(/^[0-9a-f-]{36}$/), fields: [] }],
    });
    expect(fake.records('Order_Event__e')).toEqual([expect.objectContaining({ Order_Number__c: 'O-1', Amount__c: 12.5 })]);
    expect(fake.requests().some((r) => r.route === 'sobject.create' && r.status === 201)).toBe(true);
  });
});

describe('REST reads through jsforce (issue 10)', () => {
  it('query with paging: autoFetch follows nextRecordsUrl, queryMore takes the locator', async () => {
    fake.seed('Account', Array.from({ length: 450 }, (_, i) => ({ Name: `Q${String(i).padStart(3, '0')}`, NumberOfEmployees: i })));
    const conn = refreshConnection();
    const first = await conn.query<{ Name: string }>('SELECT Id, Name FROM Account WHERE NumberOfEmployees >= 10 ORDER BY Name', {
      headers: { 'Sforce-Query-Options': 'batchSize=200' },
    });
    expect(first).toMatchObject({ totalSize: 440, done: false });
    expect(first.records).toHaveLength(200);
    const second = await conn.queryMore<{ Name: string }>(first.nextRecordsUrl as string);
    expect(second.records[0]?.Name).toBe('Q210');
    const all = await conn.query<{ Name: string }>('SELECT Name FROM Account', { autoFetch: true, maxFetch: 10000, headers: { 'Sforce-Query-Options': 'batchSize=200' } });
    expect(all.records).toHaveLength(450);
    expect(fake.requests().filter((r) => r.route === 'query.more').length).toBeGreaterThanOrEqual(3);
    const viaFind = await conn.sobject('Account').find({ Name: { $like: 'Q00%' } }, ['Id', 'Name']).sort({ Name: -1 }).limit(3);
    expect(viaFind.map((a) => a.Name)).toEqual(['Q009', 'Q008', 'Q007']);
    expect(await conn.sobject('Account').count({ NumberOfEmployees: { $lt: 5 } })).toBe(5);
  });

  it('query errors surface as jsforce errors with Salesforce codes', async () => {
    const conn = refreshConnection();
    await expect(conn.query('SELECT Nope FROM Account')).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
    await expect(conn.query('SELECT Id FROM')).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
  });

  it('sobject().retrieve / update / destroy on single records; queryAll sees the deleted one', async () => {
    const [id] = fake.seed('Contact', [{ LastName: 'Lovelace', Email: 'ada@example.com' }]);
    const conn = refreshConnection();
    const rec = await conn.sobject('Contact').retrieve(id as string);
    expect(rec).toMatchObject({ Id: id, LastName: 'Lovelace', Email: 'ada@example.com' });
    expect(await conn.sobject('Contact').update({ Id: id as string, FirstName: 'Ada' })).toEqual({ id, success: true, errors: [] });
    expect(fake.records('Contact')[0]).toMatchObject({ FirstName: 'Ada', LastName: 'Lovelace' });
    expect(await conn.sobject('Contact').destroy(id as string)).toEqual({ id, success: true, errors: [] });
    await expect(conn.sobject('Contact').retrieve(id as string)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    const deleted = await conn.query<{ Id: string; IsDeleted: boolean }>('SELECT Id, IsDeleted FROM Contact', { scanAll: true });
    expect(deleted.records.map((r) => [r.Id, r.IsDeleted])).toEqual([[id, true]]);
  });

  it('upsert by external id (single record): created, then updated', async () => {
    const conn = refreshConnection();
    const created = await conn.sobject('Account').upsert({ Ext_Id__c: 'U-1', Name: 'First' }, 'Ext_Id__c');
    expect(created).toMatchObject({ success: true, created: true, id: expect.stringMatching(/^001/) });
    const updated = await conn.sobject('Account').upsert({ Ext_Id__c: 'U-1', Name: 'Second' }, 'Ext_Id__c');
    expect(updated).toMatchObject({ success: true, created: false, id: (created as { id: string }).id });
    expect(fake.records('Account').map((a) => a.Name)).toEqual(['Second']);
    // The refresh-token connection has no access token yet: its first call gets 401 and is replayed.
    expect(fake.requests().filter((r) => r.route === 'sobject.upsert').map((r) => r.status)).toEqual([401, 201, 200]);
  });

  it('identity() with and without the token response id; userinfo; sobjects/User/{id}', async () => {
    const conn = await loggedIn();
    const me = await conn.identity();
    expect(me).toMatchObject({ username: fake.credentials.username, user_id: conn.userInfo?.id, organization_id: conn.userInfo?.organizationId });
    // An access-token-only connection finds its identity URL through GET /services/data/v62.0.
    const bare = new Connection({ instanceUrl: fake.instanceUrl, accessToken: conn.accessToken as string, version: '62.0' });
    expect((await bare.identity()).user_id).toBe(me.user_id);
    const info = await conn.request<{ preferred_username: string; user_id: string }>(`${fake.instanceUrl}/services/oauth2/userinfo`);
    expect(info).toMatchObject({ preferred_username: fake.credentials.username, user_id: me.user_id });
    const user = await conn.sobject('User').retrieve(me.user_id);
    expect(user).toMatchObject({ Id: me.user_id, Username: fake.credentials.username });
  });

  it('bulk2.query and bulk2.query with scanAll (queryAll) return the records as CSV rows', async () => {
    const [acme] = fake.seed('Account', [{ Name: 'Acme', Ext_Id__c: 'B-1' }, { Name: 'Globex' }]);
    fake.seed('Contact', [{ LastName: 'Ada', AccountId: acme }]);
    const conn = refreshConnection();
    conn.bulk2.pollInterval = 20;
    const rows = await (await conn.bulk2.query("SELECT Id, Name, Ext_Id__c FROM Account WHERE Name LIKE 'A%'")).toArray();
    expect(rows).toEqual([{ Id: acme, Name: 'Acme', Ext_Id__c: 'B-1' }]);
    const contacts = await (await conn.bulk2.query('SELECT LastName, Account.Name FROM Contact')).toArray();
    expect(contacts).toEqual([{ LastName: 'Ada', 'Account.Name': 'Acme' }]);
    await conn.sobject('Account').destroy(acme as string);
    const withDeleted = await (await conn.bulk2.query('SELECT Id, IsDeleted FROM Account ORDER BY Name', { scanAll: true })).toArray();
    expect(withDeleted.map((r) => [r.Id, r.IsDeleted])).toEqual([[acme, 'true'], [expect.stringMatching(/^001/), 'false']]);
    expect(fake.requests().filter((r) => r.route === 'bulkQuery.create' && r.status === 200)).toHaveLength(3);
  });

  it('a data call sent to the login host is refused with INVALID_SESSION_ID', async () => {
    const good = await loggedIn();
    const misdirected = new Connection({ instanceUrl: fake.loginUrl, accessToken: good.accessToken as string, version: '62.0' });
    await expect(misdirected.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' });
    await expect(misdirected.describe('Account')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
    expect(fake.requests().filter((r) => r.host === 'login' && r.route === 'login.data').map((r) => r.status)).toEqual([401, 401]);
    expect((await good.query('SELECT Id FROM Account')).totalSize).toBe(0);
  });
});
