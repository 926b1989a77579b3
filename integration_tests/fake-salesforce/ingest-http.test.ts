/** Bulk API 2.0 control plane over raw HTTP: exact bodies, key order, states (reference §1). */
import { call, createJob, lines, runJob, useFake, waitForJob } from './test-helpers';

const { fake, token } = useFake({ processingDelayMs: 10, resultOrder: 'upload' });
beforeEach(() => {
  fake.set({ processingDelayMs: 10, recordsPerSecond: undefined, secondPutRejection: 'close_bulk_api_error', uploadLimitBytes: undefined, hardDeleteEnabled: false });
});

const put = (id: string, csv: string) => call(fake, token(), 'PUT', `jobs/ingest/${id}/batches`, csv, { 'Content-Type': 'text/csv' });
const patch = (id: string, state: string) => call(fake, token(), 'PATCH', `jobs/ingest/${id}`, { state });
const info = async (id: string) => (await call(fake, token(), 'GET', `jobs/ingest/${id}`)).json() as Record<string, unknown>;

describe('create', () => {
  it('answers 200 with the documented key order, numeric apiVersion and a relative contentUrl', async () => {
    const r = await call(fake, token(), 'POST', 'jobs/ingest', { object: 'Account', operation: 'upsert', externalIdFieldName: 'Ext_Id__c' });
    expect(r.status).toBe(200);
    const body = r.json() as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['id', 'operation', 'object', 'createdById', 'createdDate', 'systemModstamp', 'state',
      'externalIdFieldName', 'concurrencyMode', 'contentType', 'apiVersion', 'contentUrl', 'lineEnding', 'columnDelimiter']);
    expect(body.id).toMatch(/^750\w{15}$/);
    expect(body.createdById).toMatch(/^005\w{15}$/);
    expect(body.createdDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(r.text).toContain('"apiVersion":62.0');
    expect(body.contentUrl).toBe(`services/data/v62.0/jobs/ingest/${String(body.id)}/batches`);
    expect(body).toMatchObject({ state: 'Open', concurrencyMode: 'Parallel', contentType: 'CSV', lineEnding: 'LF', columnDelimiter: 'COMMA' });
    expect(r.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
  });

  it('pretty-prints with X-PrettyPrint: 1', async () => {
    const r = await call(fake, token(), 'POST', 'jobs/ingest', { object: 'Account', operation: 'insert' }, { 'X-PrettyPrint': '1' });
    expect(r.text).toContain('"apiVersion" : 62.0');
    expect(r.text).toContain('"state" : "Open"');
  });

  it.each([
    [{ object: 'Nope__c', operation: 'insert' }, 'INVALIDJOB', 'InvalidJob : Unable to find object: Nope__c'],
    [{ object: '', operation: 'insert' }, 'INVALIDJOB', 'InvalidJob : Unable to find object: '],
    [{ object: 'Account', operation: 'upsert', externalIdFieldName: 'Name' }, 'INVALIDJOB', 'InvalidJob : Field name provided, Name does not match an External ID for Account'],
    [{ object: 'Account', operation: 'merge' }, 'API_ERROR', "Invalid value: 'merge' supplied for property: 'operation'"],
    [{ object: 'Account' }, 'API_ERROR', "Invalid value: '' supplied for property: 'operation'"],
    [{ object: 'Account', operation: 'insert', contentType: 'JSON' }, 'API_ERROR', "Invalid value: 'JSON' supplied for property: 'contentType'"],
  ])('rejects %j with a 400 array', async (spec, errorCode, message) => {
    const r = await call(fake, token(), 'POST', 'jobs/ingest', spec);
    expect(r.status).toBe(400);
    expect(r.json()).toEqual([{ errorCode, message }]);
  });

  it('hardDelete needs the "Bulk API Hard Delete" permission', async () => {
    const r = await call(fake, token(), 'POST', 'jobs/ingest', { object: 'Account', operation: 'hardDelete' });
    expect(r.status).toBe(400);
    expect((r.json() as Array<{ errorCode: string }>)[0]?.errorCode).toBe('FEATURENOTENABLED');
    fake.set({ hardDeleteEnabled: true });
    const ok = await call(fake, token(), 'POST', 'jobs/ingest', { object: 'Account', operation: 'hardDelete' });
    expect(ok.status).toBe(200);
  });

  it('multipart create starts the job at UploadComplete without contentUrl', async () => {
    const body = '--BOUNDARY\r\nContent-Type: application/json\r\nContent-Disposition: form-data; name="job"\r\n\r\n'
      + '{"object":"Contact","contentType":"CSV","operation":"insert","lineEnding":"LF"}\r\n'
      + '--BOUNDARY\r\nContent-Type: text/csv\r\nContent-Disposition: form-data; name="content"; filename="content"\r\n\r\n'
      + 'FirstName,LastName\nAstro,Nomical\r\n--BOUNDARY--\r\n';
    const r = await call(fake, token(), 'POST', 'jobs/ingest/', body, { 'Content-Type': 'multipart/form-data; boundary="BOUNDARY"' });
    expect(r.status).toBe(200);
    const job = r.json() as Record<string, unknown>;
    expect(job.state).toBe('UploadComplete');
    expect(job).not.toHaveProperty('contentUrl');
    expect((await waitForJob(fake, token(), String(job.id))).info.state).toBe('JobComplete');
    expect(fake.records('Contact')).toEqual([expect.objectContaining({ FirstName: 'Astro', LastName: 'Nomical' })]);
  });
});

describe('upload, close, abort, info', () => {
  it('counters appear only after upload; contentUrl only while Open; close returns the reduced JobInfo', async () => {
    const id = await createJob(fake, token(), { object: 'Account', operation: 'insert' });
    const fresh = await info(id);
    expect(fresh).toMatchObject({ jobType: 'V2Ingest', retries: 0, totalProcessingTime: 0, apiActiveProcessingTime: 0, apexProcessingTime: 0 });
    expect(fresh).not.toHaveProperty('numberRecordsProcessed');
    expect(fresh.contentUrl).toBe(`services/data/v62.0/jobs/ingest/${id}/batches`);
    const up = await put(id, 'Name\nA\n');
    expect(up.status).toBe(201);
    expect(up.text).toBe('');
    expect(await info(id)).toMatchObject({ state: 'Open', numberRecordsProcessed: 0, numberRecordsFailed: 0 });
    const closed = await patch(id, 'UploadComplete');
    expect(closed.status).toBe(200);
    expect(Object.keys(closed.json() as object)).toEqual(['id', 'operation', 'object', 'createdById', 'createdDate', 'systemModstamp', 'state', 'concurrencyMode', 'contentType', 'apiVersion']);
    expect((closed.json() as { state: string }).state).toBe('UploadComplete');
    const done = await waitForJob(fake, token(), id);
    expect(done.info).not.toHaveProperty('contentUrl');
    expect(done.info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1, numberRecordsFailed: 0 });
    expect(fake.jobs()[0]).toMatchObject({ id, uploadedBytes: 7, puts: 1 });
  });

  it('a second PUT is accepted and the close is rejected (BULK_API_ERROR, v47 variant by default)', async () => {
    const id = await createJob(fake, token(), { object: 'Account', operation: 'insert' });
    expect((await put(id, 'Name\nA\n')).status).toBe(201);
    expect((await put(id, 'Name\nB\n')).status).toBe(201);
    const close = await patch(id, 'UploadComplete');
    expect(close.status).toBe(400);
    expect(close.json()).toEqual([{
      errorCode: 'BULK_API_ERROR',
      message: `Found multipe contents for job: <${id.slice(0, 15)}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`,
    }]);
    expect(fake.jobs()[0]).toMatchObject({ puts: 2, uploadedBytes: 14, state: 'Open' });
  });

  it('secondPutRejection "put" rejects the second PUT itself', async () => {
    fake.set({ secondPutRejection: 'put' });
    const id = await createJob(fake, token(), { object: 'Account', operation: 'insert' });
    expect((await put(id, 'Name\nA\n')).status).toBe(201);
    const second = await put(id, 'Name\nB\n');
    expect(second.status).toBe(400);
    expect((second.json() as Array<{ errorCode: string }>)[0]?.errorCode).toBe('INVALIDJOB');
  });

  it('PUT after close → 400 INVALIDJOBSTATE; abort of a completed job → the documented 400', async () => {
    const run = await runJob(fake, token(), { object: 'Account', operation: 'insert' }, 'Name\nA\n');
    const again = await put(run.id, 'Name\nB\n');
    expect(again.status).toBe(400);
    expect((again.json() as Array<{ errorCode: string }>)[0]?.errorCode).toBe('INVALIDJOBSTATE');
    const abort = await patch(run.id, 'Aborted');
    expect(abort.status).toBe(400);
    expect(abort.json()).toEqual([{ errorCode: 'INVALIDJOBSTATE', message: 'Aborting already Completed Job not allowed' }]);
  });

  it('upload size cap (uploadLimitBytes) rejects the PUT', async () => {
    fake.set({ uploadLimitBytes: 10 });
    const id = await createJob(fake, token(), { object: 'Account', operation: 'insert' });
    const r = await put(id, 'Name\nA long enough value\n');
    expect(r.status).toBe(400);
    expect((r.json() as Array<{ errorCode: string }>)[0]?.errorCode).toBe('CLIENTINPUTERROR');
  });

  it('abort of an Open job: Aborted, all uploaded rows unprocessed', async () => {
    const id = await createJob(fake, token(), { object: 'Account', operation: 'insert' });
    await put(id, 'Name\nA\nB\n');
    const r = await patch(id, 'Aborted');
    expect(r.status).toBe(200);
    expect((r.json() as { state: string }).state).toBe('Aborted');
    const un = await call(fake, token(), 'GET', `jobs/ingest/${id}/unprocessedrecords/`);
    expect(un.text).toBe('Name\n"A"\n"B"\n');
  });

  it('unknown job → 404 NOT_FOUND; DELETE → 204 then 404; list jobs', async () => {
    const missing = await call(fake, token(), 'GET', 'jobs/ingest/750Hs00000000001AAA');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    const run = await runJob(fake, token(), { object: 'Account', operation: 'insert' }, 'Name\nA\n');
    const list = (await call(fake, token(), 'GET', 'jobs/ingest')).json() as { done: boolean; records: Array<{ id: string }>; nextRecordsUrl: unknown };
    expect(list).toMatchObject({ done: true, nextRecordsUrl: null });
    expect(list.records.map((j) => j.id)).toEqual([run.id]);
    const del = await call(fake, token(), 'DELETE', `jobs/ingest/${run.id}`);
    expect(del.status).toBe(204);
    expect((await call(fake, token(), 'GET', `jobs/ingest/${run.id}`)).status).toBe(404);
  });
});

describe('asynchronous processing', () => {
  it('stays UploadComplete for processingDelayMs, then InProgress with a growing counter, then JobComplete', async () => {
    fake.set({ processingDelayMs: 150, recordsPerSecond: 100 });
    const rows = Array.from({ length: 40 }, (_, i) => `N${i}`).join('\n');
    const id = await createJob(fake, token(), { object: 'Account', operation: 'insert' });
    await put(id, `Name\n${rows}\n`);
    await patch(id, 'UploadComplete');
    const seen: Array<[string, number]> = [];
    for (;;) {
      const i = await info(id);
      seen.push([String(i.state), Number(i.numberRecordsProcessed)]);
      if (i.state === 'JobComplete') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const states = seen.map(([s]) => s).filter((s, i, a) => a[i - 1] !== s);
    expect(states).toEqual(['UploadComplete', 'InProgress', 'JobComplete']);
    const inProgressCounts = seen.filter(([s]) => s === 'InProgress').map(([, n]) => n);
    expect(inProgressCounts.some((n) => n > 0 && n < 40)).toBe(true);
    expect(seen[seen.length - 1]).toEqual(['JobComplete', 40]);
  });

  it('results of an unfinished job are refused (configurable guess)', async () => {
    fake.set({ processingDelayMs: 5000 });
    const id = await createJob(fake, token(), { object: 'Account', operation: 'insert' });
    await put(id, 'Name\nA\n');
    await patch(id, 'UploadComplete');
    const r = await call(fake, token(), 'GET', `jobs/ingest/${id}/successfulResults/`);
    expect(r.status).toBe(400);
    await patch(id, 'Aborted');
  });
});

describe('job-level failures (errorMessage of §1.10)', () => {
  it.each([
    ['unknown column', { object: 'Account', operation: 'insert' }, 'Name,Colour__c\nA,red\n', 'InvalidBatch : Field name not found : Colour__c', 'Name,Colour__c'],
    ['BOM', { object: 'Account', operation: 'insert' }, '\uFEFFName\nA\n', 'InvalidBatch : Field name not found : Name', 'Name'],
    ['CRLF data on an LF job', { object: 'Account', operation: 'insert' }, 'Name\r\nA\r\n', 'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF', 'Name'],
    ['LF data on a CRLF job', { object: 'Account', operation: 'insert', lineEnding: 'CRLF' }, 'Name\nA\n', 'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is CRLF', 'Name'],
    ['delete with non-Id columns', { object: 'Account', operation: 'delete' }, 'Id,Name\n001Hs0000000001AAA,A\n', "InvalidBatch : The 'delete' batch must contain only ids", 'Id,Name'],
  ])('%s → Failed', async (_name, spec, csv, errorMessage, header) => {
    const run = await runJob(fake, token(), spec, csv);
    expect(run.info).toMatchObject({ state: 'Failed', errorMessage, numberRecordsProcessed: 0, numberRecordsFailed: 0 });
    expect(Object.keys(run.info).slice(-1)).toEqual(['errorMessage']);
    expect(lines(run.unprocessed)[0]).toBe(header);
    expect(lines(run.unprocessed)).toHaveLength(2);
    expect(run.success).toBe('"sf__Id","sf__Created",' + header + '\n');
    expect(fake.records('Account')).toEqual([]);
  });
});

describe('a job Failed part-way (failNextJob)', () => {
  it('keeps the processed rows and their results; the rest are unprocessedrecords; the next job is normal', async () => {
    fake.failNextJob({ afterRows: 2, errorMessage: 'Unknown : retries exhausted' });
    const run = await runJob(fake, token(), { object: 'Account', operation: 'insert' }, 'Name\nA\nB\nC\nD\n');
    expect(run.info).toMatchObject({ state: 'Failed', errorMessage: 'Unknown : retries exhausted', numberRecordsProcessed: 2 });
    expect(lines(run.success)).toHaveLength(3);
    expect(lines(run.unprocessed)).toHaveLength(3);
    expect(lines(run.unprocessed)[0]).toBe('Name');
    expect(fake.records('Account')).toHaveLength(2);
    const next = await runJob(fake, token(), { object: 'Account', operation: 'insert' }, 'Name\nE\n');
    expect(next.info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1 });
  });
});

describe('result CSVs', () => {
  it('quoted sf__ headers, data headers as uploaded, every value quoted, header-only when empty, text/csv', async () => {
    const run = await runJob(fake, token(), { object: 'Account', operation: 'insert' }, 'name,AnnualRevenue,Description\n"Acme, Inc",912260031,"two\nlines"\n');
    const id = fake.records('Account')[0]?.Id as string;
    expect(run.success).toBe(`"sf__Id","sf__Created",name,AnnualRevenue,Description\n"${id}","true","Acme, Inc","9.12260031E8","two\nlines"\n`);
    expect(run.failed).toBe('"sf__Id","sf__Error",name,AnnualRevenue,Description\n');
    expect(run.unprocessed).toBe('name,AnnualRevenue,Description\n');
    const r = await call(fake, token(), 'GET', `jobs/ingest/${run.id}/successfulResults/`);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=UTF-8');
  });
});
