/**
 * Corporate networks reach Salesforce through an HTTP proxy. undici (unlike curl) ignores the usual
 * environment variables unless asked, so when HTTPS_PROXY / HTTP_PROXY (or the lower-case forms) are
 * set, Salesforce calls go through undici's EnvHttpProxyAgent, which also honours NO_PROXY.
 */
import { type Dispatcher, EnvHttpProxyAgent } from 'undici';
import { configError } from '../errors';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

export function proxyDispatcher(env: NodeJS.ProcessEnv = process.env): Dispatcher | undefined {
  const set = PROXY_VARIABLES.filter((name) => env[name]);
  if (!set.length) return undefined;
  try {
    return new EnvHttpProxyAgent();
  } catch {
    // The value is never printed: a proxy URL may carry a password.
    const bad = set.filter((name) => !isHttpUrl(env[name] ?? ''));
    const named = (bad.length ? bad : set).join(' / ');
    throw configError(
      `The proxy environment variable ${named} is not a usable proxy URL: write it as a full URL with its scheme, ` +
        'e.g. http://proxy.example.com:8080 (or http://user:password@proxy.example.com:8080).',
    );
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
