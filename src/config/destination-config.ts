/**
 * The connector's configuration after validation against spec.json and normalisation
 * (defaults applied, auth_type inferred, domain resolved to a login URL).
 * Raw keys are those of spec.json, which accepts Mage's and Airbyte's Salesforce configs unchanged.
 */

export type AuthType = 'oauth2_refresh_token' | 'username_password' | 'client_credentials' | 'jwt_bearer';
export type Action = 'insert' | 'update' | 'upsert' | 'delete' | 'hard_delete';

export interface S3StorageConfig {
  storageType: 'S3';
  accessKeyId?: string;
  secretAccessKey?: string;
  bucketName: string;
  region: string;
  bucketPath: string;
  /** S3-compatible endpoint (path-style addressing), e.g. http://127.0.0.1:4568 */
  endpoint?: string;
  format: 'jsonl' | 'csv';
}

export type StorageConfig = { storageType: 'None' } | S3StorageConfig;

export interface AuthConfig {
  type: AuthType;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  username?: string;
  password?: string;
  securityToken?: string;
  privateKey?: string;
}

export type ApiMode = 'auto' | 'bulk' | 'rest';

export interface DestinationConfig {
  auth: AuthConfig;
  /** Where tokens are requested, e.g. https://login.salesforce.com or http://127.0.0.1:PORT */
  loginUrl: string;
  /** True when loginUrl is a My Domain / custom host (not login. or test.salesforce.com). */
  isMyDomain: boolean;
  apiVersion: string;
  action: Action;
  externalIdName: string;
  allowFailures: boolean;
  tableName?: string;
  /** Per-stream object / action / upsert key (stream-settings.ts); [] when not configured. */
  streamSettings: StreamSetting[];
  columnMapping: Record<string, Record<string, string>>;
  assignmentRuleId?: string;
  bulkJobMaxMb: number;
  /** Most rows per ingest job (a chunk is cut at whichever of bytes / rows comes first). */
  bulkJobMaxRows: number;
  maxStateDelaySeconds: number;
  /** Ingest jobs uploading or processing at once, per object and in total. */
  maxJobsInFlight: number;
  /** A mirror deletes nothing when more than this share (%) of its in-scope records would go. */
  mirrorMaxDeletePercent: number;
  /** After a cancel (SIGTERM/SIGINT), how long jobs Salesforce already accepted are waited for. */
  cancelGraceSeconds: number;
  /** The API budget guard stops new calls once a daily allowance is this much used (1–100). */
  maxApiUsagePercent: number;
  /** How chunks reach Salesforce: by size (auto), always Bulk API 2.0, always sObject Collections. */
  apiMode: ApiMode;
  /** In `auto`, a chunk of fewer rows than this goes through sObject Collections. */
  restMaxRows: number;
  /** Map and check every row, write nothing (write/dry-run/). */
  dryRun: boolean;
  discoverObjects?: string[];
  storage: StorageConfig;
  /**
   * The config as given (null keys stripped), to hand back to Airbyte in a CONTROL message when
   * Salesforce rotates the refresh token.
   */
  raw: Record<string, unknown>;
  /** Every airbyte_secret value of the raw config, for redaction. */
  secrets: string[];
}

/** One `stream_settings` entry (parsed by stream-settings.ts). */
export interface StreamSetting {
  stream: string;
  namespace?: string;
  /** Salesforce object (instead of table_name / destination_object_name / the stream name). */
  object?: string;
  /** Operation for this stream (instead of `action`); must agree with a non-Append sync mode. */
  action?: Action;
  /** Upsert key for this stream (instead of the primary key / `external_id_name`). */
  externalIdName?: string;
  /** SOQL WHERE condition: the records an overwrite (mirror) stream owns (src/write/mirror/). */
  mirrorScope?: string;
  /** How a mirror removes records the source no longer sends: recycle bin (default) or hard delete. */
  mirrorDelete?: 'delete' | 'hard_delete';
}
