/**
 * Errors from Salesforce answers: REST bodies (`[{errorCode, message}]`), OAuth bodies
 * (`{error, error_description}`) and network failures, each mapped to an Airbyte failure_type.
 */
import { ConnectorError, type FailureType } from '../errors';

export interface SalesforceErrorBody {
  errorCode?: string;
  message?: string;
}

export class SalesforceApiError extends ConnectorError {
  readonly status: number;
  readonly errorCode: string | undefined;
  readonly salesforceMessage: string | undefined;

  constructor(args: { message: string; failureType: FailureType; status: number; errorCode?: string; salesforceMessage?: string; internal?: string }) {
    super(args.message, args.failureType, args.internal);
    this.name = 'SalesforceApiError';
    this.status = args.status;
    this.errorCode = args.errorCode;
    this.salesforceMessage = args.salesforceMessage;
  }
}

/** Codes a user fixes in the config or in Salesforce (object, field, permission) rather than by retrying. */
const CONFIG_CODES = new Set([
  'INVALIDJOB',
  'INVALID_FIELD',
  'INVALID_TYPE',
  'NOT_FOUND',
  'FEATURENOTENABLED',
  'FEATURE_NOT_ENABLED',
  'INVALIDUSER',
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'API_DISABLED_FOR_ORG',
  'API_CURRENTLY_DISABLED',
  'FUNCTIONALITY_NOT_ENABLED',
  'INVALID_OPERATION_WITH_EXPIRED_PASSWORD',
  'INVALID_AUTH_HEADER',
  'INVALID_SESSION_ID',
  'MALFORMED_ID',
]);
const TRANSIENT_CODES = new Set(['REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE', 'UNABLE_TO_LOCK_ROW', 'TIMEOUT', 'TOOMANYLOCKFAILURE']);

/** Reads Salesforce's error body: a JSON array or object of {errorCode, message}, or OAuth's {error, error_description}. */
export function parseErrorBody(body: Buffer | string): SalesforceErrorBody {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as unknown;
    const first = (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, unknown> | undefined;
    if (first && typeof first === 'object') {
      const code = first.errorCode ?? first.error ?? first.statusCode;
      const message = first.message ?? first.error_description;
      return {
        ...(typeof code === 'string' ? { errorCode: code } : {}),
        ...(typeof message === 'string' ? { message } : {}),
      };
    }
  } catch {
    // not JSON: fall through
  }
  const trimmed = text.trim();
  return trimmed ? { message: trimmed.slice(0, 500) } : {};
}

function failureTypeFor(status: number, errorCode: string | undefined): FailureType {
  if (errorCode && TRANSIENT_CODES.has(errorCode.toUpperCase())) return 'transient_error';
  if (status === 429 || status >= 500) return 'transient_error';
  if (status === 401 || status === 403 || status === 410) return 'config_error';
  if (errorCode && CONFIG_CODES.has(errorCode.toUpperCase())) return 'config_error';
  return 'system_error';
}

/**
 * Builds the error for a non-OK answer to `METHOD path`; `renewed` says whether the session was
 * renewed (signed in again) for this request before the answer came.
 */
export function apiErrorFromResponse(
  method: string,
  path: string,
  status: number,
  body: Buffer,
  apiVersion: string,
  renewed: boolean,
): SalesforceApiError {
  const { errorCode, message } = parseErrorBody(body);
  const failureType = failureTypeFor(status, errorCode);
  const detail = [errorCode, message].filter(Boolean).join(': ') || `HTTP ${status}`;
  let text = `Salesforce answered ${method} ${path} with HTTP ${status} (${detail}).`;
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') text += ' The org has used up its API request limit; the sync can resume once the limit resets.';
  else if (status === 401 && renewed) text += ' The session was refused even after signing in again: check that the user may use the API.';
  else if (status === 401) text += ' Salesforce refused the session: check that the user may use the API and that the sign-in settings are right.';
  else if (status === 403) text += ' The Salesforce user lacks a permission this needs (API Enabled, object or field access).';
  else if (status === 410) text += ` API version ${apiVersion} is retired: set 'api_version' to a supported version, e.g. "62.0".`;
  return new SalesforceApiError({
    message: text,
    failureType,
    status,
    ...(errorCode ? { errorCode } : {}),
    ...(message ? { salesforceMessage: message } : {}),
    internal: `HTTP ${status} ${errorCode ?? ''} on ${method} ${path}`.trim(),
  });
}

/** Network error codes worth retrying (the connection broke or never opened). */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** The error code of a network failure (undici puts it on the error or its cause). */
export function networkErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (RETRYABLE_NETWORK_CODES.has(code) || code === 'ENOTFOUND')) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Where a host name came from: the user's config ('domain'), or Salesforce itself (instance_url). */
export type HostOrigin = 'config' | 'salesforce';

/**
 * A ConnectorError for a host that could not be reached. A name that does not resolve is a config
 * problem only when the user typed it; a host Salesforce named (instance_url) failing to resolve is a
 * DNS blip, so transient (Airbyte does not retry config errors).
 */
export function unreachableError(host: string, code: string, what: string, origin: HostOrigin): ConnectorError {
  if (code === 'ENOTFOUND' && origin === 'config') {
    return new ConnectorError(
      `Could not resolve the ${what} host ${host} (${code}): check 'domain' (login, test, your My Domain name or URL).`,
      'config_error',
    );
  }
  const verb = code === 'ENOTFOUND' ? 'resolve' : 'reach';
  return new ConnectorError(`Could not ${verb} the ${what} host ${host} (${code}); will retry on the next attempt.`, 'transient_error');
}

/**
 * A request that got no answer (connection reset, socket closed, timeout): Salesforce may or may not
 * have acted on it. A transient_error like any unreachable host; callers of calls that must not be
 * repeated blindly (a REST insert) tell it apart from an answer.
 */
export class NoReplyError extends ConnectorError {
  constructor(
    message: string,
    readonly networkCode: string,
  ) {
    super(message, 'transient_error');
  }
}
