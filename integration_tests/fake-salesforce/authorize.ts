/**
 * The OAuth web-server flow (authorization code + PKCE): `GET|POST /services/oauth2/authorize` and the
 * `authorization_code` grant of the token endpoint. A test user consents without a browser: the GET
 * answers a tiny consent form (POST it back with decision=allow|deny), or `fake_consent=allow|deny`
 * on the GET decides at once. Error wording: see README.md (behaviour table, OAuth rows).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CODE_TTL_MS, type PendingCode } from './authorization-codes';
import { type Answer, readBody } from './http-util';
import type { Org } from './org';

const REFRESH_SCOPES = ['refresh_token', 'offline_access'];

const page = (status: number, body: string, type = 'text/html;charset=UTF-8'): Answer => ({ status, headers: { 'Content-Type': type }, body });

/** Before the redirect URI is trusted, Salesforce shows the error instead of redirecting to it. */
const errorPage = (error: string, description: string): Answer =>
  page(400, `error=${error}&error_description=${encodeURIComponent(description)}`, 'text/plain;charset=UTF-8');

function redirect(redirectUri: string, params: Record<string, string | undefined>): Answer {
  const query = Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return { status: 302, headers: { Location: `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${query}` }, body: '' };
}

export async function authorizeEndpoint(org: Org, req: IncomingMessage, url: URL, onBody: (n: number) => void): Promise<Answer> {
  const raw = await readBody(req);
  onBody(raw.size);
  const q = req.method === 'POST' ? new URLSearchParams(raw.bytes.toString('utf8')) : url.searchParams;
  const get = (k: string): string | undefined => q.get(k) ?? undefined;
  const redirectUri = get('redirect_uri') ?? '';
  if (get('client_id') !== org.credentials.clientId) return errorPage('invalid_client_id', 'client identifier invalid');
  if (!org.options.oauthCallbackUrls.includes(redirectUri)) return errorPage('redirect_uri_mismatch', 'redirect_uri must match configuration');
  const state = get('state');
  const fail = (error: string, description: string) => redirect(redirectUri, { error, error_description: description, state });
  if (get('response_type') !== 'code') return fail('unsupported_response_type', 'response type not supported');
  const challenge = get('code_challenge');
  if (challenge === undefined && org.options.oauthRequirePkce) return fail('invalid_request', 'missing required code challenge');
  if (challenge !== undefined && (get('code_challenge_method') ?? 'S256') !== 'S256') return fail('invalid_request', 'invalid code challenge method');
  if (challenge !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return fail('invalid_request', 'invalid code challenge');

  const decision = req.method === 'POST' ? get('decision') : get('fake_consent');
  if (decision === undefined) return page(200, consentForm(q));
  if (decision !== 'allow') return fail('access_denied', 'end-user denied authorization');
  const grant: PendingCode = { clientId: org.credentials.clientId, redirectUri, scope: get('scope') ?? 'api', expiresAt: Date.now() + CODE_TTL_MS };
  if (challenge !== undefined) grant.codeChallenge = challenge;
  return redirect(redirectUri, { code: org.authorizationCodes.issue(grant), state });
}

/** "Allow access?" with every request parameter carried over, as the login + approval pages do. */
function consentForm(q: URLSearchParams): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const hidden = [...q.entries()]
    .filter(([k]) => k !== 'fake_consent')
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  return (
    '<!DOCTYPE html><html><head><title>Allow Access?</title></head><body>' +
    `<form method="POST" action="/services/oauth2/authorize">${hidden}` +
    '<button type="submit" name="decision" value="allow">Allow</button>' +
    '<button type="submit" name="decision" value="deny">Deny</button></form></body></html>'
  );
}

export interface CodeGrantResult {
  error?: { error: string; description: string };
  scope?: string;
  refreshToken?: string;
}

/** grant_type=authorization_code, after the client id/secret were checked: the code, its redirect_uri, the PKCE verifier. */
export function authorizationCodeGrant(org: Org, form: URLSearchParams): CodeGrantResult {
  const grant = org.authorizationCodes.take(form.get('code') ?? '');
  if (!grant || grant.clientId !== org.credentials.clientId) return { error: { error: 'invalid_grant', description: 'expired authorization code' } };
  if (form.get('redirect_uri') !== grant.redirectUri) return { error: { error: 'redirect_uri_mismatch', description: 'redirect_uri must match configuration' } };
  if (grant.codeChallenge !== undefined) {
    const verifier = form.get('code_verifier') ?? '';
    const ok = /^[A-Za-z0-9._~-]{43,128}$/.test(verifier) && createHash('sha256').update(verifier).digest('base64url') === grant.codeChallenge;
    if (!ok) return { error: { error: 'invalid_grant', description: 'invalid code verifier' } };
  }
  const scopes = grant.scope.split(/\s+/).filter((s) => s !== '');
  if (!scopes.some((s) => REFRESH_SCOPES.includes(s))) return { scope: scopes.join(' ') };
  const refreshToken = '5Aep861fake' + randomBytes(32).toString('base64url');
  org.authorizationCodes.refreshTokens.add(refreshToken);
  return { scope: scopes.join(' '), refreshToken };
}
