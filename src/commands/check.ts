/**
 * `check`: validates the config, signs in, describes `table_name` (or lists sObjects) and the objects
 * of stream_settings entries (the action allowed, the upsert key an External ID), and probes the
 * rejected-records bucket. Prints exactly one CONNECTION_STATUS, FAILED with an actionable message.
 */
import { loadConfig } from '../config/load-config';
import type { DestinationConfig } from '../config/destination-config';
import { ConnectorError, asConnectorError } from '../errors';
import type { Emitter } from '../protocol/emitter';
import { probeBucket as realProbeBucket } from '../rejects/s3-probe';
import { connect as realConnect } from '../salesforce/connect';
import { RestDescriber } from '../salesforce/describer';
import type { ConfiguredStream } from '../protocol/types';
import type { SObjectDescribe } from '../salesforce/types';
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
    if (!entry.object && !entry.action && !entry.externalIdName) continue;
    const stream = { name: entry.stream, ...(entry.namespace ? { namespace: entry.namespace } : {}), json_schema: {} };
    const object = entry.object ?? config.tableName ?? entry.stream;
    await checkTarget(config, describer, stream, object, entry.object ? `stream_settings[${i}].object` : `the stream name of stream_settings[${i}]`);
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
