/** The fake org's whole state: options, records, jobs, tokens, logs, faults. One instance per server. */
import { AuthorizationCodes } from './authorization-codes';
import { PoisonRows } from './poison-rows';
import type { JobFailure } from './types';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { FaultBook, LockRules } from './faults';
import { newId } from './ids';
import type { IngestJob } from './jobs';
import { createBatchPool } from './job-runner';
import { findObject } from './org-schema';
import type { QueryCursor } from './query-routes';
import type { QueryJob } from './bulk-query';
import { RecordStore } from './store';
import type { FakeCredentials, FakeRequestLog, FakeSalesforceOptions } from './types';

export type ResolvedOptions = Required<Omit<FakeSalesforceOptions, 'recordsPerSecond' | 'tokenExpiresAfterRequests' | 'queryResultsPageSize'>> &
  Pick<FakeSalesforceOptions, 'recordsPerSecond' | 'tokenExpiresAfterRequests' | 'queryResultsPageSize'>;

export const DEFAULT_OPTIONS: ResolvedOptions = {
  port: 0,
  instancePort: 0,
  processingDelayMs: 50,
  recordsPerSecond: undefined,
  batchSize: 10000,
  parallelBatches: 10,
  batchTimeLimitMs: 300_000,
  batchRetries: 20,
  dailyBulkBatchLimit: 15000,
  dailyBulkRecordLimit: 150_000_000,
  uploadLimitBytes: 150 * 1024 * 1024,
  uploadLimitStatus: 400,
  tokenExpiresAfterRequests: undefined,
  queryResultsPageSize: undefined,
  hostMode: 'my_domain',
  hardDeleteEnabled: false,
  dailyApiLimit: 100000,
  resultOrder: 'shuffled',
  secondPutRejection: 'close_bulk_api_error',
  passwordFlowEnabled: true,
  rotateRefreshTokens: false,
  eventBulkIds: 'id',
  normaliseResultValues: true,
  oauthCallbackUrls: ['http://localhost:8000/auth_flow'],
  oauthRequirePkce: true,
  resultEcho: 'as-uploaded',
  relationshipNull: 'clears',
  collectionsRequestMs: 0,
  collectionsRecordMs: 0,
  eventSaveResult: 'enqueued',
};

let keyPair: { privateKey: string; publicKey: string } | undefined;
/** One RSA key pair per process (generation is slow); the fake trusts its public key for JWT bearer. */
function sharedKeyPair(): { privateKey: string; publicKey: string } {
  keyPair ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return keyPair;
}

export interface TokenInfo {
  uses: number;
  revoked: boolean;
}

export class Org {
  options: ResolvedOptions;
  /** The login host (OAuth + SOAP login only; what a config's `domain` names), set once listening. */
  loginUrl = '';
  /** The instance host (`instance_url`: every data call), set once listening. */
  instanceUrl = '';
  readonly orgId = newId('00D');
  readonly userId = newId('005');
  readonly credentials: FakeCredentials;
  readonly publicKey: string;
  readonly store = new RecordStore();
  readonly jobs = new Map<string, IngestJob>();
  readonly tokens = new Map<string, TokenInfo>();
  readonly log: FakeRequestLog[] = [];
  /** REST query results kept for their nextRecordsUrl pages. */
  readonly queryCursors = new Map<string, QueryCursor>();
  /** Bulk API 2.0 query jobs. */
  readonly queryJobs = new Map<string, QueryJob>();
  readonly faults = new FaultBook();
  readonly lockRules = new LockRules();
  /** Web-server flow codes and the refresh tokens they minted (kept by reset(), like other tokens). */
  readonly authorizationCodes = new AuthorizationCodes();
  /** Queued job-level failures: the next jobs that start processing fail part-way (failNextJob). */
  readonly jobFailures: JobFailure[] = [];
  readonly poisonRows = new PoisonRows();
  apiUsed = 0;
  bulkBatchesUsed = 0;
  bulkRecordsUsed = 0;
  /** The org-wide batch queue and slots (processing model). */
  readonly pool = createBatchPool(this);

  constructor(options: FakeSalesforceOptions) {
    this.options = { ...DEFAULT_OPTIONS, ...stripUndefined(options) };
    const keys = sharedKeyPair();
    this.publicKey = keys.publicKey;
    this.credentials = {
      clientId: '3MVG9fake' + randomBytes(24).toString('base64url'),
      clientSecret: randomBytes(32).toString('hex').toUpperCase(),
      refreshToken: '5Aep861fake' + randomBytes(32).toString('base64url'),
      username: 'integration@fake-salesforce.example',
      password: 'Passw0rd-' + randomBytes(4).toString('hex'),
      securityToken: randomBytes(12).toString('base64url'),
      privateKey: keys.privateKey,
    };
    this.seedUser();
  }

  set(options: Partial<FakeSalesforceOptions>): void {
    for (const [k, v] of Object.entries(options)) {
      (this.options as unknown as Record<string, unknown>)[k] = v === undefined ? (DEFAULT_OPTIONS as unknown as Record<string, unknown>)[k] : v;
    }
  }

  /** Issues an access token `00D…!…` (reference §5.1). */
  issueToken(): string {
    const token = `${this.orgId.slice(0, 15)}!AQ${randomBytes(48).toString('base64url').replace(/[-_]/g, '.')}`;
    this.tokens.set(token, { uses: 0, revoked: false });
    return token;
  }

  /** True when the token is known and not yet expired by the tokenExpiresAfterRequests knob; counts the use. */
  useToken(token: string): boolean {
    const info = this.tokens.get(token);
    if (!info || info.revoked) return false;
    const max = this.options.tokenExpiresAfterRequests;
    if (max !== undefined && info.uses >= max) {
      info.revoked = true;
      return false;
    }
    info.uses += 1;
    return true;
  }

  private seedUser(): void {
    const user = findObject('User');
    if (!user) return;
    const rec = this.store.insert(user, {
      Username: this.credentials.username, LastName: 'Integration', Email: this.credentials.username,
    });
    // The integration user keeps the org's user id so OwnerId defaults point at a real record.
    this.store.hardDelete(rec);
    rec.id = this.userId;
    rec.values.Id = this.userId;
    this.store.restore(rec);
  }

  reset(): void {
    for (const job of this.jobs.values()) if (job.timer) clearTimeout(job.timer);
    this.pool.clear();
    this.jobs.clear();
    this.queryCursors.clear();
    for (const job of this.queryJobs.values()) if (job.timer) clearTimeout(job.timer);
    this.queryJobs.clear();
    this.store.clear();
    this.log.length = 0;
    this.faults.clear();
    this.lockRules.clear();
    this.jobFailures.length = 0;
    this.poisonRows.clear();
    this.apiUsed = 0;
    this.bulkBatchesUsed = 0;
    this.bulkRecordsUsed = 0;
    this.seedUser();
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
