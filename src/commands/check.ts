/**
 * `check`: validates the config, signs in, describes `table_name` (or lists sObjects) and probes the
 * rejected-records bucket. Prints exactly one CONNECTION_STATUS, FAILED with an actionable message.
 */
import { loadConfig } from '../config/load-config';
import type { DestinationConfig } from '../config/destination-config';
import { ConnectorError, asConnectorError } from '../errors';
import type { Emitter } from '../protocol/emitter';
import { probeBucket as realProbeBucket } from '../rejects/s3-probe';
import { connect as realConnect } from '../salesforce/connect';
import { RestDescriber } from '../salesforce/describer';
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
    const described = await describeTarget(describer, config.tableName);
    // The same checks (and messages) as write's stream plan: a stream in append mode writes with the configured action.
    const { operation, key } = targetOperation(config, { stream: { name: config.tableName, json_schema: {} } });
    checkOperationAllowed(described, operation);
    if (operation === 'upsert') resolveUpsertKey(described, key ?? config.externalIdName, {});
  } else {
    const sobjects = await describer.listSObjects();
    opts.emitter.info(`The Salesforce user sees ${sobjects.length} objects.`);
  }
  if (config.storage.storageType === 'S3') await (opts.probeBucket ?? realProbeBucket)(config.storage);
}

/** Resolves `table_name` in the sObject list (any letter case) and describes it. */
async function describeTarget(describer: RestDescriber, tableName: string): Promise<SObjectDescribe> {
  const name = await describer.resolveName(tableName);
  const described = name ? await describer.describe(name) : undefined;
  if (described) return described;
  throw new ConnectorError(
    `Salesforce object '${tableName}' (table_name) does not exist or the user cannot see it: use the object's API name ` +
      '(e.g. Account, Invoice__c) and check the user has access to it.',
    'config_error',
  );
}
