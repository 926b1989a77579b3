/**
 * Turns a validated raw config into the DestinationConfig the rest of the connector reads:
 * defaults applied, domain resolved, auth flow decided, storage options renamed.
 */
import { configError } from '../errors';
import { resolveLoginTarget } from '../salesforce/login-url';
import { resolveAuth } from './auth-config';
import { collectSecrets } from './config-secrets';
import type { Action, DestinationConfig, StorageConfig } from './destination-config';
import { checkSafeUrl } from './safe-url';
import { parseStreamSettings } from './stream-settings';
import type { RawConfig } from './validate-config';

export function normalizeConfig(raw: RawConfig): DestinationConfig {
  const apiVersion = str(raw.api_version) ?? '62.0';
  const { loginUrl, isMyDomain } = resolveLoginTarget(str(raw.domain), raw.is_sandbox === true);
  const config: DestinationConfig = {
    raw: { ...raw },
    auth: resolveAuth(raw, { apiVersion, isMyDomain, loginUrl }),
    loginUrl,
    isMyDomain,
    apiVersion,
    action: (str(raw.action) ?? 'insert') as Action,
    externalIdName: str(raw.external_id_name) ?? 'Id',
    allowFailures: raw.allow_failures === true,
    streamSettings: parseStreamSettings(raw.stream_settings),
    columnMapping: columnMapping(raw.column_mapping),
    bulkJobMaxMb: typeof raw.bulk_job_max_mb === 'number' ? raw.bulk_job_max_mb : 100,
    bulkJobMaxRows: typeof raw.bulk_job_max_rows === 'number' ? raw.bulk_job_max_rows : 100_000,
    maxStateDelaySeconds: typeof raw.max_state_delay_seconds === 'number' ? raw.max_state_delay_seconds : 600,
    maxJobsInFlight: typeof raw.max_jobs_in_flight === 'number' ? raw.max_jobs_in_flight : 4,
    mirrorMaxDeletePercent: typeof raw.mirror_max_delete_percent === 'number' ? raw.mirror_max_delete_percent : 10,
    cancelGraceSeconds: typeof raw.cancel_grace_seconds === 'number' ? raw.cancel_grace_seconds : 20,
    maxApiUsagePercent: typeof raw.max_api_usage_percent === 'number' ? raw.max_api_usage_percent : 90,
    apiMode: raw.api_mode === 'bulk' || raw.api_mode === 'rest' ? raw.api_mode : 'auto',
    restMaxRows: typeof raw.rest_max_rows === 'number' ? raw.rest_max_rows : 2000,
    dryRun: raw.dry_run === true,
    storage: storage(raw.object_storage_config),
    secrets: collectSecrets(raw),
  };
  const tableName = str(raw.table_name)?.trim();
  if (tableName) config.tableName = tableName;
  const ruleId = str(raw.assignment_rule_id)?.trim();
  if (ruleId) config.assignmentRuleId = ruleId;
  if (Array.isArray(raw.discover_objects)) {
    const names = (raw.discover_objects as string[]).map((n) => n.trim()).filter((n) => n !== '');
    if (names.length) config.discoverObjects = names;
  }
  return config;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function storage(value: unknown): StorageConfig {
  if (value === undefined) return { storageType: 'None' };
  const s = value as Record<string, unknown>;
  if (s.storage_type !== 'S3') return { storageType: 'None' };
  const out: StorageConfig = {
    storageType: 'S3',
    bucketName: String(s.s3_bucket_name),
    region: str(s.s3_bucket_region) ?? 'us-east-1',
    bucketPath: str(s.bucket_path) ?? '',
    format: s.format === 'csv' ? 'csv' : 'jsonl',
  };
  const keyId = str(s.access_key_id);
  const secret = str(s.secret_access_key);
  if (keyId) out.accessKeyId = keyId;
  if (secret) out.secretAccessKey = secret;
  const endpoint = str(s.s3_endpoint)?.trim();
  if (endpoint) out.endpoint = s3Endpoint(endpoint);
  return out;
}

/** Rejected rows hold personal data: https only (http for loopback), and no credentials in the URL. */
function s3Endpoint(text: string): string {
  const checked = checkSafeUrl(text);
  if ('url' in checked) return checked.url.href.replace(/\/+$/, '');
  const why: Record<string, string> = {
    not_a_url: 'must be a URL such as https://s3.example.com',
    scheme: 'must be an https:// URL',
    plain_http: 'must use https:// (plain http:// is only accepted for loopback hosts such as 127.0.0.1)',
    credentials: "must not contain a user name or password (use 'access_key_id' and 'secret_access_key')",
  };
  throw configError(`Config validation error: 'object_storage_config.s3_endpoint' ${why[checked.problem]}.`);
}

/** column_mapping: {"<stream>": {"<source field>": "<Salesforce field>"}}, as an object or a JSON string of one. */
function columnMapping(value: unknown): Record<string, Record<string, string>> {
  if (value === undefined || value === '') return {};
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw mappingError();
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw mappingError();
  const out: Record<string, Record<string, string>> = {};
  for (const [stream, fields] of Object.entries(parsed as Record<string, unknown>)) {
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw mappingError(stream);
    const map: Record<string, string> = {};
    for (const [source, target] of Object.entries(fields as Record<string, unknown>)) {
      if (typeof target !== 'string' || target.trim() === '') throw mappingError(`${stream}.${source}`);
      map[source] = target.trim();
    }
    out[stream] = map;
  }
  return out;
}

function mappingError(at?: string) {
  const where = at ? `'column_mapping.${at}'` : "'column_mapping'";
  return configError(
    `Config validation error: ${where} must follow {"<stream>": {"<source field>": "<Salesforce field>"}} (field names as strings).`,
  );
}
