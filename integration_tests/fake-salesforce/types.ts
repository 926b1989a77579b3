/** Public shapes of the fake Salesforce (re-exported by index.ts). */

export interface FakeSalesforceOptions {
  /** Port of the login host (OAuth, SOAP login); 0 (default) = random port on 127.0.0.1 */
  port?: number;
  /** Port of the instance host (instance_url, every data call); 0 (default) = random port on 127.0.0.1 */
  instancePort?: number;
  /** Queue delay: after close, the job waits this long before its batches join the org's batch queue (default 50). */
  processingDelayMs?: number;
  /** Rate of one running batch (default: unlimited, but processing is still async). A job of ≤ batchSize rows is one batch. */
  recordsPerSecond?: number;
  /** Rows per internal batch (default 10,000 [DOC §1.7]). */
  batchSize?: number;
  /** Org-wide parallel batch slots shared by all jobs (default 10; Salesforce documents no number: GUESS). */
  parallelBatches?: number;
  /** A batch whose run would exceed this is retried (default 300,000 = 5 min [DOC §1.7]; scale it down in tests). */
  batchTimeLimitMs?: number;
  /** Retries of a timed-out batch before its job is Failed (default 20 [DOC §1.7, §2]; older docs: 10). */
  batchRetries?: number;
  /** DailyBulkApiBatches Max (default 15,000 [DOC §2]); past it a job is Failed with ExceededQuota. */
  dailyBulkBatchLimit?: number;
  /** Records processed per 24 h (default 150,000,000 [DOC §2]); past it the job is Failed, the rest unprocessed. */
  dailyBulkRecordLimit?: number;
  /** Upload size cap in raw bytes (default 150*1024*1024). [UNCONFIRMED] */
  uploadLimitBytes?: number;
  /** Status answered when an upload exceeds uploadLimitBytes (default 400). [UNCONFIRMED] */
  uploadLimitStatus?: number;
  /** Every access token issued becomes invalid after N authenticated requests (undefined = never). */
  tokenExpiresAfterRequests?: number;
  /** 'login': behave as login.salesforce.com → client_credentials refused (default 'my_domain'). */
  hostMode?: 'my_domain' | 'login';
  /** "Bulk API Hard Delete" permission (default false, as in a real org). */
  hardDeleteEnabled?: boolean;
  /** DailyApiRequests Max (default 100000); past it → 403 REQUEST_LIMIT_EXCEEDED. */
  dailyApiLimit?: number;
  /** Row order of result CSVs (default 'shuffled': real order isn't guaranteed). */
  resultOrder?: 'upload' | 'shuffled';
  /**
   * How a second PUT on one job is rejected [REAL variants, which one applies UNCONFIRMED]:
   * 'close_bulk_api_error' (default, v47: PUT 201, the close PATCH → 400 BULK_API_ERROR),
   * 'close_invalidjob' (v43: same, errorCode INVALIDJOB), 'put' (the second PUT itself → 400 INVALIDJOB).
   */
  secondPutRejection?: 'close_bulk_api_error' | 'close_invalidjob' | 'put';
  /**
   * Refresh token rotation (External Client Apps' "Refresh Token Rotation"): every refresh_token grant
   * answers a new `refresh_token` and revokes the one used. Default false. [DOC; response shape GUESS]
   */
  rotateRefreshTokens?: boolean;
  /** OAuth username-password flow allowed (default true; new orgs block it → invalid_grant authentication failure). */
  passwordFlowEnabled?: boolean;
  /** sf__Id of platform-event rows in successfulResults: 'id' (default, an e00… id) or 'empty'. [UNCONFIRMED] */
  eventBulkIds?: 'id' | 'empty';
  /**
   * Records per Bulk API 2.0 query results page when the request has no `maxRecords` (default: all remaining).
   * Salesforce sizes such pages by bytes [DOC, size UNCONFIRMED]; set it to make clients page.
   */
  queryResultsPageSize?: number;
  /** Normalise numbers in successfulResults the way the doc example shows (912260031 → 9.12260031E8). Default true. */
  normaliseResultValues?: boolean;
  /** Callback URLs of the app, for the web-server flow's redirect_uri (default ['http://localhost:8000/auth_flow'], Airbyte's local /auth_flow). */
  oauthCallbackUrls?: string[];
  /** The app requires PKCE: /services/oauth2/authorize without code_challenge is refused (default true). */
  oauthRequirePkce?: boolean;
  /**
   * How result CSVs echo uploaded rows (reference §1.8; see README "Result echo"). 'as-uploaded' (default): values
   * as uploaded (but for normaliseResultValues), columns in upload order, rows per resultOrder. 'normalised': values
   * rewritten per field type, `#N/A` echoed empty, 15-char ids as 18, picklist values in their defined case,
   * failedResults' data columns sorted alphabetically, rows always shuffled.
   */
  resultEcho?: ResultEcho;
  /**
   * `#N/A` in a relationship column (`Account.Ext_Id__c`), which Salesforce does not document (GUESS either way):
   * 'clears' (default) clears the lookup; 'not-found' fails the row like any parent key not found.
   */
  relationshipNull?: 'clears' | 'not-found';
  /**
   * sObject Collections cost model (GUESS: Salesforce documents no timing): every collections request is
   * held `collectionsRequestMs` + `collectionsRecordMs` × its records before it is answered (default 0 and 0).
   * Requests in flight at once are held in parallel.
   */
  collectionsRequestMs?: number;
  collectionsRecordMs?: number;
  /**
   * SaveResult of a platform event (`__e`) published through sObject Collections or `POST /sobjects/{E}/`:
   * 'enqueued' (default, current docs §7: `success: true` with `errors: [{statusCode: "OPERATION_ENQUEUED",
   * message: <event UUID>, fields: []}]`), 'plain' (`errors: []`, older docs), 'enqueued-unsuccessful'
   * (`success: false` with only OPERATION_ENQUEUED: GUESS, a reading some clients guard against).
   */
  eventSaveResult?: 'enqueued' | 'plain' | 'enqueued-unsuccessful';
}

export type ResultEcho = 'as-uploaded' | 'normalised';

export interface FakeCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  username: string;
  password: string;
  securityToken: string;
  /** PEM of an RSA key whose public key the fake trusts for JWT bearer. */
  privateKey: string;
}

export interface FakeRequestLog {
  /** Which listener answered: the login host or the instance host. */
  host: 'login' | 'instance';
  method: string;
  path: string;
  route: string;
  status: number;
  bodyBytes: number;
  /** The request's `Sforce-Auto-Assign` header, when it had one. */
  autoAssign?: string;
}

export interface FakeJob {
  id: string;
  object: string;
  operation: string;
  state: string;
  externalIdFieldName?: string;
  lineEnding: string;
  uploadedBytes: number;
  puts: number;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  assignmentRuleId?: string;
  createdAt: number;
  /** Model times of the processing model (epoch ms): close, first batch start, last batch end (or failure). */
  closedAt?: number;
  startedAt?: number;
  finishedAt?: number;
  /** Batch retries (a batch over batchTimeLimitMs). */
  retries: number;
  errorMessage?: string;
  columnDelimiter?: string;
}

export interface FaultSpec {
  route: string;
  /** 1-based call of that route (counted from when the fault is injected) to hit, default 1. */
  nth?: number;
  /** Consecutive calls to hit, default 1. */
  times?: number;
  /** Default 500. */
  status?: number;
  /** Default: Salesforce's UNKNOWN_EXCEPTION array for 5xx, '' otherwise. */
  body?: string;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** Handle the request normally (state changes happen), then drop or replace the answer. Default false. */
  afterHandling?: boolean;
  /** Hold the request this long first; alone (no status, body or drop) the answer is then the normal one. */
  delayMs?: number;
  /** Extra response headers of an injected answer (e.g. Retry-After on a 429). */
  headers?: Record<string, string>;
}

export type RouteName =
  | 'oauth.token'
  | 'oauth.authorize'
  | 'soap.login'
  | 'versions'
  | 'sobjects.list'
  | 'sobjects.describe'
  | 'limits'
  | 'ingest.create'
  | 'ingest.upload'
  | 'ingest.patch'
  | 'ingest.info'
  | 'ingest.successfulResults'
  | 'ingest.failedResults'
  | 'ingest.unprocessedrecords'
  | 'ingest.delete'
  | 'ingest.list'
  | 'collections.insert'
  | 'collections.update'
  | 'collections.upsert'
  | 'collections.delete'
  | 'sobject.create'
  | 'login.data'
  | 'oauth.userinfo'
  | 'identity'
  | 'resources'
  | 'query'
  | 'query.more'
  | 'queryAll'
  | 'queryAll.more'
  | 'sobject.get'
  | 'sobject.update'
  | 'sobject.delete'
  | 'sobject.upsert'
  | 'bulkQuery.create'
  | 'bulkQuery.info'
  | 'bulkQuery.patch'
  | 'bulkQuery.delete'
  | 'bulkQuery.results'
  | 'unknown';

/**
 * A job-level failure part-way through processing, as Salesforce does when a batch exhausted its
 * retries or the daily limit was hit (reference §1.7): rows after `afterRows` stay unprocessed.
 */
export interface JobFailure {
  /** Rows processed (with results) before the job turns Failed; default 0. */
  afterRows: number;
  /** The job's errorMessage; the real text is unconfirmed (guessed default). */
  errorMessage: string;
}

export interface FakeSalesforce {
  /** http://127.0.0.1:PORT of the login host: OAuth and SOAP login only (data calls → 401 INVALID_SESSION_ID). */
  loginUrl: string;
  /** http://127.0.0.1:PORT of the instance host: the token's instance_url, where every data call goes. */
  instanceUrl: string;
  credentials: FakeCredentials;
  /** Ready connector config: {auth_type:'oauth2_refresh_token', client_id, client_secret, refresh_token, domain: loginUrl} */
  config: Record<string, unknown>;
  /** Live (not deleted) records, with Id and field values (typed: numbers, booleans, null). */
  records(object: string): Array<Record<string, unknown>>;
  /** Soft-deleted (recycle bin) ids; hard-deleted ones are gone entirely. */
  deletedIds(object: string): string[];
  /** Insert directly (no validation beyond the field names), returns ids. */
  seed(object: string, rows: Array<Record<string, unknown>>): string[];
  requests(): FakeRequestLog[];
  jobs(): FakeJob[];
  injectFault(f: FaultSpec): void;
  /** A chooser (e.g. chaos-faults.ts) asked for a fault on every call no injected fault matched; undefined removes it. */
  setFaultChooser(chooser: ((route: string) => FaultSpec | undefined) | undefined): void;
  /** Matching uploaded rows fail once with that transient error, then succeed on a later job. */
  failRowsOnce(match: (row: Record<string, string>) => boolean, code?: string): void;
  /** Matching rows fail their first `times` tries with that error (Infinity: a lock that never clears). */
  failRows(match: (row: Record<string, string>) => boolean, opts: { code?: string; times: number }): void;
  /** The next job to start processing turns Failed after `afterRows` rows (the rest unprocessed). */
  failNextJob(failure?: Partial<JobFailure>): void;
  /** Every job holding a matching row turns Failed when it reaches that row (that row and the rest unprocessed). */
  poisonRows(match: (row: Record<string, string>) => boolean, errorMessage?: string): void;
  set(options: Partial<FakeSalesforceOptions>): void;
  /** Clear records, jobs, logs, faults, API usage; keep options and issued tokens. */
  reset(): void;
  close(): Promise<void>;
}
