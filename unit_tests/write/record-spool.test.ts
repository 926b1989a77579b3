import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AirbyteRecord } from '../../src/protocol/types';
import { RecordSpool, type SpoolPlace } from '../../src/write/settle/record-spool';

/** The spool file a place names (record-spool.ts: (file × 2 + whole message) × 2²⁶ + offset). */
const fileOf = (place: SpoolPlace) => Math.floor(place / 2 ** 27);

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'record-spool-test-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const rec = (i: number, extra: Record<string, unknown> = {}): AirbyteRecord => ({ stream: 's', emitted_at: 1, data: { Name: `row ${i} é😀 "q"\n`, n: i, nested: { a: [1, null] }, ...extra } });

test('records are read back exactly, whether still pending or on disk', () => {
  const spool = new RecordSpool(() => dir);
  const kept = Array.from({ length: 3000 }, (_, i) => spool.keep(rec(i)));
  expect(typeof kept[0]).toBe('number'); // a place, not an object per row
  expect(spool.record(kept[2999] as SpoolPlace)).toEqual(rec(2999)); // the last one: still in the write buffer
  expect(spool.record(kept[0] as SpoolPlace)).toEqual(rec(0));
  expect(spool.record(kept[1234] as SpoolPlace)).toEqual(rec(1234));
  spool.close();
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('a file no longer written is removed once all its records are released; the current one stays until close', () => {
  const spool = new RecordSpool(() => dir, 4096);
  const kept = Array.from({ length: 100 }, (_, i) => spool.keep(rec(i)));
  const files = fs.readdirSync(dir).length;
  expect(files).toBeGreaterThan(2);
  const first = fileOf(kept[0] as SpoolPlace);
  for (const k of kept.filter((k) => fileOf(k as SpoolPlace) === first)) spool.release(k);
  expect(fs.readdirSync(dir)).toHaveLength(files - 1);
  expect(() => spool.record(kept[0] as SpoolPlace)).toThrow(/after its spool file was removed/);
  for (const k of kept) if (fileOf(k as SpoolPlace) !== first) spool.release(k);
  expect(fs.readdirSync(dir)).toHaveLength(1); // the current file
  spool.close();
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('without a folder, records stay in memory as they are', () => {
  const spool = new RecordSpool();
  const r = rec(1);
  expect(spool.keep(r)).toBe(r);
  expect(spool.record(r)).toBe(r);
});

test('a record nested too deep for JSON.stringify is spooled as the rejects store would get it', () => {
  let deep: unknown = 'bottom';
  for (let i = 0; i < 20_000; i++) deep = [deep];
  const spool = new RecordSpool(() => dir);
  const kept = spool.keep(rec(1, { deep }));
  const back = spool.record(kept);
  expect(back.data.Name).toBe(rec(1).data.Name);
  expect(String(back.data.deep)).toMatch(/nested more than/);
  spool.close();
});

test('given the input line, the spool keeps it as is and reads the record back out of the message', () => {
  const spool = new RecordSpool(() => dir);
  const line = (i: number) => JSON.stringify({ type: 'RECORD', record: rec(i) });
  const kept = Array.from({ length: 3000 }, (_, i) => spool.keep(rec(i), line(i)));
  expect(spool.record(kept[2999] as SpoolPlace)).toEqual(rec(2999));
  expect(spool.record(kept[7] as SpoolPlace)).toEqual(rec(7));
  const [file] = fs.readdirSync(dir);
  expect(fs.readFileSync(path.join(dir, file as string), 'utf8').split('\n')[1]).toBe(line(1)); // the line itself, not re-serialised
  spool.close();
});

test('given the input line as stdin\'s bytes, the spool copies them as they came', () => {
  const spool = new RecordSpool(() => dir);
  const line = (i: number) => Buffer.from(JSON.stringify({ type: 'RECORD', record: rec(i) }), 'utf8');
  const kept = Array.from({ length: 3000 }, (_, i) => spool.keep(rec(i), line(i)));
  expect(spool.record(kept[2999] as SpoolPlace)).toEqual(rec(2999));
  expect(spool.record(kept[7] as SpoolPlace)).toEqual(rec(7));
  const [file] = fs.readdirSync(dir);
  expect(fs.readFileSync(path.join(dir, file as string)).subarray(0, line(0).length + 1)).toEqual(Buffer.concat([line(0), Buffer.from('\n')]));
  spool.close();
});

test('a record longer than one read, partly written and partly pending, is read back whole', () => {
  const spool = new RecordSpool(() => dir);
  const big = rec(1, { blob: 'x'.repeat(300 * 1024) + '😀' }); // over the 256 KB write buffer and the 64 KB reads
  const before = spool.keep(rec(0));
  const kept = spool.keep(big);
  const after = spool.keep(rec(2));
  expect(spool.record(kept)).toEqual(big);
  expect([spool.record(before), spool.record(after)]).toEqual([rec(0), rec(2)]);
  spool.close();
});
