/**
 * Corporate networks reach Salesforce through an HTTP proxy. undici (unlike curl) ignores the usual
 * environment variables unless asked, so when HTTPS_PROXY / HTTP_PROXY (or the lower-case forms) are
 * set, Salesforce calls go through undici's EnvHttpProxyAgent, which also honours NO_PROXY.
 */
import { type Dispatcher, EnvHttpProxyAgent } from 'undici';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

export function proxyDispatcher(env: NodeJS.ProcessEnv = process.env): Dispatcher | undefined {
  return PROXY_VARIABLES.some((name) => env[name]) ? new EnvHttpProxyAgent() : undefined;
}
