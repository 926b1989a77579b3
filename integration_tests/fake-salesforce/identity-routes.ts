/**
 * Who the token belongs to: `GET /services/oauth2/userinfo` (OpenID Connect), the identity URL the token response's
 * `id` names (`/id/{orgId}/{userId}`), and the version root `GET /services/data/vXX.X` whose `identity` points there
 * (jsforce's `identity()` reads it when it has no `id`). Field lists follow Salesforce's documented responses.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestContext } from './context';
import { type Answer, jsonAnswer, readBody } from './http-util';
import type { Org } from './org';

/** The identity service's answer to a missing or unknown token [GUESS: 403 `Bad_OAuth_Token` as text]. */
function badToken(): Answer {
  return { status: 403, headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body: 'Bad_OAuth_Token' };
}

function tokenOf(req: IncomingMessage, url: URL): string | undefined {
  const m = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
  return m?.[1] ?? url.searchParams.get('oauth_token') ?? undefined;
}

function user(org: Org): { username: string; lastName: string; email: string } {
  const rec = org.store.get('User', org.userId);
  const v = (k: string) => String(rec?.values[k] ?? '');
  return { username: v('Username') || org.credentials.username, lastName: v('LastName') || 'Integration', email: v('Email') || org.credentials.username };
}

/** The `urls` block both answers share; `{version}` is literal, as Salesforce sends it [DOC]. */
function urls(org: Org): Record<string, string> {
  const base = org.instanceUrl;
  const org15 = org.orgId.slice(0, 15);
  return {
    enterprise: `${base}/services/Soap/c/{version}/${org15}`,
    metadata: `${base}/services/Soap/m/{version}/${org15}`,
    partner: `${base}/services/Soap/u/{version}/${org15}`,
    rest: `${base}/services/data/v{version}/`,
    sobjects: `${base}/services/data/v{version}/sobjects/`,
    search: `${base}/services/data/v{version}/search/`,
    query: `${base}/services/data/v{version}/query/`,
    recent: `${base}/services/data/v{version}/recent/`,
    tooling_soap: `${base}/services/Soap/T/{version}/${org15}`,
    tooling_rest: `${base}/services/data/v{version}/tooling/`,
    profile: `${base}/${org.userId}`,
    feeds: `${base}/services/data/v{version}/chatter/feeds`,
    groups: `${base}/services/data/v{version}/chatter/groups`,
    users: `${base}/services/data/v{version}/chatter/users`,
    feed_items: `${base}/services/data/v{version}/chatter/feed-items`,
    feed_elements: `${base}/services/data/v{version}/chatter/feed-elements`,
    custom_domain: base,
  };
}

/** The keys userinfo and the identity URL share, in their order. */
function accountFacts(org: Org): Record<string, unknown> {
  return { urls: urls(org), active: true, user_type: 'STANDARD', language: 'en_US', locale: 'en_US', utcOffset: 0 };
}

export function identityUrl(org: Org): string {
  return `${org.loginUrl}/id/${org.orgId}/${org.userId}`;
}

async function authorised(org: Org, req: IncomingMessage, url: URL, onBody: (n: number) => void): Promise<boolean> {
  onBody((await readBody(req)).size);
  const token = tokenOf(req, url);
  return token !== undefined && org.useToken(token);
}

/** `GET /services/oauth2/userinfo` (OpenID Connect claims, Salesforce's key order). */
export async function userinfo(org: Org, req: IncomingMessage, url: URL, onBody: (n: number) => void): Promise<Answer> {
  if (!(await authorised(org, req, url, onBody))) return badToken();
  const u = user(org);
  return jsonAnswer(req, 200, {
    sub: identityUrl(org),
    user_id: org.userId,
    organization_id: org.orgId,
    preferred_username: u.username,
    nickname: u.username.split('@')[0],
    name: u.lastName,
    email: u.email,
    email_verified: true,
    given_name: null,
    family_name: u.lastName,
    zoneinfo: 'GMT',
    photos: { picture: `${org.instanceUrl}/profilephoto/005/F`, thumbnail: `${org.instanceUrl}/profilephoto/005/T` },
    profile: `${org.instanceUrl}/${org.userId}`,
    picture: `${org.instanceUrl}/profilephoto/005/F`,
    address: {},
    is_salesforce_integration_user: false,
    ...accountFacts(org),
    updated_at: '2024-01-01T00:00:00Z',
    is_app_installed: true,
  });
}

/** The identity URL `GET /id/{orgId}/{userId}` (token as Bearer header or `oauth_token` parameter). */
export async function identity(org: Org, req: IncomingMessage, url: URL, ids: { orgId: string; userId: string }, onBody: (n: number) => void): Promise<Answer> {
  if (!(await authorised(org, req, url, onBody))) return badToken();
  if (ids.orgId !== org.orgId || ids.userId !== org.userId) return badToken();
  const u = user(org);
  return jsonAnswer(req, 200, {
    id: identityUrl(org),
    asserted_user: true,
    user_id: org.userId,
    organization_id: org.orgId,
    username: u.username,
    nick_name: u.username.split('@')[0],
    display_name: u.lastName,
    email: u.email,
    email_verified: true,
    first_name: null,
    last_name: u.lastName,
    timezone: 'GMT',
    photos: { picture: `${org.instanceUrl}/profilephoto/005/F`, thumbnail: `${org.instanceUrl}/profilephoto/005/T` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    ...accountFacts(org),
    last_modified_date: '2024-01-01T00:00:00Z',
    is_app_installed: true,
  });
}

/** `GET /services/data/vXX.X`: the version's resources (relative URLs) and the absolute identity URL [DOC]. */
export async function resources(ctx: RequestContext): Promise<Answer> {
  const base = `/services/data/v${ctx.version}`;
  const names = ['sobjects', 'query', 'queryAll', 'search', 'limits', 'composite', 'recent', 'tooling', 'jobs'];
  const out: Record<string, string> = {};
  for (const n of names) out[n] = `${base}/${n}`;
  out.identity = identityUrl(ctx.org);
  return jsonAnswer(ctx.req, 200, out);
}
