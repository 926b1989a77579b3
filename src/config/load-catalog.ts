/** Reads and validates the configured catalog (`write --catalog FILE`). A bad file is a config_error. */
import * as fs from 'node:fs';
import { configError } from '../errors';
import type { ConfiguredCatalog, ConfiguredStream } from '../protocol/types';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const SYNC_MODES = ['append', 'overwrite', 'append_dedup', 'update', 'soft_delete'];

function isKeyList(v: unknown): v is string[][] {
  return Array.isArray(v) && v.every((k) => Array.isArray(k) && k.every((p) => typeof p === 'string'));
}

/** Validates a parsed catalog; exported for unit tests. */
export function parseCatalog(value: unknown): ConfiguredCatalog {
  const bad = (what: string) => configError(`The configured catalog is invalid: ${what}.`);
  if (!isObject(value) || !Array.isArray(value.streams)) throw bad('it needs a "streams" array');
  const seen = new Set<string>();
  value.streams.forEach((s: unknown, i: number) => {
    if (!isObject(s) || !isObject(s.stream)) throw bad(`streams[${i}] has no "stream" object`);
    const { name, json_schema: schema, namespace } = s.stream;
    if (typeof name !== 'string' || name === '') throw bad(`streams[${i}].stream has no "name"`);
    if (!isObject(schema)) throw bad(`stream "${name}" has no "json_schema" object`);
    if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') throw bad(`stream "${name}" has a non-string namespace`);
    const mode = s.destination_sync_mode;
    if (mode !== undefined && mode !== null && !SYNC_MODES.includes(mode as string)) {
      throw bad(`stream "${name}" has an unknown destination_sync_mode`);
    }
    if (s.primary_key !== undefined && s.primary_key !== null && !isKeyList(s.primary_key)) {
      throw bad(`stream "${name}" has a primary_key that is not a list of field paths`);
    }
    if (s.destination_object_name !== undefined && s.destination_object_name !== null && typeof s.destination_object_name !== 'string') {
      throw bad(`stream "${name}" has a non-string destination_object_name`);
    }
    const key = namespace ? `${namespace}.${name}` : name;
    if (seen.has(key)) throw bad(`stream "${key}" is listed twice`);
    seen.add(key);
  });
  return { streams: value.streams as ConfiguredStream[] };
}

export function loadCatalog(file: string): ConfiguredCatalog {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw configError(`Cannot read the configured catalog file ${file}.`, (err as Error).message);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw configError(`The configured catalog file ${file} is not valid JSON.`);
  }
  return parseCatalog(parsed);
}
