/**
 * The stand-in alone: one Bulk API 2.0 insert job of N Account rows sent straight over HTTP (no connector),
 * to show the ceiling the stand-in puts on every end-to-end figure.
 */
import { alignRows, toCsv } from '../src/write/chunk/csv-text';
import type { FakeHost } from './fake-client';
import { wideRow } from './data';

export interface FakeDirectResult {
  rows: number;
  csvMB: number;
  /** Close → JobComplete, measured by the fake's own clock. */
  processingS: number;
  rowsPerS: number;
  /** Stand-in CPU for create + upload + processing + results download. */
  fakeCpuS: number;
  fakeUsPerRow: number;
  resultsMB: number;
  ok: boolean;
}

async function call(base: string, token: string, method: string, path: string, body?: string | Buffer, type?: string): Promise<Response> {
  const res = await fetch(`${base}/services/data/v62.0/${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(type ? { 'Content-Type': type } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res;
}

export async function fakeDirect(fake: FakeHost, rows: number): Promise<FakeDirectResult> {
  await fake.set({ processingDelayMs: 0, recordsPerSecond: undefined });
  const c = fake.config;
  const tokenRes = await fetch(`${fake.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: String(c.client_id), client_secret: String(c.client_secret), refresh_token: String(c.refresh_token) }),
  });
  const token = ((await tokenRes.json()) as { access_token: string }).access_token;
  // The connector's own CSV writer, on cells as its formatter would write them.
  const cells = Array.from({ length: rows }, (_, i) =>
    Object.fromEntries(Object.entries(wideRow(i)).map(([k, v]) => [k, String(v)])),
  );
  const columns = Object.keys(cells[0] ?? {});
  const csv = toCsv(columns, alignRows(columns, cells));

  const before = await fake.stats();
  const job = (await (await call(fake.instanceUrl, token, 'POST', 'jobs/ingest', JSON.stringify({ object: 'Account', operation: 'insert', contentType: 'CSV', lineEnding: 'LF' }), 'application/json')).json()) as { id: string };
  await call(fake.instanceUrl, token, 'PUT', `jobs/ingest/${job.id}/batches`, csv, 'text/csv');
  await call(fake.instanceUrl, token, 'PATCH', `jobs/ingest/${job.id}`, JSON.stringify({ state: 'UploadComplete' }), 'application/json');
  let state = '';
  while (state !== 'JobComplete' && state !== 'Failed' && state !== 'Aborted') {
    await new Promise((r) => setTimeout(r, 20));
    state = ((await (await call(fake.instanceUrl, token, 'GET', `jobs/ingest/${job.id}`)).json()) as { state: string }).state;
  }
  const ok = await (await call(fake.instanceUrl, token, 'GET', `jobs/ingest/${job.id}/successfulResults`)).arrayBuffer();
  await (await call(fake.instanceUrl, token, 'GET', `jobs/ingest/${job.id}/failedResults`)).arrayBuffer();
  const after = await fake.stats();
  const j = after.jobs.find((x) => x.id === job.id);
  const processingS = j?.startedAt !== undefined && j.finishedAt !== undefined ? (j.finishedAt - j.startedAt) / 1000 : NaN;
  const fakeCpuS = (after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs) / 1000;
  return {
    rows,
    csvMB: csv.length / 1e6,
    processingS,
    rowsPerS: rows / processingS,
    fakeCpuS,
    fakeUsPerRow: (fakeCpuS * 1e6) / rows,
    resultsMB: ok.byteLength / 1e6,
    ok: state === 'JobComplete' && j?.rows === rows && j.failed === 0,
  };
}
