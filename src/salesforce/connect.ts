/**
 * Signs in with the configured flow and returns the SalesforceApi port every command uses.
 * Retries and renewals are logged as LOG messages (never with credentials).
 */
import type { DestinationConfig } from '../config/destination-config';
import { ConnectorError } from '../errors';
import type { Emitter } from '../protocol/emitter';
import { ApiBudget } from './api-budget';
import { createSignIn } from './auth';
import { HttpSalesforceApi } from './http-client';
import { proxyDispatcher } from './proxy';
import type { RetryPolicy } from './retry-policy';
import type { SalesforceApi } from './salesforce-api';

/** The config's own secrets are already registered with the emitter (loadConfig); new tokens are added here. */
export async function connect(config: DestinationConfig, emitter: Emitter): Promise<SalesforceApi> {
  const proxy = proxyDispatcher();
  if (proxy) emitter.info('Reaching Salesforce through the proxy named by HTTPS_PROXY / HTTP_PROXY (NO_PROXY honoured).');
  const retry = testRetryOverride();
  const transport = { ...(retry ? { retry } : {}), ...(proxy ? { dispatcher: proxy } : {}) };
  const signIn = createSignIn(config, {
    ...transport,
    onRefreshTokenRotated: (refreshToken) => {
      emitter.addSecrets([refreshToken]);
      emitter.connectorConfig({ ...config.raw, refresh_token: refreshToken });
      emitter.info('Salesforce issued a new refresh token (refresh token rotation is on); Airbyte was asked to store it.');
    },
  });
  const session = await signIn().catch((err: unknown) => {
    throw proxy ? withProxyHint(err) : err;
  });
  emitter.addSecrets([session.accessToken]);
  emitter.info(`Signed in to Salesforce (${config.auth.type}); instance ${session.instanceUrl}, API v${config.apiVersion}.`);
  const budget = new ApiBudget(config.maxApiUsagePercent);
  const api = new HttpSalesforceApi({
    apiVersion: config.apiVersion,
    session,
    renewSession: async () => {
      const renewed = await signIn();
      emitter.addSecrets([renewed.accessToken]);
      return renewed;
    },
    ...transport,
    onRenew: () => emitter.info('Salesforce session expired (401 INVALID_SESSION_ID); signing in again.'),
    onRetry: (n) =>
      emitter.warn(`Salesforce ${n.method} ${n.path} failed (${n.reason}); try ${n.attempt} in ${Math.round(n.delayMs)} ms.`),
    budget,
    onLimitsUnreadable: (reason) =>
      emitter.warn(`Could not read the org's limits (/limits: ${reason}); the API budget guard goes on with the usage Salesforce reports on each reply.`),
  });
  // The allowances at the start (the guard's first reading), for every command's log.
  await api.readLimits();
  emitter.info(budget.summary());
  return api;
}

/**
 * DESTINATION_SALESFORCE_RETRY_BASE_MS shortens backoff delays (the CLI tests' fault injection
 * would otherwise wait seconds). Unset in production.
 */
function testRetryOverride(): Partial<RetryPolicy> | undefined {
  const base = Number(process.env.DESTINATION_SALESFORCE_RETRY_BASE_MS);
  return Number.isFinite(base) && base >= 0 && process.env.DESTINATION_SALESFORCE_RETRY_BASE_MS
    ? { baseDelayMs: base, maxDelayMs: Math.max(base * 8, 1), maxRetryAfterMs: Math.max(base * 8, 1) }
    : undefined;
}

/** A network failure behind a proxy is often the proxy's: say it is in the path (never its URL, which may hold a password). */
function withProxyHint(err: unknown): unknown {
  if (!(err instanceof ConnectorError) || err.failureType === 'config_error') return err;
  return new ConnectorError(
    `${err.message} Calls go through the proxy named by HTTPS_PROXY / HTTP_PROXY: check it is reachable, or exempt Salesforce with NO_PROXY.`,
    err.failureType,
    err.internalMessage,
  );
}
