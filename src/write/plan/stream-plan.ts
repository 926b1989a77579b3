/**
 * Per configured stream: the Salesforce object, the Bulk operation, the upsert key and the column
 * mapping, validated against describe BEFORE any job is created (a config_error names the object
 * and what is wrong).
 */
import type { Action, DestinationConfig } from '../../config/destination-config';
import { settingFor } from '../../config/stream-settings';
import { configError } from '../../errors';
import { streamKey, type ConfiguredStream, type StreamDescriptor } from '../../protocol/types';
import { resolveObjectName } from '../../salesforce/describer';
import type { BulkOperation, Describer, SObjectDescribe, SObjectSummary } from '../../salesforce/types';
import { keyColumn, keyKindOf, type KeyKind } from '../chunk/record-key';
import { mirrorPlan, mirrorScopeOf, type MirrorPlan } from '../mirror/mirror-plan';

export interface StreamPlan {
  stream: StreamDescriptor;
  /** streamKey(stream) */
  key: string;
  /** Object API name as describe spells it. */
  object: string;
  operation: BulkOperation;
  /** Upsert key as describe spells it. */
  externalIdFieldName?: string;
  describe: SObjectDescribe;
  /** Source field → Salesforce field (from config column_mapping). */
  columnMapping: Record<string, string>;
  /** The column naming the record each row writes (keyed operations) and how its values compare. */
  recordKey?: { column: string; kind: KeyKind };
  /** Set when the stream mirrors a scope of the object (src/write/mirror/). */
  mirror?: MirrorPlan;
}

const ACTION_TO_OPERATION: Record<DestinationConfig['action'], BulkOperation> = {
  insert: 'insert',
  update: 'update',
  upsert: 'upsert',
  delete: 'delete',
  hard_delete: 'hardDelete',
};

/** The object name a stream writes to, before matching it to describe: its stream_settings entry first. */
export function targetObjectName(config: DestinationConfig, cs: ConfiguredStream): string {
  const entry = settingFor(config.streamSettings, cs.stream);
  if (entry?.object) return entry.object;
  if (config.tableName) return config.tableName;
  if (cs.destination_object_name) return cs.destination_object_name;
  return cs.stream.name;
}

/** What a sync mode other than append implies (the action a stream_settings entry must agree with). */
const MODE_ACTION: Partial<Record<string, Action>> = { update: 'update', soft_delete: 'delete', append_dedup: 'upsert', overwrite: 'upsert' };
const MODE_TITLE: Record<string, string> = { update: 'Update', soft_delete: 'Soft delete', append_dedup: 'Append + Deduped', overwrite: 'Overwrite' };

/**
 * The operation and (for upsert) the requested key, before matching it to describe. The sync mode
 * decides, except Append (or none), where the stream's stream_settings action, else `action`, does;
 * an entry's action that contradicts the sync mode is refused. Upsert key: the entry's
 * external_id_name, else (Append + Deduped) the primary key, else `external_id_name`.
 */
export function targetOperation(config: DestinationConfig, cs: ConfiguredStream): { operation: BulkOperation; key?: string } {
  const entry = settingFor(config.streamSettings, cs.stream);
  const mode = cs.destination_sync_mode ?? 'append';
  const implied = MODE_ACTION[mode];
  if (entry?.action && implied && entry.action !== implied) {
    throw configError(
      `Stream "${streamKey(cs.stream)}": its stream_settings action "${entry.action}" conflicts with its sync mode ${MODE_TITLE[mode] ?? mode}, ` +
        `which writes with "${implied}". Either set the stream's sync mode to Append in the connection, or set its stream_settings action to "${implied}" (or remove it).`,
    );
  }
  const fallbackKey = entry?.externalIdName ?? config.externalIdName;
  switch (mode) {
    case 'update':
      return { operation: 'update' };
    case 'soft_delete':
      return { operation: 'delete' };
    case 'overwrite':
      // A mirror (mirror-plan.ts): refused without an explicit scope; upserts on its key.
      mirrorScopeOf(config, cs);
      return { operation: 'upsert', key: entry?.externalIdName ?? cs.primary_key?.[0]?.[0] ?? fallbackKey };
    case 'append_dedup': {
      if (entry?.externalIdName) return { operation: 'upsert', key: entry.externalIdName };
      if ((cs.primary_key?.length ?? 0) > 1) {
        const names = (cs.primary_key ?? []).map((p) => p.join('.')).join(', ');
        throw configError(
          `Stream "${cs.stream.name}": a composite primary key (${names}) cannot be an upsert key — Salesforce upserts on one External ID field. ` +
            `Add a single External ID field that combines them (e.g. a formula-free text field filled by the source) and make it the primary key.`,
        );
      }
      const pk = cs.primary_key?.[0];
      if (pk && pk.length > 1) {
        throw configError(
          `Stream "${cs.stream.name}": nested primary keys are not supported as upsert keys (got ${pk.join('.')}); choose one top-level External ID field.`,
        );
      }
      return { operation: 'upsert', key: pk?.[0] ?? fallbackKey };
    }
    default: {
      const operation = ACTION_TO_OPERATION[entry?.action ?? config.action];
      return operation === 'upsert' ? { operation, key: fallbackKey } : { operation };
    }
  }
}

function columnMappingFor(config: DestinationConfig, d: StreamDescriptor): Record<string, string> {
  const own = (key: string) => (Object.hasOwn(config.columnMapping, key) ? config.columnMapping[key] : undefined);
  return own(streamKey(d)) ?? own(d.name) ?? {};
}

export function checkOperationAllowed(object: SObjectDescribe, operation: BulkOperation): void {
  const need: Record<BulkOperation, Array<keyof SObjectSummary>> = {
    insert: ['createable'],
    update: ['updateable'],
    upsert: ['createable', 'updateable'],
    delete: ['deletable'],
    hardDelete: ['deletable'],
  };
  const missing = need[operation].filter((flag) => object[flag] !== true);
  if (missing.length) {
    throw configError(
      `Salesforce object ${object.name} does not allow ${operation}: it is not ${missing.join(' or ')} for this user. ` +
        `Choose another object or action, or grant the permission in Salesforce.`,
    );
  }
}

export function resolveUpsertKey(object: SObjectDescribe, requested: string, mapping: Record<string, string>): string {
  const name = Object.hasOwn(mapping, requested) ? (mapping[requested] as string) : requested;
  const field = object.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
  if (!field) {
    throw configError(`The upsert key ${name} is not a field of Salesforce object ${object.name}.`);
  }
  if (!field.externalId && !field.idLookup) {
    throw configError(
      `The upsert key ${field.name} of Salesforce object ${object.name} is neither an External ID nor an idLookup field; ` +
        `mark it as External ID in Salesforce or choose another key.`,
    );
  }
  return field.name;
}

/** Builds and validates the plan of every configured stream; describes each object once. */
export async function planStreams(
  config: DestinationConfig,
  streams: ConfiguredStream[],
  describer: Describer,
): Promise<StreamPlan[]> {
  // The describer caches the sObject list and every describe, so an object several streams write is fetched once.
  const describeObject = async (requested: string): Promise<SObjectDescribe> => {
    const name = resolveObjectName(await describer.listSObjects(), requested);
    const describe = name ? await describer.describe(name) : undefined;
    if (!describe) throw configError(`Salesforce object ${requested} does not exist or is not visible to this user.`);
    return describe;
  };

  const plans: StreamPlan[] = [];
  for (const cs of streams) {
    const stream: StreamDescriptor = { name: cs.stream.name, ...(cs.stream.namespace ? { namespace: cs.stream.namespace } : {}) };
    const { operation, key } = targetOperation(config, cs);
    const describe = await describeObject(targetObjectName(config, cs));
    checkOperationAllowed(describe, operation);
    const columnMapping = columnMappingFor(config, stream);
    const plan: StreamPlan = { stream, key: streamKey(stream), object: describe.name, operation, describe, columnMapping };
    if (operation === 'upsert') plan.externalIdFieldName = resolveUpsertKey(describe, key ?? 'Id', columnMapping);
    const column = keyColumn(operation, plan.externalIdFieldName);
    if (column) {
      const field = describe.fields.find((f) => f.name === column);
      if (!field) throw configError(`Salesforce object ${describe.name} has no ${column} field visible to this user, which a ${operation} needs.`);
      plan.recordKey = { column, kind: keyKindOf(column, field.type, field.caseSensitive === true) };
    }
    const scope = mirrorScopeOf(config, cs);
    if (scope !== undefined) {
      if (operation !== 'upsert') {
        throw configError(`Stream "${plan.key}" mirrors ${describe.name} records (mirror_scope), so it must upsert on an External ID: set its stream_settings action to "upsert".`);
      }
      plan.mirror = mirrorPlan(config, cs, scope, describe, plan.externalIdFieldName);
      checkOperationAllowed(describe, plan.mirror.operation);
    }
    plans.push(plan);
  }
  return plans;
}
