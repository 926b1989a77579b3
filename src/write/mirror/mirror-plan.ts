/**
 * Which streams are mirrors, and their settings (pure; issue 16).
 *
 * A stream is a mirror when its sync mode is Overwrite, or when Airbyte asks to remove earlier
 * generations (`minimum_generation_id` == `generation_id` > 0), AND its stream_settings entry has a
 * `mirror_scope`. Its rows are upserted on an External ID; once the stream is complete and settled,
 * the in-scope records whose key the source did not send are deleted (mirror-step.ts).
 * Overwrite without a scope is refused: deleting records must be asked for explicitly.
 */
import type { DestinationConfig } from '../../config/destination-config';
import { settingFor } from '../../config/stream-settings';
import { configError } from '../../errors';
import { streamKey, type ConfiguredStream } from '../../protocol/types';
import type { FieldDescribe, SObjectDescribe } from '../../salesforce/types';

export interface MirrorPlan {
  /** SOQL WHERE condition, as configured. */
  scope: string;
  operation: 'delete' | 'hardDelete';
  /** The External ID field the rows are upserted on (describe's spelling and flags). */
  keyField: FieldDescribe;
}

/** True when Airbyte asks this sync to replace the stream's earlier data (refresh / truncate). */
function replacesEarlierGenerations(cs: ConfiguredStream): boolean {
  const { generation_id: gen, minimum_generation_id: min } = cs;
  return typeof gen === 'number' && gen > 0 && min === gen;
}

/** The configured scope when the stream is a mirror; throws for Overwrite without a scope. */
export function mirrorScopeOf(config: DestinationConfig, cs: ConfiguredStream): string | undefined {
  const scope = settingFor(config.streamSettings, cs.stream)?.mirrorScope;
  if (cs.destination_sync_mode === 'overwrite') {
    if (!scope) throw overwriteRefused(cs);
    return scope;
  }
  return scope && replacesEarlierGenerations(cs) ? scope : undefined;
}

function overwriteRefused(cs: ConfiguredStream): Error {
  const name = streamKey(cs.stream);
  return configError(
    `Stream "${name}": the Overwrite sync mode needs a mirror scope, or it would have to delete every existing record of the object. ` +
      `To mirror the source, add a stream_settings entry {"stream": "${cs.stream.name}", "mirror_scope": "<SOQL condition, e.g. Source_System__c = 'warehouse'>"} ` +
      '(records matching it whose External ID the source did not send are deleted after a successful sync; see mirror_max_delete_percent). ' +
      'Otherwise use Append, Append + Deduped (upsert), Update or Soft delete.',
  );
}

/** Checks the key of a mirror stream (a real External ID field) and builds its plan. */
export function mirrorPlan(config: DestinationConfig, cs: ConfiguredStream, scope: string, object: SObjectDescribe, keyName: string | undefined): MirrorPlan {
  const keyField = object.fields.find((f) => f.name.toLowerCase() === (keyName ?? '').toLowerCase());
  if (!keyField || !keyField.externalId) {
    throw configError(
      `Stream "${streamKey(cs.stream)}" mirrors ${object.name} records, which needs an External ID field as its key to tell which records the source still has ` +
        `(got ${keyName ?? 'none'}). Set external_id_name in its stream_settings entry to an External ID field of ${object.name}` +
        `${externalIds(object)}.`,
    );
  }
  const entry = settingFor(config.streamSettings, cs.stream);
  return { scope, operation: entry?.mirrorDelete === 'hard_delete' ? 'hardDelete' : 'delete', keyField };
}

function externalIds(object: SObjectDescribe): string {
  const names = object.fields.filter((f) => f.externalId).map((f) => f.name);
  return names.length ? ` (${names.join(', ')})` : ' (it has none: create one in Salesforce)';
}
