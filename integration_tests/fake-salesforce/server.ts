/** node:http server: route, fault injection, bearer auth, daily API budget, request log. */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { RequestContext } from './context';
import { MAX_VERSION, MIN_VERSION, versionsList } from './describe-routes';
import { defaultFaultBody } from './faults';
import { type Answer, BodyEncodingError, errorAnswer, messageFirstError, readBody, send } from './http-util';
import { authorizeEndpoint } from './authorize';
import { identity, userinfo } from './identity-routes';
import { tokenEndpoint } from './oauth';
import type { Org } from './org';
import { type Matched, matchLoginRoute, matchRoute } from './routes';
import { soapLogin } from './soap-login';
import type { FaultSpec } from './types';

/** Which Salesforce host a listener plays: 'login' serves OAuth and SOAP login only; 'instance' serves everything. */
export type HostRole = 'login' | 'instance';

export function createFakeServer(org: Org, role: HostRole): Server {
  const server = createServer((req, res) => {
    handle(org, role, req, res).catch((e: unknown) => {
      process.stderr.write(`fake-salesforce: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      if (!res.headersSent) send(req, res, errorAnswer(req, 500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred.'));
    });
  });
  server.keepAliveTimeout = 5000;
  return server;
}

async function handle(org: Org, role: HostRole, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = req.method ?? 'GET';
  const matched = role === 'login' ? matchLoginRoute(method, url.pathname) : matchRoute(method, url.pathname);
  const autoAssign = req.headers['sforce-auto-assign'];
  const entry = { host: role, method, path: url.pathname, route: matched.route as string, status: 0, bodyBytes: 0, ...(typeof autoAssign === 'string' ? { autoAssign } : {}) };
  org.log.push(entry);
  const onBody = (n: number) => (entry.bodyBytes = n);

  const hit = org.faults.hit(matched.route);
  if (hit?.delayMs) await new Promise((resolve) => setTimeout(resolve, hit.delayMs));
  // A delay alone holds the request, then answers it normally.
  const fault = hit && (hit.drop || hit.status !== undefined || hit.body !== undefined || !hit.delayMs) ? hit : undefined;
  if (fault && !fault.afterHandling) {
    const body = await readBody(req);
    onBody(body.size);
    entry.status = applyFault(req, res, fault);
    return;
  }
  const answer = await dispatch(org, req, url, matched, onBody).catch((e: unknown) => {
    // Status and body GUESS: Salesforce's answer to an undecodable request body is not documented.
    if (e instanceof BodyEncodingError) return errorAnswer(req, 400, 'JSON_PARSER_ERROR', `Unable to read the request body: ${e.message}`);
    throw e;
  });
  if (fault) {
    entry.status = applyFault(req, res, fault);
    return;
  }
  entry.status = send(req, res, answer);
}

function applyFault(req: IncomingMessage, res: ServerResponse, fault: FaultSpec): number {
  if (fault.drop) {
    res.socket?.destroy();
    return 0;
  }
  const status = fault.status ?? 500;
  const body = fault.body ?? defaultFaultBody(status);
  const type = body.trimStart().startsWith('[') || body.trimStart().startsWith('{') ? 'application/json;charset=UTF-8' : 'text/html';
  return send(req, res, { status, headers: { 'Content-Type': type, ...fault.headers }, body });
}

async function dispatch(org: Org, req: IncomingMessage, url: URL, matched: Matched, onBody: (n: number) => void): Promise<Answer> {
  switch (matched.kind) {
    case 'token':
      return tokenEndpoint(org, req, onBody);
    case 'authorize':
      return authorizeEndpoint(org, req, url, onBody);
    case 'soap':
      return soapLogin(org, req, matched.version, onBody);
    case 'versions':
      return versionsList(req);
    case 'userinfo':
      return userinfo(org, req, url, onBody);
    case 'identity':
      return identity(org, req, url, matched, onBody);
    case 'loginData':
      // The login host is not the org's instance: Salesforce refuses any data call there, whatever the token [REAL].
      onBody((await readBody(req)).size);
      return sessionInvalid(req);
    case 'unknown':
    case 'badVersion':
      onBody((await readBody(req)).size);
      return errorAnswer(req, 404, 'NOT_FOUND', 'The requested resource does not exist');
    case 'data':
      break;
  }
  const major = Number(matched.version);
  if (major < MIN_VERSION) {
    onBody((await readBody(req)).size);
    return errorAnswer(req, 410, 'API_DISABLED_FOR_ORG', `API version ${matched.version} is retired`);
  }
  if (major > MAX_VERSION + 0.99) {
    onBody((await readBody(req)).size);
    return errorAnswer(req, 404, 'NOT_FOUND', 'The requested resource does not exist');
  }
  const denied = authenticate(org, req);
  if (denied) {
    onBody((await readBody(req)).size);
    return denied;
  }
  const max = org.options.dailyApiLimit;
  if (org.apiUsed >= max) {
    onBody((await readBody(req)).size);
    return messageFirstError(req, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', { 'Sforce-Limit-Info': `api-usage=${org.apiUsed}/${max}` });
  }
  org.apiUsed += 1;
  const ctx: RequestContext = { org, req, params: matched.params, version: matched.version, query: url.searchParams, bodyBytes: 0 };
  const answer = await matched.handler(ctx);
  onBody(ctx.bodyBytes);
  answer.headers = { ...(answer.headers ?? {}), 'Sforce-Limit-Info': `api-usage=${org.apiUsed}/${max}` };
  return answer;
}

/** 401 bodies of reference §4.1. */
function authenticate(org: Org, req: IncomingMessage): Answer | undefined {
  const header = String(req.headers.authorization ?? '');
  const m = /^(Bearer|OAuth)\s+(\S+)$/i.exec(header);
  if (header !== '' && !m) return messageFirstError(req, 401, 'INVALID_AUTH_HEADER', 'INVALID_HEADER_TYPE');
  if (!m || !org.useToken(m[2] as string)) return sessionInvalid(req);
  return undefined;
}

function sessionInvalid(req: IncomingMessage): Answer {
  return messageFirstError(req, 401, 'INVALID_SESSION_ID', 'Session expired or invalid', { 'WWW-Authenticate': 'Token' });
}
