/**
 * The record as the rejects store gets it: unchanged, unless a value is nested too deep to be
 * serialised (JSON.stringify recurses and would overflow the stack) — such a value is replaced by a
 * note, so one bad record can neither crash the sync nor be lost from the count.
 */
import type { AirbyteRecord } from '../../protocol/types';
import { MAX_VALUE_DEPTH, nestedDeeperThan } from '../map/value-format';

export function rejectableRecord(record: AirbyteRecord): AirbyteRecord {
  const data = record.data;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(data)) {
    if (!nestedDeeperThan(data[key], MAX_VALUE_DEPTH)) continue;
    copy ??= { ...data };
    Object.defineProperty(copy, key, {
      value: `(value nested more than ${MAX_VALUE_DEPTH} levels deep; not stored)`,
      enumerable: true, writable: true, configurable: true,
    });
  }
  return copy ? { ...record, data: copy } : record;
}
