/** URL + method → route name and handler. Route names are part of the public API (injectFault, requests()). */
import { createQueryJob, deleteQueryJob, getQueryJob, patchQueryJob, queryResults } from './bulk-query';
import { collectionsDelete, collectionsInsert, collectionsUpdate, collectionsUpsert, createSingle } from './collections-routes';
import type { RequestContext } from './context';
import { describeSObject, limits, listSObjects } from './describe-routes';
import { resources } from './identity-routes';
import type { Answer } from './http-util';
import { createIngestJob, deleteJob, getJobInfo, listJobs, patchJob, resultsHandler, uploadJobData } from './ingest-routes';
import { queryHandler, queryMoreHandler } from './query-routes';
import { deleteRecord, getRecord, updateRecord, upsertRecord } from './sobject-routes';
import type { RouteName } from './types';

export type Handler = (ctx: RequestContext) => Promise<Answer>;

interface RouteDef {
  method: string;
  pattern: RegExp;
  route: RouteName;
  keys: string[];
  handler: Handler;
}

const SEG = '([^/]+)';

function def(method: string, path: string, route: RouteName, handler: Handler): RouteDef {
  const keys: string[] = [];
  const source = path.replace(/\{(\w+)\}/g, (_, k: string) => {
    keys.push(k);
    return SEG;
  });
  return { method, pattern: new RegExp(`^${source}/?$`), route, keys, handler };
}

/** Paths below /services/data/vXX.X/ (trailing slash optional everywhere, reference §1). */
const DATA_ROUTES: RouteDef[] = [
  def('GET', 'sobjects', 'sobjects.list', listSObjects),
  def('GET', 'sobjects/{object}/describe', 'sobjects.describe', describeSObject),
  def('POST', 'sobjects/{object}', 'sobject.create', createSingle),
  def('GET', 'limits', 'limits', limits),
  def('POST', 'jobs/ingest', 'ingest.create', createIngestJob),
  def('GET', 'jobs/ingest', 'ingest.list', listJobs),
  def('PUT', 'jobs/ingest/{jobId}/batches', 'ingest.upload', uploadJobData),
  def('PATCH', 'jobs/ingest/{jobId}', 'ingest.patch', patchJob),
  def('GET', 'jobs/ingest/{jobId}', 'ingest.info', getJobInfo),
  def('DELETE', 'jobs/ingest/{jobId}', 'ingest.delete', deleteJob),
  def('GET', 'jobs/ingest/{jobId}/successfulResults', 'ingest.successfulResults', resultsHandler('successfulResults')),
  def('GET', 'jobs/ingest/{jobId}/failedResults', 'ingest.failedResults', resultsHandler('failedResults')),
  def('GET', 'jobs/ingest/{jobId}/unprocessedrecords', 'ingest.unprocessedrecords', resultsHandler('unprocessedrecords')),
  def('POST', 'composite/sobjects', 'collections.insert', collectionsInsert),
  def('PATCH', 'composite/sobjects', 'collections.update', collectionsUpdate),
  def('PATCH', 'composite/sobjects/{object}/{field}', 'collections.upsert', collectionsUpsert),
  def('DELETE', 'composite/sobjects', 'collections.delete', collectionsDelete),
  // REST reads and single-record DML (after `sobjects/{object}/describe`, which they would otherwise shadow).
  def('GET', '', 'resources', resources),
  def('GET', 'query', 'query', queryHandler(false)),
  def('GET', 'queryAll', 'queryAll', queryHandler(true)),
  def('GET', 'query/{locator}', 'query.more', queryMoreHandler(false)),
  def('GET', 'queryAll/{locator}', 'queryAll.more', queryMoreHandler(true)),
  def('GET', 'sobjects/{object}/{id}', 'sobject.get', getRecord),
  def('PATCH', 'sobjects/{object}/{id}', 'sobject.update', updateRecord),
  def('DELETE', 'sobjects/{object}/{id}', 'sobject.delete', deleteRecord),
  def('PATCH', 'sobjects/{object}/{field}/{value}', 'sobject.upsert', upsertRecord),
  def('POST', 'jobs/query', 'bulkQuery.create', createQueryJob),
  def('GET', 'jobs/query/{jobId}', 'bulkQuery.info', getQueryJob),
  def('PATCH', 'jobs/query/{jobId}', 'bulkQuery.patch', patchQueryJob),
  def('DELETE', 'jobs/query/{jobId}', 'bulkQuery.delete', deleteQueryJob),
  def('GET', 'jobs/query/{jobId}/results', 'bulkQuery.results', queryResults),
];

export type Matched =
  | { kind: 'token'; route: 'oauth.token' }
  | { kind: 'authorize'; route: 'oauth.authorize' }
  | { kind: 'soap'; route: 'soap.login'; version: string }
  | { kind: 'versions'; route: 'versions' }
  | { kind: 'loginData'; route: 'login.data' }
  | { kind: 'userinfo'; route: 'oauth.userinfo' }
  | { kind: 'identity'; route: 'identity'; orgId: string; userId: string }
  | { kind: 'data'; route: RouteName; version: string; params: Record<string, string>; handler: Handler }
  | { kind: 'badVersion'; route: 'unknown'; version: string }
  | { kind: 'unknown'; route: 'unknown' };

export function matchRoute(method: string, pathname: string): Matched {
  if (method === 'POST' && /^\/services\/oauth2\/token\/?$/.test(pathname)) return { kind: 'token', route: 'oauth.token' };
  if ((method === 'GET' || method === 'POST') && /^\/services\/oauth2\/authorize\/?$/.test(pathname)) return { kind: 'authorize', route: 'oauth.authorize' };
  const soap = /^\/services\/Soap\/u\/(\d+\.\d+)(\/.*)?$/.exec(pathname);
  if (method === 'POST' && soap) return { kind: 'soap', route: 'soap.login', version: soap[1] as string };
  if (method === 'GET' && /^\/services\/data\/?$/.test(pathname)) return { kind: 'versions', route: 'versions' };
  if ((method === 'GET' || method === 'POST') && /^\/services\/oauth2\/userinfo\/?$/.test(pathname)) return { kind: 'userinfo', route: 'oauth.userinfo' };
  const id = /^\/id\/(\w{15,18})\/(\w{15,18})\/?$/.exec(pathname);
  if (method === 'GET' && id) return { kind: 'identity', route: 'identity', orgId: id[1] as string, userId: id[2] as string };
  const data = /^\/services\/data\/([^/]+)(?:\/(.*))?$/.exec(pathname);
  if (!data) return { kind: 'unknown', route: 'unknown' };
  const vm = /^v(\d+\.\d+)$/.exec(data[1] as string);
  const rest = decodeURIComponent(data[2] ?? '');
  for (const r of DATA_ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(rest);
    if (!m) continue;
    if (!vm) return { kind: 'badVersion', route: 'unknown', version: data[1] as string };
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => (params[k] = m[i + 1] as string));
    return { kind: 'data', route: r.route, version: vm[1] as string, params, handler: r.handler };
  }
  return vm || rest === '' ? { kind: 'unknown', route: 'unknown' } : { kind: 'badVersion', route: 'unknown', version: data[1] as string };
}

/** The login host: the same OAuth / SOAP / version-list routes; anything under /services/data/ is a refused data call. */
export function matchLoginRoute(method: string, pathname: string): Matched {
  const matched = matchRoute(method, pathname);
  if (matched.kind === 'data' || matched.kind === 'badVersion' || /^\/services\/data\/[^/]+/.test(pathname)) {
    return { kind: 'loginData', route: 'login.data' };
  }
  return matched;
}
