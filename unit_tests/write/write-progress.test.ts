import type { StreamWriter } from '../../src/write/plan/stream-router';
import { WriteProgress } from '../../src/write/write-progress';

function writer(stats: Partial<StreamWriter['stats']>): StreamWriter {
  return {
    plan: { key: 'accounts', object: 'Account', operation: 'upsert' },
    stats: { read: 0, loaded: 0, merged: 0, mergedRecords: 0, rejectedByCode: new Map(), jobs: 1, ...stats },
  } as unknown as StreamWriter;
}

const summary = (w: StreamWriter): string => new WriteProgress(10_000, () => 0, () => undefined).summary([w], undefined, 'nowhere')[0] as string;

test('the stream line says how many input rows were versions of how many records and were merged', () => {
  expect(summary(writer({ read: 41, loaded: 41, merged: 39, mergedRecords: 1 }))).toBe(
    'Stream accounts → Account (upsert): 41 read, 41 loaded, 0 rejected, 1 ingest job. ' +
      "40 input rows were versions of 1 record and were merged into 1 row (later values win), each counted with that row's outcome.",
  );
  expect(summary(writer({ read: 6, loaded: 6, merged: 3, mergedRecords: 2 }))).toMatch(/ 5 input rows were versions of 2 records and were merged into 2 rows /);
});

test('no merge note when no versions were merged', () => {
  expect(summary(writer({ read: 3, loaded: 3 }))).toBe('Stream accounts → Account (upsert): 3 read, 3 loaded, 0 rejected, 1 ingest job.');
});
