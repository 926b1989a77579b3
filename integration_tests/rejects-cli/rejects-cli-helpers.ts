/**
 * Shared helpers of the rejected-records CLI tests: read the rejects back from s3rver, name the sync,
 * list the input records. (A `write` driven step by step is write/running-write.ts.)
 */
import type { S3Fixture } from '../helpers/s3';
import type { RejectDocument } from '../../src/rejects/reject-format';
import type { Msg } from '../write/write-helpers';

/** One stored rejected row: the JSONL document of src/rejects/reject-format.ts, with the record as it arrived. */
export type RejectDoc = Omit<RejectDocument, 'record'> & {
  record: { stream: string; data: Record<string, unknown>; emitted_at: number; namespace?: string };
};

/** Every JSONL part under `prefix`, parsed, with the key each row came from. */
export async function readRejects(s3: S3Fixture, prefix = ''): Promise<Array<RejectDoc & { key: string }>> {
  const out: Array<RejectDoc & { key: string }> = [];
  for (const key of await s3.listKeys(prefix)) {
    const text = await s3.getText(key);
    for (const line of text.split('\n').filter((l) => l !== '')) out.push({ ...(JSON.parse(line) as RejectDoc), key });
  }
  return out;
}

export { emptyBucket } from '../helpers/test-env';

/** Adds a platform-style `sync_id` to every stream of a catalog built by write-helpers' catalog(). */
export function withSyncId(cat: Msg, syncId: number | string): Msg {
  const streams = (cat.streams as Msg[]).map((s) => ({ ...s, sync_id: syncId }));
  return { ...cat, streams };
}

/** The input records (RECORD payloads) in order. */
export function inputRecords(messages: Msg[]): Array<{ stream: string; data: Record<string, unknown> }> {
  return messages.filter((m) => m.type === 'RECORD').map((m) => m.record as { stream: string; data: Record<string, unknown> });
}
