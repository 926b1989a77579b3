/**
 * undici's `request` and `EnvHttpProxyAgent`, loaded without undici's index. The index also loads fetch,
 * WebSocket, EventSource, the HTTP cache, cookies and the mock agents (~110 files, ~70 ms of CPU at every
 * start, before the first Salesforce call) that the connector does not use; the files below are the HTTP
 * client alone (~35 files). undici has no `exports` map, so its files are required by path, and this module
 * does what the index does for these two exports: the same prototype set-up and the same URL handling.
 * The unit test (undici-client.test.ts) fails if a new undici moves these files or changes what they export.
 */
import type { Dispatcher, EnvHttpProxyAgent as EnvHttpProxyAgentClass } from 'undici';

/** undici/lib/api: the request methods (request, stream, pipeline, upgrade, connect), called on a dispatcher. */
interface UndiciApi {
  request(this: Dispatcher, opts: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
}

const api = require('undici/lib/api') as UndiciApi;
const DispatcherBase = require('undici/lib/dispatcher/dispatcher') as { prototype: object };
const { getGlobalDispatcher } = require('undici/lib/global') as { getGlobalDispatcher(): Dispatcher };
const { parseURL } = require('undici/lib/core/util') as { parseURL(url: string): URL };

// As undici's index does: every dispatcher has the request methods (a ProxyAgent tunnels through client.connect()).
Object.assign(DispatcherBase.prototype, api);

export const EnvHttpProxyAgent = require('undici/lib/dispatcher/env-http-proxy-agent') as typeof EnvHttpProxyAgentClass;

export type RequestOptions = { dispatcher?: Dispatcher } & Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> &
  Partial<Pick<Dispatcher.RequestOptions, 'method'>>;

/** undici's `request(url, options)`: the global dispatcher unless one is given. */
export function request(url: string, opts: RequestOptions): Promise<Dispatcher.ResponseData> {
  const { dispatcher = getGlobalDispatcher(), ...rest } = opts;
  const u = parseURL(url);
  return api.request.call(dispatcher, {
    ...rest,
    origin: u.origin,
    path: u.search ? `${u.pathname}${u.search}` : u.pathname,
    method: opts.method || (opts.body ? 'PUT' : 'GET'),
  });
}
