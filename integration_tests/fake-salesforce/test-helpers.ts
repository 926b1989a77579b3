/** Raw-HTTP helpers for the fake's own tests (not a test file). */
import { useFakeSalesforce } from '../helpers/test-env';
import { type FakeSalesforce, type FakeSalesforceOptions, startFakeSalesforce } from './index';

export const V = '62.0';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: () => unknown;
}

export async function getToken(fake: FakeSalesforce): Promise<string> {
  const c = fake.credentials;
  const res = await fetch(`${fake.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.clientSecret }),
  });
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

/**
 * One stand-in for the whole test file (the stand-in's own tests): started before all tests, its org
 * reset before each, closed after all; `token()` is an access token issued once it started.
 */
export function useFake(options: FakeSalesforceOptions = {}): { fake: FakeSalesforce; token: () => string } {
  const fake = useFakeSalesforce({ start: () => startFakeSalesforce(options) });
  let token: string | undefined;
  beforeAll(async () => {
    token = await getToken(fake);
  });
  return {
    fake,
    token: () => {
      if (token === undefined) throw new Error('the token is used before its beforeAll hook fetched it');
      return token;
    },
  };
}

export async function call(
  fake: FakeSalesforce, token: string | undefined, method: string, path: string,
  body?: string | object, headers: Record<string, string> = {},
): Promise<Reply> {
  const h: Record<string, string> = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (typeof body === 'string') payload = body;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    h['Content-Type'] ??= 'application/json; charset=utf-8';
  }
  // Data calls go to the instance host (instance_url), never the login host.
  const url = path.startsWith('/') ? `${fake.instanceUrl}${path}` : `${fake.instanceUrl}/services/data/v${V}/${path}`;
  const res = await fetch(url, { method, headers: h, body: payload });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}

export interface JobRun {
  id: string;
  info: Record<string, unknown>;
  states: string[];
  success: string;
  failed: string;
  unprocessed: string;
}

export async function createJob(fake: FakeSalesforce, token: string, spec: Record<string, unknown>): Promise<string> {
  const r = await call(fake, token, 'POST', 'jobs/ingest', spec);
  if (r.status !== 200) throw new Error(`create failed ${r.status} ${r.text}`);
  return (r.json() as { id: string }).id;
}

/** Polls job info until a terminal state; returns every state seen. */
export async function waitForJob(fake: FakeSalesforce, token: string, id: string, timeoutMs = 20000): Promise<{ info: Record<string, unknown>; states: string[] }> {
  const states: string[] = [];
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const info = (await call(fake, token, 'GET', `jobs/ingest/${id}`)).json() as Record<string, unknown>;
    const state = String(info.state);
    if (states[states.length - 1] !== state) states.push(state);
    if (['JobComplete', 'Failed', 'Aborted'].includes(state)) return { info, states };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`job ${id} did not finish`);
}

/** create → PUT csv → close → poll → the three result CSVs. */
export async function runJob(fake: FakeSalesforce, token: string, spec: Record<string, unknown>, csv: string): Promise<JobRun> {
  const id = await createJob(fake, token, spec);
  const put = await call(fake, token, 'PUT', `jobs/ingest/${id}/batches`, csv, { 'Content-Type': 'text/csv' });
  if (put.status !== 201) throw new Error(`upload failed ${put.status} ${put.text}`);
  const close = await call(fake, token, 'PATCH', `jobs/ingest/${id}`, { state: 'UploadComplete' });
  if (close.status !== 200) throw new Error(`close failed ${close.status} ${close.text}`);
  const { info, states } = await waitForJob(fake, token, id);
  const get = async (kind: string) => (await call(fake, token, 'GET', `jobs/ingest/${id}/${kind}/`)).text;
  return { id, info, states, success: await get('successfulResults'), failed: await get('failedResults'), unprocessed: await get('unprocessedrecords') };
}

/** Result CSV lines (without the final empty line); values are simple in tests so a split is enough. */
export function lines(csv: string): string[] {
  return csv.split('\n').filter((l, i, a) => !(i === a.length - 1 && l === ''));
}
