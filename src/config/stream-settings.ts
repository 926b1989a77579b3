/**
 * `stream_settings`: per-stream overrides of `table_name`, `action` and `external_id_name`.
 *
 * An entry names a stream (and optionally its namespace; without one it matches the stream of that
 * name in any namespace). What it sets wins over the connection-wide keys; what it leaves out falls
 * back to them, so configs without stream_settings behave as before. `mirror_scope` / `mirror_delete`
 * make an overwrite stream a mirror (src/write/mirror/). Add a field here and read it through `settingFor`.
 */
import { configError } from '../errors';
import { streamKey, type ConfiguredStream, type StreamDescriptor } from '../protocol/types';
import type { Action, StreamSetting } from './destination-config';

export type { StreamSetting };


/** The raw `stream_settings` array (already validated against spec.json) as StreamSetting entries. */
export function parseStreamSettings(value: unknown): StreamSetting[] {
  if (!Array.isArray(value)) return [];
  return value.map((raw: Record<string, unknown>) => {
    const entry: StreamSetting = { stream: String(raw.stream).trim() };
    const text = (key: string): string | undefined => {
      const v = raw[key];
      return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
    };
    const namespace = text('namespace');
    const object = text('object');
    const action = text('action');
    const externalIdName = text('external_id_name');
    const mirrorScope = text('mirror_scope');
    const mirrorDelete = text('mirror_delete');
    if (namespace) entry.namespace = namespace;
    if (object) entry.object = object;
    if (action) entry.action = action as Action;
    if (externalIdName) entry.externalIdName = externalIdName;
    if (mirrorScope) entry.mirrorScope = mirrorScope;
    if (mirrorDelete) entry.mirrorDelete = mirrorDelete as 'delete' | 'hard_delete';
    return entry;
  });
}

/** The entry for a stream, if any. */
export function settingFor(settings: readonly StreamSetting[], stream: StreamDescriptor): StreamSetting | undefined {
  return settings.find((s) => matches(s, stream));
}

/**
 * Refuses entries that name no configured stream, and two entries for one stream, before any
 * Salesforce call (a typo must not make a stream silently fall back to the connection-wide keys).
 */
export function checkStreamSettings(settings: readonly StreamSetting[], streams: readonly ConfiguredStream[]): void {
  const descriptors = streams.map((cs) => cs.stream);
  settings.forEach((s, i) => {
    const hits = descriptors.filter((d) => matches(s, d));
    if (hits.length === 0) {
      const names = descriptors.map((d) => streamKey(d)).join(', ') || 'none';
      throw configError(
        `stream_settings[${i}] names stream "${streamKey({ name: s.stream, namespace: s.namespace ?? null })}", which is not in this connection's catalog (streams: ${names}). ` +
          'Fix the stream name (and namespace) or remove the entry.',
      );
    }
    const other = settings.findIndex((t, j) => j !== i && hits.some((d) => matches(t, d)));
    if (other >= 0) {
      throw configError(
        `stream_settings[${Math.min(i, other)}] and stream_settings[${Math.max(i, other)}] both apply to stream "${streamKey(hits[0] as StreamDescriptor)}". Keep one entry per stream.`,
      );
    }
  });
}

function matches(s: StreamSetting, d: { name: string; namespace?: string | null }): boolean {
  return s.stream === d.name && (s.namespace === undefined || s.namespace === (d.namespace ?? undefined));
}
