/**
 * `Content-Encoding: gzip` request bodies are decoded on every route (Salesforce's REST API decompresses requests).
 * jsforce's bulk2 never compresses an upload, so the gzip PUT goes through undici; jsforce, unchanged, creates,
 * closes, polls and reads the results of the same job.
 */
import { gzipSync } from 'node:zlib';
import { Connection } from '@jsforce/jsforce-node';
import { request } from 'undici';
import { V, call, useFake } from './test-helpers';

const { fake, token } = useFake({ processingDelayMs: 5, resultOrder: 'upload' });

const gzipRequest = (path: string, method: 'PUT' | 'POST' | 'PATCH', body: string, type: string) =>
  request(`${fake.instanceUrl}/services/data/v${V}/${path}`, {
    method,
    headers: { authorization: `Bearer ${token()}`, 'content-type': type, 'content-encoding': 'gzip' },
    body: gzipSync(Buffer.from(body)),
  });

describe('gzip request bodies', () => {
  it('a gzip-compressed bulk2 upload: jsforce opens the job, undici PUTs gzip, jsforce closes, polls and reads results', async () => {
    const conn = new Connection({ instanceUrl: fake.instanceUrl, accessToken: token(), version: V });
    const job = conn.bulk2.createJob({ object: 'Account', operation: 'insert' });
    await job.open();
    const csv = 'Name,NumberOfEmployees\nGzip One,1\nGzip Two,2\n';
    const put = await gzipRequest(`jobs/ingest/${job.id}/batches`, 'PUT', csv, 'text/csv');
    expect(put.statusCode).toBe(201);
    await put.body.text();
    await job.close();
    await job.poll(20, 20000);
    const ok = await job.getSuccessfulResults();
    expect(ok.map((r) => (r as Record<string, unknown>).Name)).toEqual(['Gzip One', 'Gzip Two']);
    expect(fake.records('Account').map((r) => r.Name).sort()).toEqual(['Gzip One', 'Gzip Two']);
    // uploadedBytes counts the decoded data; the request log the bytes on the wire.
    expect(fake.jobs()[0]).toMatchObject({ uploadedBytes: Buffer.byteLength(csv), puts: 1, state: 'JobComplete' });
    const logged = fake.requests().find((r) => r.route === 'ingest.upload');
    expect(logged?.bodyBytes).toBe(gzipSync(Buffer.from(csv)).length);
  });

  it('JSON bodies too: a gzip create-job and a gzip sObject Collections insert', async () => {
    const create = await gzipRequest('jobs/ingest', 'POST', JSON.stringify({ object: 'Contact', operation: 'insert' }), 'application/json');
    expect(create.statusCode).toBe(200);
    expect(await create.body.json()).toMatchObject({ object: 'Contact', state: 'Open' });
    const insert = await gzipRequest(
      'composite/sobjects', 'POST',
      JSON.stringify({ allOrNone: false, records: [{ attributes: { type: 'Account' }, Name: 'Zipped' }] }), 'application/json',
    );
    expect(insert.statusCode).toBe(200);
    expect(await insert.body.json()).toEqual([expect.objectContaining({ success: true })]);
    expect(fake.records('Account').map((r) => r.Name)).toEqual(['Zipped']);
  });

  it('the OAuth token endpoint decodes a gzip form body', async () => {
    const c = fake.credentials;
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.clientSecret });
    const res = await request(`${fake.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.from(form.toString())),
    });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toMatchObject({ token_type: 'Bearer' });
  });

  it('the upload cap applies to the decoded bytes', async () => {
    fake.set({ uploadLimitBytes: 1000 });
    try {
      const id = ((await call(fake, token(), 'POST', 'jobs/ingest', { object: 'Account', operation: 'insert' })).json() as { id: string }).id;
      const csv = `Name\n${'a'.repeat(5000)}\n`; // compresses far below the cap
      const put = await gzipRequest(`jobs/ingest/${id}/batches`, 'PUT', csv, 'text/csv');
      expect(put.statusCode).toBe(400);
      expect(((await put.body.json()) as Array<{ message: string }>)[0]?.message).toContain('more than 1000 bytes exceeds the maximum of 1000');
    } finally {
      fake.set({ uploadLimitBytes: undefined });
    }
  });

  it('a body that is not gzip though it says so → 400, the fake keeps serving', async () => {
    const res = await request(`${fake.instanceUrl}/services/data/v${V}/jobs/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: '{"object":"Account","operation":"insert"}',
    });
    expect(res.statusCode).toBe(400);
    await res.body.text();
    expect((await call(fake, token(), 'GET', 'limits')).status).toBe(200);
  });
});
