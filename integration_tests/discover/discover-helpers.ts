/** Shared by the discover CLI tests: run `discover` against a fake org and pick operations apart. */
import { type CliResult, ofType, runCli, writeTempJson } from '../helpers/cli';
import type { DestinationOperation } from '../../src/protocol/types';

export async function discover(config: Record<string, unknown>, env?: Record<string, string>): Promise<CliResult & { operations: DestinationOperation[] }> {
  const r = await runCli(['discover', '--config', writeTempJson(config, 'config.json')], env ? { env } : {});
  const catalogs = ofType(r, 'DESTINATION_CATALOG');
  const operations = (catalogs[0]?.destination_catalog?.operations ?? []) as DestinationOperation[];
  return { ...r, operations };
}

export const modes = (ops: DestinationOperation[], object: string): Array<[string, string[][] | undefined]> =>
  ops.filter((o) => o.object_name === object).map((o) => [o.sync_mode, o.matching_keys]);

export const objectsOf = (ops: DestinationOperation[]): string[] => [...new Set(ops.map((o) => o.object_name))];

export function operation(ops: DestinationOperation[], object: string, mode: string, key?: string): DestinationOperation {
  const found = ops.find((o) => o.object_name === object && o.sync_mode === mode && (!key || o.matching_keys?.[0]?.[0] === key));
  if (!found) throw new Error(`no ${mode}${key ? ` on ${key}` : ''} operation for ${object} in ${JSON.stringify(ops.map((o) => [o.object_name, o.sync_mode]))}`);
  return found;
}

export const properties = (o: DestinationOperation): Record<string, Record<string, unknown>> =>
  (o.json_schema.properties ?? {}) as Record<string, Record<string, unknown>>;

export const warnings = (r: CliResult): string[] =>
  ofType(r, 'LOG').filter((m) => m.log.level === 'WARN').map((m) => String(m.log.message));
