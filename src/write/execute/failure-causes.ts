/**
 * THE table: what Salesforce says → what the connector does. Every failure on the write path is
 * classified here, by its cause (status + errorCode + message, a job's errorMessage, a row's
 * sf__Error code) — never by the HTTP status alone. The README's "When Salesforce says no" table
 * lists the same rows (a unit test keeps them in step).
 *
 * Actions:
 * - `retry-call`  the HTTP port sends the same request again (backoff, Retry-After, one token renewal);
 *                 when its tries run out the sync ends with transient_error.
 * - `resend`      the rows go again in a new job, after a wait (bounded); row causes then reject the
 *                 row with Salesforce's error, call causes end the sync with transient_error.
 * - `split`       the job's unprocessed rows go again in new jobs, halved on each failure, so a row
 *                 that makes every job it is in fail ends up alone; only a row that still fails its
 *                 job on its own — while other jobs succeed — is rejected, with the job's error.
 *                 Bounded: past the bound the sync ends with transient_error, no row rejected.
 * - `transient`   the sync ends with transient_error: no row rejected, no STATE past the rows, Airbyte
 *                 re-sends them on its next attempt.
 * - `config`      the sync ends with config_error, saying what to change.
 * - `system`      the sync ends with system_error (an answer we do not understand).
 * - `reject`      the row goes to the rejects store with Salesforce's error.
 */
import { SalesforceApiError } from '../../salesforce/salesforce-errors';
import type { JobInfo } from '../../salesforce/types';

export type Action = 'retry-call' | 'resend' | 'split' | 'transient' | 'config' | 'system' | 'reject';

/**
 * Which call an HTTP answer belongs to: a Bulk call, or an sObject Collections request — an insert
 * (`rest-insert`, never repeated blindly: it may have inserted its records) or a keyed write
 * (`rest-write`: update, upsert, delete; the same write again is harmless).
 */
export type Call = 'create' | 'upload' | 'close' | 'poll' | 'results' | 'abort' | 'list' | 'rest-insert' | 'rest-write';

export interface Cause {
  /** Stable name (README, logs). */
  id: string;
  where: 'http' | 'job' | 'row';
  /** HTTP: status (or a test on it); `calls` limits the rule to some calls. */
  status?: (status: number) => boolean;
  calls?: Call[];
  /** HTTP errorCode, or a row's sf__Error code. */
  code?: RegExp;
  /** HTTP error message, or a job's errorMessage. */
  message?: RegExp;
  /** Job state the rule applies to. */
  state?: 'Failed' | 'Aborted';
  action: Action;
  why: string;
}

const is = (...statuses: number[]) => (s: number) => statuses.includes(s);

export const FAILURE_CAUSES: readonly Cause[] = [
  // ── HTTP answers to Bulk calls and sObject Collections requests (status 0: no answer at all) ────
  { id: 'rest-insert-throttled', where: 'http', calls: ['rest-insert'], status: is(420, 429, 503), action: 'resend', why: 'A REST insert refused unprocessed (throttled, server unavailable): the same records again after a wait, a few times; then transient_error, no row rejected.' },
  { id: 'rest-insert-unknown', where: 'http', calls: ['rest-insert'], status: is(0, 500, 502, 504), action: 'reject', why: "A REST insert whose reply was lost (or a server error after it was sent): Salesforce may or may not have inserted its records, so they are not sent again (that could insert them twice); its rows are rejected as DESTINATION_REST_OUTCOME_UNKNOWN, to be looked up before sending them again." },
  { id: 'no-reply', where: 'http', status: is(0), action: 'transient', why: 'No answer after every try (a keyed REST write): stop; its rows are unsettled and Airbyte sends them again (the same write again is harmless).' },
  { id: 'session-expired', where: 'http', status: is(401), code: /^INVALID_SESSION_ID$/, action: 'retry-call', why: 'The access token expired: sign in again once, then the same call.' },
  { id: 'rate-or-server', where: 'http', status: (s) => s === 429 || s === 420 || (s >= 500 && s !== 501), action: 'retry-call', why: 'Throttled or a server error: the same call again with backoff; then transient_error.' },
  { id: 'concurrent-limit', where: 'http', status: is(403), code: /^REQUEST_LIMIT_EXCEEDED$/, message: /Concurrent/i, action: 'resend', why: 'Too many long requests at once (ConcurrentPerOrgLongTxn): the rows go again in a new job after a wait; never rejected.' },
  { id: 'api-limit', where: 'http', status: is(403), code: /^REQUEST_LIMIT_EXCEEDED$|^EXCEEDEDQUOTA$/i, action: 'transient', why: "The org's daily API or Bulk allowance is spent: stop, reject nothing; Airbyte retries later." },
  { id: 'upload-too-large', where: 'http', calls: ['upload'], status: is(400, 413), code: /^CLIENTINPUTERROR$|^HTTP_413$/i, action: 'split', why: 'The upload is over the size Salesforce accepts: the rows go again in smaller jobs; a single row still refused is rejected.' },
  { id: 'job-gone', where: 'http', calls: ['close', 'poll', 'results', 'abort'], status: is(404), action: 'transient', why: 'The job vanished (deleted in Setup?): its rows are unsettled; stop, Airbyte re-sends them.' },
  { id: 'not-permitted', where: 'http', code: /^(INVALIDJOB|INVALID_FIELD|INVALID_TYPE|NOT_FOUND|FEATURENOTENABLED|FEATURE_NOT_ENABLED|INVALIDUSER|INSUFFICIENT_ACCESS(_OR_READONLY)?|API_DISABLED_FOR_ORG|API_CURRENTLY_DISABLED|FUNCTIONALITY_NOT_ENABLED)$/i, action: 'config', why: 'The object, field, operation or permission is wrong for this user: stop and say what to change.' },
  { id: 'forbidden', where: 'http', status: is(401, 403), action: 'config', why: 'Salesforce refuses the user: stop and say what to change.' },
  { id: 'other-answer', where: 'http', action: 'system', why: 'An answer we do not understand: stop with system_error (Airbyte retries).' },

  // ── A job that ended Failed or Aborted (its errorMessage) ──────────────────────────────────────
  { id: 'job-bad-header', where: 'job', state: 'Failed', message: /Field name not found|not needed for non polymorphic|must contain only ids|InvalidJob|Unable to find object/i, action: 'config', why: 'The job refused a column or the object (field-level security, a deleted field): stop and name it.' },
  { id: 'job-daily-limit', where: 'job', state: 'Failed', message: /ExceededQuota|exceeds? the (allowed|daily)|daily (limit|allocation)|LIMIT_EXCEEDED|Limit exceeded/i, action: 'transient', why: 'A daily Bulk limit (records, batches) ran out mid-job: stop, reject nothing.' },
  { id: 'job-platform', where: 'job', state: 'Failed', action: 'split', why: 'Platform trouble ("InternalServerError", "retries exhausted", timeouts, bad line data): the unprocessed rows go again in smaller jobs to isolate a row that breaks every job.' },
  { id: 'job-aborted', where: 'job', state: 'Aborted', action: 'reject', why: 'Someone aborted the job in Salesforce: its unprocessed rows are rejected as BULK_JOB_ABORTED.' },

  // ── A row's sf__Error ──────────────────────────────────────────────────────────────────────────
  { id: 'row-lock', where: 'row', code: /^(UNABLE_TO_LOCK_ROW|TOOMANYLOCKFAILURE|UNKNOWN_EXCEPTION|REQUEST_RUNNING_TOO_LONG|SERVER_UNAVAILABLE|API_TEMPORARILY_UNAVAILABLE)$/, action: 'resend', why: 'Record lock or a passing server error: the row goes again in a follow-up job; rejected after the last attempt.' },
  { id: 'row-limit', where: 'row', code: /^(REQUEST_LIMIT_EXCEEDED|EXCEEDED_QUOTA|EXCEEDED_ID_LIMIT)$/, action: 'transient', why: 'A limit refused the row: stop, reject nothing.' },
  { id: 'row-error', where: 'row', action: 'reject', why: "Any other row error (validation, required field, bad value, duplicate): the row is rejected with Salesforce's error." },
];

function matches(c: Cause, where: Cause['where'], f: { status?: number; call?: Call; code?: string; message?: string; state?: string }): boolean {
  if (c.where !== where) return false;
  if (c.status && (f.status === undefined || !c.status(f.status))) return false;
  if (c.calls && (f.call === undefined || !c.calls.includes(f.call))) return false;
  if (c.code && !c.code.test(f.code ?? '')) return false;
  if (c.message && !c.message.test(f.message ?? '')) return false;
  if (c.state && c.state !== f.state) return false;
  return true;
}

function first(where: Cause['where'], facts: Parameters<typeof matches>[2]): Cause {
  return FAILURE_CAUSES.find((c) => matches(c, where, facts)) as Cause; // every section ends with a catch-all
}

/** The cause of an error thrown by a Bulk call; undefined for errors that are not Salesforce answers (already ConnectorErrors). */
export function classifyHttp(err: unknown, call: Call): Cause | undefined {
  if (!(err instanceof SalesforceApiError)) return undefined;
  return first('http', { status: err.status, call, code: err.errorCode ?? `HTTP_${err.status}`, message: err.salesforceMessage ?? '' });
}

/** The cause of a request that got no answer at all (the port's NoReplyError), as status 0. */
export function classifyNoReply(call: Call): Cause {
  return first('http', { status: 0, call, code: 'NO_REPLY', message: '' });
}

/** The cause of a job that ended Failed or Aborted. */
export function classifyJob(info: Pick<JobInfo, 'state' | 'errorMessage'>): Cause {
  return first('job', { state: info.state, message: info.errorMessage ?? '' });
}

/** The cause of a row's sf__Error code. */
export function classifyRow(code: string): Cause {
  return first('row', { code });
}
