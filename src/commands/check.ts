/**
 * `check`: validates the config, signs in, describes `table_name` (or lists sObjects) and the objects
 * of stream_settings entries (the action allowed, the upsert key an External ID), and probes the
 * rejected-records bucket. A stream_settings entry with a mirror_scope is checked as a mirror (upsert on an
 * External ID, deletes allowed, the scope valid SOQL for the object). Prints exactly one CONNECTION_STATUS, FAILED with an actionable message.
 */
import { loadConfig } from '../config/load-config';
import type { DestinationConfig } from '../config/destination-config';
import { ConnectorError, asConnectorError } from '../errors';
import type { Emitter } from '../protocol/emitter';
import { probeBucket as realProbeBucket } from '../rejects/s3-probe';
import { connect as realConnect } from '../salesforce/connect';
import { RestDescriber } from '../salesforce/describer';
import type { ConfiguredStream } from '../protocol/types';
import { BulkQueryClient } from '../salesforce/bulk-query-client';
import type { SalesforceApi } from '../salesforce/salesforce-api';
import type { SObjectDescribe } from '../salesforce/types';
import { mirrorPlan } from '../write/mirror/mirror-plan';
import { checkOperationAllowed, resolveUpsertKey, targetOperation } from '../write/plan/stream-plan';

export interface CheckCommandOptions {
  configPath: string;
  emitter: Emitter;
  connect?: typeof realConnect;
  probeBucket?: typeof realProbeBucket;
}

export async function checkCommand(opts: CheckCommandOptions): Promise<void> {
  const { emitter } = opts;
  try {
    const config = loadConfig(opts.configPath, emitter);
    await checkConnection(config, opts);
    emitter.connectionStatus('SUCCEEDED');
  } catch (err) {
    const e = asConnectorError(err);
    if (!(err instanceof ConnectorError) && e.internalMessage) emitter.log('ERROR', e.internalMessage);
    emitter.connectionStatus('FAILED', e.message);
  }
}

async function checkConnection(config: DestinationConfig, opts: CheckCommandOptions): Promise<void> {
  const api = await (opts.connect ?? realConnect)(config, opts.emitter);
  const describer = new RestDescriber(api);
  if (config.tableName) {
    // The same checks (and messages) as write's stream plan: a stream in append mode writes with the configured action.
    await checkTarget(config, describer, { name: config.tableName, json_schema: {} }, config.tableName, 'table_name');
  } else {
    const sobjects = await describer.listSObjects();
    opts.emitter.info(`The Salesforce user sees ${sobjects.length} objects.`);
  }
  // Each stream_settings entry with its own object or action, as a stream in append mode would use it.
  for (const [i, entry] of config.streamSettings.entries()) {
    if (!entry.object && !entry.action && !entry.externalIdName && !entry.mirrorScope) continue;
    const stream = { name: entry.stream, ...(entry.namespace ? { namespace: entry.namespace } : {}), json_schema: {} };
    const object = entry.object ?? config.tableName ?? entry.stream;
    const setting = entry.object ? `stream_settings[${i}].object` : `the stream name of stream_settings[${i}]`;
    if (entry.mirrorScope) await checkMirror(config, api, describer, stream, object, setting, entry.mirrorScope);
    else await checkTarget(config, describer, stream, object, setting);
  }
  if (config.storage.storageType === 'S3') await (opts.probeBucket ?? realProbeBucket)(config.storage);
}

async function checkTarget(
  config: DestinationConfig,
  describer: RestDescriber,
  stream: ConfiguredStream['stream'],
  object: string,
  setting: string,
): Promise<void> {
  const described = await describeTarget(describer, object, setting);
  const { operation, key } = targetOperation(config, { stream });
  checkOperationAllowed(described, operation);
  if (operation === 'upsert') resolveUpsertKey(described, key ?? config.externalIdName, config.columnMapping[stream.name] ?? {});
}

/**
 * A mirror entry, checked as an Overwrite stream would be in a sync: an upsert on an External ID,
 * deletes allowed, and the scope valid SOQL for the object (Salesforce runs it, LIMIT 1).
 */
async function checkMirror(
  config: DestinationConfig,
  api: SalesforceApi,
  describer: RestDescriber,
  stream: ConfiguredStream['stream'],
  object: string,
  setting: string,
  scope: string,
): Promise<void> {
  const described = await describeTarget(describer, object, setting);
  const cs: ConfiguredStream = { stream, destination_sync_mode: 'overwrite' };
  const { operation, key } = targetOperation(config, cs);
  checkOperationAllowed(described, operation);
  const keyName = resolveUpsertKey(described, key ?? config.externalIdName, config.columnMapping[stream.name] ?? {});
  const mirror = mirrorPlan(config, cs, scope, described, keyName);
  checkOperationAllowed(described, mirror.operation);
  const query = new BulkQueryClient(api, { sleep: async () => undefined, now: () => Date.now(), deadlineMs: 0 });
  await query.checkSoql(`SELECT Id FROM ${described.name} WHERE (${scope}) LIMIT 1`, `The mirror_scope of stream_settings entry "${stream.name}" (${scope})`);
}

/** Resolves the object `setting` names in the sObject list (any letter case) and describes it. */
async function describeTarget(describer: RestDescriber, tableName: string, setting: string): Promise<SObjectDescribe> {
  const name = await describer.resolveName(tableName);
  const described = name ? await describer.describe(name) : undefined;
  if (described) return described;
  throw new ConnectorError(
    `Salesforce object '${tableName}' (${setting}) does not exist or the user cannot see it: use the object's API name ` +
      '(e.g. Account, Invoice__c) and check the user has access to it.',
    'config_error',
  );
}
