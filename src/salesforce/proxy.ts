/**
 * Corporate networks reach Salesforce and S3 through an HTTP proxy. undici and Node's http agents
 * (unlike curl) ignore the usual environment variables unless asked, so when HTTPS_PROXY / HTTP_PROXY
 * (or the lower-case forms) are set, Salesforce calls go through undici's EnvHttpProxyAgent and S3
 * calls through Node's agents with `proxyEnv` (src/rejects/s3-client.ts); both honour NO_PROXY.
 * Both read the variables checked here, so a bad value is refused the same way for both.
 */
import type { Dispatcher } from 'undici';
import { configError } from '../errors';
import { EnvHttpProxyAgent } from './undici-client';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

export function proxyDispatcher(env: NodeJS.ProcessEnv = process.env): Dispatcher | undefined {
  const set = proxyVariablesSet(env);
  if (!set.length) return undefined;
  try {
    return new EnvHttpProxyAgent();
  } catch {
    throw badProxyError(set);
  }
}

/**
 * The proxy variables that are set; a config error when one is not an http(s) URL (Node's agents
 * would silently ignore it, undici would throw an unhelpful error).
 */
export function proxyVariablesSet(env: NodeJS.ProcessEnv = process.env): string[] {
  const set = PROXY_VARIABLES.filter((name) => env[name]);
  const bad = set.filter((name) => !isHttpUrl(env[name] ?? ''));
  if (bad.length) throw badProxyError(bad);
  return set;
}

function badProxyError(names: string[]) {
  // The value is never printed: a proxy URL may carry a password.
  return configError(
    `The proxy environment variable ${names.join(' / ')} is not a usable proxy URL: write it as a full URL with its scheme, ` +
      'e.g. http://proxy.example.com:8080 (or http://user:password@proxy.example.com:8080).',
  );
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
