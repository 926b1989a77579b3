/** REST reads over raw HTTP: SOQL subset, paging, error shapes, single-record DML, upsert by external id, userinfo. */
import { call, useFake } from './test-helpers';

const { fake, token } = useFake({ processingDelayMs: 5 });

const query = (q: string, headers: Record<string, string> = {}, kind = 'query') =>
  call(fake, token(), 'GET', `${kind}?q=${encodeURIComponent(q)}`, undefined, headers);

interface Page {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

describe('query', () => {
  it('field lists, relationship fields, WHERE, ORDER BY, LIMIT, with Salesforce key order', async () => {
    const [acme, globex] = fake.seed('Account', [
      { Name: 'Acme', Industry: 'Energy', NumberOfEmployees: 10 },
      { Name: 'Globex', Industry: 'Banking', NumberOfEmployees: 300 },
    ]);
    fake.seed('Contact', [
      { LastName: 'Ada', AccountId: acme, Email: 'ada@acme.example' },
      { LastName: 'Bob', AccountId: globex },
      { LastName: 'Cyd' },
    ]);
    const r = await query("SELECT Id, LastName, Account.Name FROM Contact WHERE Account.Industry != 'Banking' ORDER BY LastName DESC LIMIT 5");
    expect(r.status).toBe(200);
    const body = r.json() as Page;
    expect(Object.keys(body)).toEqual(['totalSize', 'done', 'records']);
    expect(body.records.map((c) => [c.LastName, c.Account])).toEqual([
      ['Cyd', null],
      ['Ada', { attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${acme}` }, Name: 'Acme' }],
    ]);
    expect(Object.keys(body.records[0] as object)).toEqual(['attributes', 'Id', 'LastName', 'Account']);
    expect((body.records[0] as { attributes: unknown }).attributes).toEqual({ type: 'Contact', url: expect.stringMatching(/^\/services\/data\/v62\.0\/sobjects\/Contact\/003\w{15}$/) });
  });

  it.each([
    ["Name = 'acme'", ['Acme']], // text compares case-insensitively
    ['NumberOfEmployees > 50', ['Globex']],
    ['NumberOfEmployees < 50', ['Acme']],
    ["Name IN ('Acme', 'Initech')", ['Acme', 'Initech']],
    ["Name NOT IN ('Acme')", ['Globex', 'Initech']],
    ["Name LIKE 'G%'", ['Globex']],
    ["Name LIKE '_nitech'", ['Initech']],
    ['Industry = null', ['Initech']],
    ['Industry != null', ['Acme', 'Globex']],
    ["(Industry = 'Energy' OR Industry = 'Banking') AND NumberOfEmployees > 50", ['Globex']],
    ["NOT Name = 'Acme'", ['Globex', 'Initech']],
    ['Active__c = true', ['Initech']],
    ['CreatedDate = TODAY', ['Acme', 'Globex', 'Initech']],
  ])('WHERE %s', async (where, names) => {
    fake.seed('Account', [
      { Name: 'Acme', Industry: 'Energy', NumberOfEmployees: 10 },
      { Name: 'Globex', Industry: 'Banking', NumberOfEmployees: 300 },
      { Name: 'Initech', Active__c: true },
    ]);
    const r = await query(`SELECT Name FROM Account WHERE ${where} ORDER BY Name`);
    expect(r.status).toBe(200);
    expect((r.json() as Page).records.map((a) => a.Name)).toEqual(names);
  });

  it('COUNT() answers totalSize with no records', async () => {
    fake.seed('Account', [{ Name: 'A' }, { Name: 'B' }]);
    expect((await query('SELECT COUNT() FROM Account')).json()).toEqual({ totalSize: 2, done: true, records: [] });
  });

  it('pages of 2,000 by default, Sforce-Query-Options batchSize=N (200…2,000), nextRecordsUrl until done', async () => {
    fake.seed('Account', Array.from({ length: 2450 }, (_, i) => ({ Name: `A${String(i).padStart(4, '0')}` })));
    const first = (await query('SELECT Name FROM Account ORDER BY Name')).json() as Page;
    expect(first).toMatchObject({ totalSize: 2450, done: false, nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v62\.0\/query\/01g\w{15}-2000$/) });
    expect(first.records).toHaveLength(2000);
    expect(Object.keys(first)).toEqual(['totalSize', 'done', 'nextRecordsUrl', 'records']);
    const second = (await call(fake, token(), 'GET', first.nextRecordsUrl as string)).json() as Page;
    expect(second).toMatchObject({ totalSize: 2450, done: true });
    expect(second.records.map((a) => a.Name)).toEqual(Array.from({ length: 450 }, (_, i) => `A${String(2000 + i).padStart(4, '0')}`));

    const names: unknown[] = [];
    let page = (await query('SELECT Name FROM Account', { 'Sforce-Query-Options': 'batchSize=1000' })).json() as Page;
    names.push(...page.records.map((a) => a.Name));
    while (page.nextRecordsUrl) {
      page = (await call(fake, token(), 'GET', page.nextRecordsUrl)).json() as Page;
      names.push(...page.records.map((a) => a.Name));
    }
    expect(names).toHaveLength(2450);
    expect(new Set(names).size).toBe(2450);
    const small = (await query('SELECT Name FROM Account', { 'Sforce-Query-Options': 'batchSize=10' })).json() as Page;
    expect(small.records).toHaveLength(200); // below the minimum: 200

    const bad = await call(fake, token(), 'GET', 'query/01gXXXXXXXXXXXXXXX-2000');
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
  });

  it('queryAll includes the recycle bin with IsDeleted; query does not', async () => {
    const [gone, kept] = fake.seed('Account', [{ Name: 'Gone' }, { Name: 'Kept' }]);
    expect((await call(fake, token(), 'DELETE', `sobjects/Account/${gone}`)).status).toBe(204);
    const live = (await query('SELECT Id, IsDeleted FROM Account')).json() as Page;
    expect(live.records.map((r) => [r.Id, r.IsDeleted])).toEqual([[kept, false]]);
    const all = (await query('SELECT Id, Name, IsDeleted FROM Account ORDER BY Name', {}, 'queryAll')).json() as Page;
    expect(all.records.map((r) => [r.Id, r.IsDeleted])).toEqual([[gone, true], [kept, false]]);
    const deletedOnly = (await query('SELECT Id FROM Account WHERE IsDeleted = true', {}, 'queryAll')).json() as Page;
    expect(deletedOnly.records.map((r) => r.Id)).toEqual([gone]);
  });

  it('MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE in Salesforce\'s located format', async () => {
    const syntax = await query('SELECT Id FRM Account');
    expect(syntax.status).toBe(400);
    expect(syntax.json()).toEqual([{ message: expect.stringMatching(/^\nSELECT Id FRM Account\n\s*\^\nERROR at Row:1:Column:\d+\nunexpected token: /), errorCode: 'MALFORMED_QUERY' }]);
    const mixed = await query("SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'");
    expect(mixed.json()).toEqual([{ message: expect.stringContaining("unexpected token: 'OR'"), errorCode: 'MALFORMED_QUERY' }]);
    const field = await query('SELECT Id, Nme FROM Account');
    expect(field.json()).toEqual([{
      message: "\nSELECT Id, Nme FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Nme' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
      errorCode: 'INVALID_FIELD',
    }]);
    const rel = await query('SELECT Acount.Name FROM Contact');
    expect(rel.json()).toEqual([{ message: expect.stringContaining("Didn't understand relationship 'Acount' in field path."), errorCode: 'INVALID_FIELD' }]);
    const type = await query('SELECT Id FROM Nope__c');
    expect(type.json()).toEqual([{ message: expect.stringContaining("sObject type 'Nope__c' is not supported."), errorCode: 'INVALID_TYPE' }]);
    const quoted = await query("SELECT Id FROM Account WHERE NumberOfEmployees = '5'");
    expect(quoted.json()).toEqual([{ message: expect.stringContaining("value of filter criterion for field 'NumberOfEmployees' must be of type integer and should not be enclosed in quotes"), errorCode: 'INVALID_FIELD' }]);
  });
});

describe('single records', () => {
  it('GET (all fields or ?fields=), PATCH → 204, DELETE → 204 then 404 ENTITY_IS_DELETED', async () => {
    const [id] = fake.seed('Account', [{ Name: 'Acme', Industry: 'Energy' }]);
    const got = await call(fake, token(), 'GET', `sobjects/Account/${id}`);
    expect(got.status).toBe(200);
    expect(got.json()).toMatchObject({ attributes: { type: 'Account' }, Id: id, Name: 'Acme', Industry: 'Energy', IsDeleted: false, CreatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/) });
    const some = await call(fake, token(), 'GET', `sobjects/Account/${(id as string).slice(0, 15)}?fields=Name,Rating`);
    expect(some.json()).toEqual({ attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${id}` }, Name: 'Acme', Rating: null });
    const nope = await call(fake, token(), 'GET', `sobjects/Account/${id}?fields=Nope`);
    expect(nope.json()).toEqual([{ message: "No such column 'Nope' on sobject of type Account", errorCode: 'INVALID_FIELD' }]);

    const patched = await call(fake, token(), 'PATCH', `sobjects/Account/${id}`, { Rating: 'Hot', Industry: null });
    expect(patched.status).toBe(204);
    expect(fake.records('Account')[0]).toMatchObject({ Name: 'Acme', Rating: 'Hot', Industry: null });
    const badPick = await call(fake, token(), 'PATCH', `sobjects/Account/${id}`, { Rating: 'Lukewarm' });
    expect(badPick.status).toBe(400);
    expect(badPick.json()).toEqual([{ message: 'Account Rating: bad value for restricted picklist field: Lukewarm', errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Rating'] }]);

    expect((await call(fake, token(), 'DELETE', `sobjects/Account/${id}`)).status).toBe(204);
    expect(fake.deletedIds('Account')).toEqual([id]);
    const again = await call(fake, token(), 'DELETE', `sobjects/Account/${id}`);
    expect(again.status).toBe(404);
    expect(again.json()).toEqual([{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] }]);
    const gone = await call(fake, token(), 'GET', `sobjects/Account/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });

  it('upsert by external id: 201 created, 200 updated (created:false, v46+), 204 before v46, 300 on several matches', async () => {
    const created = await call(fake, token(), 'PATCH', 'sobjects/Account/Ext_Id__c/E-1', { Name: 'New' });
    expect(created.status).toBe(201);
    const id = (created.json() as { id: string }).id;
    expect(created.json()).toEqual({ id: expect.stringMatching(/^001\w{15}$/), success: true, errors: [], created: true });
    const updated = await call(fake, token(), 'PATCH', 'sobjects/Account/Ext_Id__c/e-1', { Name: 'Renamed' });
    expect(updated.status).toBe(200);
    expect(updated.json()).toEqual({ id, success: true, errors: [], created: false });
    const old = await call(fake, token(), 'PATCH', '/services/data/v45.0/sobjects/Account/Ext_Id__c/E-1', { Rating: 'Hot' });
    expect(old.status).toBe(204);
    expect(fake.records('Account')).toEqual([expect.objectContaining({ Id: id, Name: 'Renamed', Ext_Id__c: 'E-1', Rating: 'Hot' })]);

    // seed() skips uniqueness checks, so two records can share an external id, as with a non-unique one.
    const twins = fake.seed('Account', [{ Name: 'T1', Ext_Id__c: 'DUP' }, { Name: 'T2', Ext_Id__c: 'DUP' }]);
    const several = await call(fake, token(), 'PATCH', 'sobjects/Account/Ext_Id__c/DUP', { Rating: 'Hot' });
    expect(several.status).toBe(300);
    expect(several.json()).toEqual(twins.map((t) => `/services/data/v62.0/sobjects/Account/${t}`));
    const notKey = await call(fake, token(), 'PATCH', 'sobjects/Account/Name/x', { Rating: 'Hot' });
    expect(notKey.status).toBe(404);
    expect(notKey.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'Provided external ID field does not exist or is not accessible: Name' }]);
  });
});

describe('who am I', () => {
  it('userinfo and the identity URL answer for a valid token only; sobjects/User/{id} is the integration user', async () => {
    const info = await fetch(`${fake.loginUrl}/services/oauth2/userinfo`, { headers: { Authorization: `Bearer ${token()}` } });
    expect(info.status).toBe(200);
    const body = (await info.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ preferred_username: fake.credentials.username, user_id: expect.stringMatching(/^005/), organization_id: expect.stringMatching(/^00D/) });
    expect(String(body.sub)).toBe(`${fake.loginUrl}/id/${String(body.organization_id)}/${String(body.user_id)}`);
    expect((body.urls as Record<string, string>).rest).toBe(`${fake.instanceUrl}/services/data/v{version}/`);
    const bad = await fetch(`${fake.instanceUrl}/services/oauth2/userinfo`, { headers: { Authorization: 'Bearer 00Dnope!x' } });
    expect(bad.status).toBe(403);
    const id = await fetch(`${String(body.sub)}?format=json&oauth_token=${encodeURIComponent(token())}`);
    expect(await id.json()).toMatchObject({ id: body.sub, username: fake.credentials.username, user_id: body.user_id });
    const user = await call(fake, token(), 'GET', `sobjects/User/${String(body.user_id)}`);
    expect(user.json()).toMatchObject({ Id: body.user_id, Username: fake.credentials.username });
    const root = await call(fake, token(), 'GET', '/services/data/v62.0');
    expect(root.json()).toMatchObject({ identity: body.sub, query: '/services/data/v62.0/query', sobjects: '/services/data/v62.0/sobjects' });
  });
});
