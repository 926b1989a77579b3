/**
 * `check`: validates the config, signs in, describes `table_name` (or lists sObjects) and probes the
 * rejected-records bucket. Prints exactly one CONNECTION_STATUS, FAILED with an actionable message.
 */
import { loadConfig } from '../config/load-config';
import type { Action, DestinationConfig } from '../config/destination-config';
import { ConnectorError, asConnectorError } from '../errors';
import type { Emitter } from '../protocol/emitter';
import { probeBucket as realProbeBucket } from '../rejects/s3-probe';
import { connect as realConnect } from '../salesforce/connect';
import { RestDescriber } from '../salesforce/describer';
import type { SObjectDescribe } from '../salesforce/types';

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
    checkObjectAllows(described, config);
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

const NEEDED: Record<Action, Array<'createable' | 'updateable' | 'deletable'>> = {
  insert: ['createable'],
  update: ['updateable'],
  upsert: ['createable', 'updateable'],
  delete: ['deletable'],
  hard_delete: ['deletable'],
};

function checkObjectAllows(obj: SObjectDescribe, config: DestinationConfig): void {
  const missing = NEEDED[config.action].filter((flag) => obj[flag] !== true);
  if (missing.length) {
    throw new ConnectorError(
      `The Salesforce user may not ${config.action.replace('_', ' ')} ${obj.name} records (${missing.map((m) => `${m}=false`).join(', ')}): ` +
        `grant the object permission, or change 'action'.`,
      'config_error',
    );
  }
  if (config.action === 'upsert') {
    const key = obj.fields.find((f) => f.name.toLowerCase() === config.externalIdName.toLowerCase());
    if (!key || !(key.externalId || key.idLookup)) {
      throw new ConnectorError(
        `'external_id_name' ${config.externalIdName} is not an External ID (or Id lookup) field of ${obj.name}: upsert needs one.`,
        'config_error',
      );
    }
  }
}
