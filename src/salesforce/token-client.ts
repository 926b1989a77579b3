/**
 * POSTs one OAuth grant to `{loginUrl}/services/oauth2/token` (salesforce-api.md §5.1).
 * Retries rate limits / 5xx (isRetryableStatus) / broken connections; any other refusal comes back as an OAuthRefusal for
 * auth.ts to turn into an actionable message for the flow at hand. Never logs parameters.
 *
 * A refresh_token grant is not idempotent when refresh token rotation is on: Salesforce revokes the
 * token it received as soon as it answers. So it is retried only when the request cannot have reached
 * Salesforce (the connection never opened) or Salesforce answered 429 / 5xx; after a connection broke
 * mid-request, a replay would send a token that may already be revoked and lose the rotated one.
 */
import type { Dispatcher } from 'undici';
import { systemError, transientError } from '../errors';
import { isRetryableStatus, RetryableFailure, withRetries, type RetryPolicy } from './retry-policy';
import { networkErrorCode, parseErrorBody, unreachableError } from './salesforce-errors';
import { request as undiciRequest } from './undici-client';

export interface TokenResponse {
  access_token: string;
  instance_url: string;
  [key: string]: unknown;
}

/** Salesforce answered the token request with an error (e.g. 400 invalid_grant). */
export class OAuthRefusal extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthRefusal';
  }
}

/** Network failures raised before any byte of the request left (safe to replay any grant). */
const NOTHING_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

export interface TokenClientOptions {
  policy: RetryPolicy;
  dispatcher?: Dispatcher;
}

export async function requestToken(loginUrl: string, params: Record<string, string>, opts: TokenClientOptions): Promise<TokenResponse> {
  const url = `${loginUrl}/services/oauth2/token`;
  const host = new URL(loginUrl).host;
  const body = new URLSearchParams(params).toString();
  return withRetries(opts.policy, async () => {
    let status: number;
    let text: string;
    let retryAfter: string | undefined;
    try {
      const res = await undiciRequest(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
      });
      status = res.statusCode;
      text = await res.body.text();
      const ra = res.headers['retry-after'];
      retryAfter = Array.isArray(ra) ? ra[0] : ra;
    } catch (err) {
      const code = networkErrorCode(err);
      if (!code) throw systemError(`The token request to ${host} failed: ${(err as Error).message}`);
      if (params.grant_type === 'refresh_token' && !NOTHING_SENT_CODES.has(code)) {
        throw transientError(
          `The connection to ${host} broke (${code}) after the refresh token request was sent, so its outcome is unknown ` +
            '(it was not sent again: with refresh token rotation on, Salesforce may already have replaced the token). The sync can be retried.',
        );
      }
      const unreachable = unreachableError(host, code, 'Salesforce login', 'config');
      if (code === 'ENOTFOUND') throw unreachable;
      return new RetryableFailure(code, unreachable);
    }
    if (status >= 200 && status < 300) return parseSuccess(text, loginUrl);
    const { errorCode, message } = parseErrorBody(text);
    const refusal = errorCode
      ? new OAuthRefusal(status, errorCode, message ?? '')
      : new OAuthRefusal(status, `HTTP_${status}`, text.trim().slice(0, 300));
    if (isRetryableStatus(status)) return new RetryableFailure(`HTTP ${status}`, refusal, retryAfter);
    throw refusal;
  });
}

function parseSuccess(text: string, loginUrl: string): TokenResponse {
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed.access_token !== 'string' || typeof parsed.instance_url !== 'string') {
    throw systemError(`The token response from ${new URL(loginUrl).host} has no access_token or instance_url.`);
  }
  return parsed as TokenResponse;
}
