/**
 * "Authenticate your account" end to end, with this test playing Airbyte from the spec the CLI prints:
 * render the declared consent URL with Airbyte's template variables, consent on the stand-in's
 * authorize page, exchange the code with the declared token request, write the declared outputs into
 * a config, then `check` and `write` with that config.
 */
import { resolveLoginTarget } from '../../src/salesforce/login-url';
import { startFakeSalesforce } from '../fake-salesforce';
import { applyOutputs, consentUrl, extractOutput, type FlowInputs, newState, tokenRequest } from '../helpers/airbyte-oauth-flow';
import type { ChallengeEncoding } from '../helpers/airbyte-oauth-template';
import { jsonl, ofType, runCli, writeTempJson } from '../helpers/cli';
import { useFakeSalesforce } from '../helpers/test-env';

const REDIRECT = 'http://localhost:8000/auth_flow';
const fake = useFakeSalesforce({ start: () => startFakeSalesforce({ processingDelayMs: 20, oauthCallbackUrls: [REDIRECT] }), reset: false });
let spec: Record<string, any>;
beforeAll(async () => {
  const printed = await runCli(['spec']);
  spec = ofType(printed, 'SPEC')[0]?.spec as Record<string, any>;
});

const inputs = (encoding: ChallengeEncoding = 'base64url'): FlowInputs => ({
  clientId: fake.credentials.clientId,
  clientSecret: fake.credentials.clientSecret,
  redirectUri: REDIRECT,
  userInput: { domain: fake.loginUrl, is_sandbox: false },
  encoding,
});

/** The user's browser: open the consent URL, press Allow (or Deny) on the form, come back to Airbyte's callback. */
async function consent(url: string, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
  const pageRes = await fetch(url, { redirect: 'manual' });
  expect(pageRes.status).toBe(200);
  const html = await pageRes.text();
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    form.set(m[1] as string, (m[2] as string).replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))));
  }
  form.set('decision', decision);
  const action = new URL(/action="([^"]+)"/.exec(html)?.[1] as string, url);
  const back = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  expect(back.status).toBe(302);
  return new URL(back.headers.get('location') as string);
}

async function exchange(flow: FlowInputs, callback: { code: string; state: string }): Promise<{ status: number; body: Record<string, any> }> {
  const request = tokenRequest(spec, flow, callback);
  const res = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** Consent + exchange; the callback's state must be the one Airbyte sent. */
async function authorize(flow: FlowInputs): Promise<{ code: string; state: string }> {
  const state = newState(spec);
  const url = consentUrl(spec, flow, state);
  expect(url.startsWith(`${fake.loginUrl}/services/oauth2/authorize?response_type=code&client_id=${fake.credentials.clientId}&`)).toBe(true);
  const callback = await consent(url);
  expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
  expect(callback.searchParams.get('state')).toBe(state);
  return { code: callback.searchParams.get('code') as string, state };
}

test('the refresh token Airbyte stores from the declared flow signs in: check and write succeed', async () => {
  const flow = inputs();
  const callback = await authorize(flow);
  const token = await exchange(flow, callback);
  expect(token.status).toBe(200);
  expect(token.body).toMatchObject({ token_type: 'Bearer', instance_url: fake.instanceUrl, scope: 'api refresh_token', refresh_token: expect.stringMatching(/^5Aep861/) });
  expect(token.body.expires_in).toBeUndefined();

  // The form's values (what the user typed, and auth_type "Client" that shows the button), plus the outputs.
  const formValues = { auth_type: 'Client', domain: fake.loginUrl, is_sandbox: false, table_name: 'Account' };
  const config = applyOutputs(spec, formValues, extractOutput(spec, token.body), flow);
  expect(config).toEqual({ ...formValues, refresh_token: token.body.refresh_token, client_id: flow.clientId, client_secret: flow.clientSecret });
  expect(config.refresh_token).not.toBe(fake.credentials.refreshToken); // a token of its own, minted by this consent

  const check = await runCli(['check', '--config', writeTempJson(config, 'config.json')]);
  expect(ofType(check, 'CONNECTION_STATUS').map((m) => m.connectionStatus.status)).toEqual(['SUCCEEDED']);

  const catalog = {
    streams: [{ stream: { name: 'leads', json_schema: { type: 'object' }, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' }],
  };
  const messages = [
    { type: 'RECORD', record: { stream: 'leads', data: { Name: 'Authenticated Co' }, emitted_at: 1 } },
    { type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'leads' }, stream_state: { c: 1 } }, id: 1 } },
  ];
  const write = await runCli(['write', '--config', writeTempJson(config, 'config.json'), '--catalog', writeTempJson(catalog, 'catalog.json')], { stdin: jsonl(messages) });
  expect({ code: write.code, errors: ofType(write, 'TRACE').filter((m) => m.trace.type === 'ERROR') }).toEqual({ code: 0, errors: [] });
  expect(ofType(write, 'STATE')).toHaveLength(1);
  expect(fake.records('Account').map((r) => r.Name)).toContain('Authenticated Co');
  for (const secret of [config.refresh_token, flow.clientSecret]) expect(write.stdout + write.stderr + check.stdout + check.stderr).not.toContain(secret);
});

test('the code challenge template works with both encodings Airbyte versions produce (base64 and base64url)', async () => {
  for (const encoding of ['base64', 'base64url'] as const) {
    const flow = inputs(encoding);
    const token = await exchange(flow, await authorize(flow));
    expect([encoding, token.status, typeof token.body.refresh_token]).toEqual([encoding, 200, 'string']);
  }
});

test('the stand-in refuses what Salesforce refuses: wrong verifier, reused code, other redirect_uri, wrong secret, denial', async () => {
  const flow = inputs();
  const first = await authorize(flow);
  expect(await exchange(flow, { ...first, state: newState(spec) })).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid code verifier' } });
  expect(await exchange(flow, first)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'expired authorization code' } });

  const second = await authorize(flow);
  const request = tokenRequest(spec, flow, second);
  const otherRedirect = request.body.replace(encodeURIComponent(REDIRECT), encodeURIComponent('http://localhost:9999/auth_flow'));
  const res = await fetch(request.url, { method: 'POST', headers: request.headers, body: otherRedirect });
  expect([res.status, await res.json()]).toEqual([400, { error: 'redirect_uri_mismatch', error_description: 'redirect_uri must match configuration' }]);

  const third = await authorize(flow);
  expect(await exchange({ ...flow, clientSecret: 'nope' }, third)).toEqual({ status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } });

  const denied = await consent(consentUrl(spec, flow, 'x'.repeat(43)), 'deny');
  expect(Object.fromEntries(denied.searchParams)).toEqual({ error: 'access_denied', error_description: 'end-user denied authorization', state: 'x'.repeat(43) });

  const unknownCallback = await fetch(consentUrl(spec, { ...flow, redirectUri: 'https://elsewhere.example/auth_flow' }, newState(spec)), { redirect: 'manual' });
  expect([unknownCallback.status, await unknownCallback.text()]).toEqual([400, 'error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration']);
});

test('the consent and token URLs go to the host the connector signs in at, for every form of domain and is_sandbox', () => {
  const domains = [undefined, '', 'login', 'test', 'acme', 'acme--uat', 'acme.my', 'acme--uat.sandbox.my', 'acme.my.salesforce.com', 'https://acme.my.salesforce.com', 'acme.my.salesforce.mil', 'http://127.0.0.1:8123'];
  for (const domain of domains) {
    for (const isSandbox of [false, true]) {
      const userInput: Record<string, unknown> = { is_sandbox: isSandbox };
      if (domain !== undefined) userInput.domain = domain;
      const flow = { ...inputs(), userInput };
      const consentOrigin = new URL(consentUrl(spec, flow, 'a'.repeat(43))).origin;
      const tokenUrl = tokenRequest(spec, flow, { code: 'c', state: 'a'.repeat(43) }).url;
      const expected = resolveLoginTarget(domain, isSandbox).loginUrl;
      expect({ domain, isSandbox, consentOrigin, tokenUrl }).toEqual({ domain, isSandbox, consentOrigin: expected, tokenUrl: `${expected}/services/oauth2/token` });
    }
  }
});
