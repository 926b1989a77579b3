/** POST /services/oauth2/token (reference §5.1, errors §4.2); the authorization_code grant's checks live in authorize.ts. */
import { createHmac, createVerify, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { authorizationCodeGrant } from './authorize';
import { type Answer, readBody } from './http-util';
import type { Org } from './org';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function oauthError(error: string, description: string, status = 400): Answer {
  return {
    status,
    headers: { 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private' },
    body: JSON.stringify({ error, error_description: description }),
  };
}

/** The §5.1 success body (no expires_in), in the key order of real responses. */
function success(org: Org, refreshable: boolean, refreshToken?: string, scope?: string): Answer {
  const issuedAt = String(Date.now());
  const id = `${org.loginUrl}/id/${org.orgId}/${org.userId}`;
  const accessToken = org.issueToken();
  const signature = createHmac('sha256', org.credentials.clientSecret).update(id + issuedAt).digest('base64');
  const body: Record<string, string> = { access_token: accessToken };
  Object.assign(body, {
    signature,
    scope: scope ?? (refreshable ? 'refresh_token api' : 'api'),
    instance_url: org.instanceUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
  });
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private' },
    body: JSON.stringify(body),
  };
}

function basicAuth(req: IncomingMessage): { id?: string; secret?: string } {
  const h = String(req.headers.authorization ?? '');
  if (!h.toLowerCase().startsWith('basic ')) return {};
  const [id, ...rest] = Buffer.from(h.slice(6), 'base64').toString('utf8').split(':');
  return { id: id ? decodeURIComponent(id) : undefined, secret: rest.length ? decodeURIComponent(rest.join(':')) : undefined };
}

export async function tokenEndpoint(org: Org, req: IncomingMessage, onBody: (n: number) => void): Promise<Answer> {
  const raw = await readBody(req);
  onBody(raw.size);
  const form = new URLSearchParams(raw.bytes.toString('utf8'));
  const basic = basicAuth(req);
  const clientId = form.get('client_id') ?? basic.id;
  const clientSecret = form.get('client_secret') ?? basic.secret;
  const c = org.credentials;
  const checkClient = (secretRequired: boolean): Answer | undefined => {
    if (clientId !== c.clientId) return oauthError('invalid_client_id', 'client identifier invalid');
    if ((secretRequired || clientSecret !== undefined) && clientSecret !== c.clientSecret) {
      return oauthError('invalid_client', 'invalid client credentials');
    }
    return undefined;
  };
  switch (form.get('grant_type')) {
    case 'refresh_token': {
      const bad = checkClient(false);
      if (bad) return bad;
      const used = form.get('refresh_token') ?? '';
      const minted = org.authorizationCodes.refreshTokens; // tokens of web-server flow consents
      if (used !== c.refreshToken && !minted.has(used)) return oauthError('invalid_grant', 'expired access/refresh token');
      if (!org.options.rotateRefreshTokens) return success(org, true);
      const next = '5Aep861fake' + randomBytes(32).toString('base64url'); // the used token is revoked
      if (used === c.refreshToken) c.refreshToken = next;
      else {
        minted.delete(used);
        minted.add(next);
      }
      return success(org, true, next);
    }
    case 'authorization_code': {
      const bad = checkClient(true);
      if (bad) return bad;
      const result = authorizationCodeGrant(org, form);
      if (result.error) return oauthError(result.error.error, result.error.description);
      return success(org, result.refreshToken !== undefined, result.refreshToken, result.scope);
    }
    case 'password': {
      const bad = checkClient(true);
      if (bad) return bad;
      if (!org.options.passwordFlowEnabled) return oauthError('invalid_grant', 'authentication failure');
      if (form.get('username') !== c.username || form.get('password') !== c.password + c.securityToken) {
        return oauthError('invalid_grant', 'authentication failure');
      }
      return success(org, false);
    }
    case 'client_credentials': {
      if (org.options.hostMode === 'login') return oauthError('invalid_grant', 'request not supported on this domain');
      const bad = checkClient(true);
      if (bad) return bad;
      return success(org, false);
    }
    case JWT_GRANT:
      return jwtBearer(org, form.get('assertion') ?? '');
    default:
      return oauthError('unsupported_grant_type', 'grant type not supported');
  }
}

function jwtBearer(org: Org, assertion: string): Answer {
  const parts = assertion.split('.');
  if (parts.length !== 3) return oauthError('invalid_grant', 'invalid assertion');
  const [h, p, s] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return oauthError('invalid_grant', 'invalid assertion');
  }
  if (header.alg !== 'RS256') return oauthError('invalid_grant', 'invalid assertion');
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${h}.${p}`);
  if (!verifier.verify(org.publicKey, Buffer.from(s, 'base64url'))) return oauthError('invalid_grant', 'invalid assertion');
  if (claims.iss !== org.credentials.clientId) return oauthError('invalid_client_id', 'client identifier invalid');
  const audiences = [org.loginUrl, `${org.loginUrl}/`, 'https://login.salesforce.com', 'https://test.salesforce.com'];
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => typeof a === 'string' && audiences.includes(a))) return oauthError('invalid_grant', 'audience is invalid');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return oauthError('invalid_grant', 'expired authorization code');
  if (claims.sub !== org.credentials.username) return oauthError('invalid_grant', 'user hasn\'t approved this consumer');
  return success(org, false);
}
