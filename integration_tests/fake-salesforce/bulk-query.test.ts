/** Bulk API 2.0 query jobs over raw HTTP: create, poll, CSV pages with Sforce-Locator and maxRecords, abort/delete. */
import { call, useFake } from './test-helpers';

const { fake, token } = useFake({ processingDelayMs: 20 });
beforeEach(() => fake.set({ queryResultsPageSize: undefined }));

async function create(spec: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await call(fake, token(), 'POST', 'jobs/query', spec);
  if (r.status !== 200) throw new Error(`create ${r.status} ${r.text}`);
  return r.json() as Record<string, unknown>;
}

async function waitComplete(id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 500; i++) {
    const info = (await call(fake, token(), 'GET', `jobs/query/${id}`)).json() as Record<string, unknown>;
    if (info.state !== 'UploadComplete' && info.state !== 'InProgress') return info;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('query job did not finish');
}

it('create → UploadComplete, poll → JobComplete, results CSV with the query columns', async () => {
  const [acme] = fake.seed('Account', [{ Name: 'Acme, Inc.', Industry: 'Energy' }, { Name: 'Quote "Q"' }]);
  fake.seed('Contact', [{ LastName: 'Ada', AccountId: acme }]);
  const job = await create({ operation: 'query', query: 'SELECT Id, Name, Industry FROM Account ORDER BY Name' });
  expect(job).toMatchObject({ id: expect.stringMatching(/^750\w{15}$/), operation: 'query', object: 'Account', state: 'UploadComplete', contentType: 'CSV', lineEnding: 'LF', columnDelimiter: 'COMMA' });
  const info = await waitComplete(String(job.id));
  expect(info).toMatchObject({ state: 'JobComplete', jobType: 'V2Query', numberRecordsProcessed: 2 });
  const res = await call(fake, token(), 'GET', `jobs/query/${String(job.id)}/results`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(res.headers.get('sforce-locator')).toBe('null');
  expect(res.headers.get('sforce-numberofrecords')).toBe('2');
  const ids = fake.records('Account').map((a) => a.Id);
  expect(res.text).toBe(`"Id","Name","Industry"\n"${String(ids[0])}","Acme, Inc.","Energy"\n"${String(ids[1])}","Quote ""Q""",""\n`);

  const rel = await create({ operation: 'query', query: 'SELECT LastName, Account.Name FROM Contact', columnDelimiter: 'PIPE', lineEnding: 'CRLF' });
  await waitComplete(String(rel.id));
  expect((await call(fake, token(), 'GET', `jobs/query/${String(rel.id)}/results`)).text).toBe('"LastName"|"Account.Name"\r\n"Ada"|"Acme, Inc."\r\n');
});

it('maxRecords pages: each page has its own header, Sforce-Locator until "null"; the page-size knob without maxRecords', async () => {
  fake.seed('Account', Array.from({ length: 25 }, (_, i) => ({ Name: `R${String(i).padStart(2, '0')}` })));
  const job = await create({ query: 'SELECT Name FROM Account ORDER BY Name' });
  await waitComplete(String(job.id));
  const names: string[] = [];
  const counts: string[] = [];
  let locator = '';
  do {
    const r = await call(fake, token(), 'GET', `jobs/query/${String(job.id)}/results?maxRecords=10${locator ? `&locator=${locator}` : ''}`);
    const lines = r.text.split('\n').filter((l) => l !== '');
    expect(lines[0]).toBe('"Name"');
    names.push(...lines.slice(1).map((l) => l.replace(/"/g, '')));
    counts.push(String(r.headers.get('sforce-numberofrecords')));
    locator = String(r.headers.get('sforce-locator'));
  } while (locator !== 'null');
  expect(counts).toEqual(['10', '10', '5']);
  expect(names).toEqual(Array.from({ length: 25 }, (_, i) => `R${String(i).padStart(2, '0')}`));

  fake.set({ queryResultsPageSize: 20 });
  const first = await call(fake, token(), 'GET', `jobs/query/${String(job.id)}/results`);
  expect(first.headers.get('sforce-numberofrecords')).toBe('20');
  expect(first.headers.get('sforce-locator')).not.toBe('null');
});

it('queryAll includes deleted records; bad SOQL, COUNT() and bad operations are refused at create', async () => {
  const [gone] = fake.seed('Account', [{ Name: 'Gone' }, { Name: 'Kept' }]);
  await call(fake, token(), 'DELETE', `sobjects/Account/${String(gone)}`);
  const all = await create({ operation: 'queryAll', query: 'SELECT Id, IsDeleted FROM Account WHERE IsDeleted = true' });
  await waitComplete(String(all.id));
  expect((await call(fake, token(), 'GET', `jobs/query/${String(all.id)}/results`)).text).toBe(`"Id","IsDeleted"\n"${String(gone)}","true"\n`);

  const bad = await call(fake, token(), 'POST', 'jobs/query', { operation: 'query', query: 'SELECT Nope FROM Account' });
  expect(bad.status).toBe(400);
  expect(bad.json()).toEqual([{ errorCode: 'INVALID_FIELD', message: expect.stringContaining("No such column 'Nope' on entity 'Account'") }]);
  expect((await call(fake, token(), 'POST', 'jobs/query', { query: 'SELECT COUNT() FROM Account' })).status).toBe(400);
  const op = await call(fake, token(), 'POST', 'jobs/query', { operation: 'insert', query: 'SELECT Id FROM Account' });
  expect(op.json()).toEqual([{ errorCode: 'API_ERROR', message: "Invalid value: 'insert' supplied for property: 'operation'" }]);
});

it('no results while pending; abort while pending, delete when done; unknown job 404', async () => {
  fake.set({ processingDelayMs: 5000 });
  try {
    const job = await create({ query: 'SELECT Id FROM Account' });
    const early = await call(fake, token(), 'GET', `jobs/query/${String(job.id)}/results`);
    expect(early.status).toBe(400);
    expect(early.json()).toEqual([{ errorCode: 'INVALIDJOBSTATE', message: expect.stringContaining('UploadComplete') }]);
    expect((await call(fake, token(), 'DELETE', `jobs/query/${String(job.id)}`)).status).toBe(400);
    const aborted = await call(fake, token(), 'PATCH', `jobs/query/${String(job.id)}`, { state: 'Aborted' });
    expect(aborted.json()).toMatchObject({ id: job.id, state: 'Aborted' });
    expect((await call(fake, token(), 'DELETE', `jobs/query/${String(job.id)}`)).status).toBe(204);
    const gone = await call(fake, token(), 'GET', `jobs/query/${String(job.id)}`);
    expect(gone.status).toBe(404);
    expect(gone.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  } finally {
    fake.set({ processingDelayMs: 20 });
  }
});
