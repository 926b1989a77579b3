/**
 * Open chunks on disk (csv-chunker.ts with `newFile`) make the same chunks as in memory: same columns,
 * same rows in the same order with the same input records, and a file holding exactly the CSV the
 * in-memory chunk serialises to — under merges of versions, late columns, parent grouping and cuts by
 * size and by rows. And look-alike waves marked row by row (LookAlikeMarker) equal those computed
 * from a whole chunk's cells (lookAlikeWaves).
 */
import type { Readable } from 'node:stream';
import { CsvChunker, sourcesOf, type Chunk, type ChunkLimits } from '../../src/write/chunk/csv-chunker';
import { alignRows, toCsv } from '../../src/write/chunk/csv-text';
import { recordKey, type KeyKind } from '../../src/write/chunk/record-key';
import { LookAlikeMarker, lookAlikeWaves, markedWaves } from '../../src/write/execute/look-alikes';
import { useChunkDir } from './chunk-dir-fixture';

const tmp = useChunkDir('chunk-on-disk-test-');

async function text(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(p as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** A small deterministic generator (the same cases on every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

const VALUES = ['', 'plain', 'x,y', 'q"q', 'line\nbreak', ' s', 'e ', 'ünï😀', '#N/A', 'Acme', 'ACME', '12', '12.0'];

function rowsFor(seed: number, n: number, keyed: boolean): Array<Record<string, string>> {
  const rnd = random(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const rows: Array<Record<string, string>> = [];
  for (let i = 0; i < n; i++) {
    const cells: Record<string, string> = {};
    if (keyed) cells.Ext__c = rnd() < 0.3 ? `k${Math.floor(rnd() * 8)}` : `u${i}`;
    for (let k = 0; k < 6; k++) if (rnd() < 0.6) cells[`Col${Math.floor(rnd() * (i < n / 2 ? 4 : 9))}`] = pick(VALUES);
    if (rnd() < 0.7) cells.AccountId = `001P${Math.floor(rnd() * 5)}`;
    rows.push(cells);
  }
  return rows;
}

async function chunksOf(rows: Array<Record<string, string>>, limits: ChunkLimits, keyed: boolean, onDisk: boolean): Promise<Array<Chunk<number>>> {
  const key = keyed ? { column: 'Ext__c', kind: 'text' as KeyKind } : undefined;
  const c = new CsvChunker<number>(limits, keyed ? ['Ext__c'] : [], (col) => col === 'AccountId', key, onDisk ? { newFile: () => tmp.dir().newFile() } : {});
  const out: Array<Chunk<number>> = [];
  rows.forEach((cells, i) => {
    const cut = c.add(cells, i);
    if (cut) out.push(cut);
  });
  const last = c.flush();
  if (last) out.push(last);
  return out;
}

describe.each([false, true])('keyed %s', (keyed) => {
  test.each([
    [1, { maxBytes: 1e9, maxRows: 1e9 }],
    [2, { maxBytes: 700, maxRows: 1e9 }],
    [3, { maxBytes: 1e9, maxRows: 17 }],
    [4, { maxBytes: 2000, maxRows: 40 }],
  ])('seed %d: the same chunks as in memory, the file holding their CSV', async (seed, limits) => {
    const rows = rowsFor(seed, 300, keyed);
    const inMemory = await chunksOf(rows, limits, keyed, false);
    const onDisk = await chunksOf(rows, limits, keyed, true);
    expect(onDisk.map((c) => c.rows.map(sourcesOf))).toEqual(inMemory.map((c) => c.rows.map(sourcesOf)));
    for (const [k, chunk] of onDisk.entries()) {
      const mem = inMemory[k] as Chunk<number>;
      expect(chunk.columns).toEqual(mem.columns);
      expect([chunk.merged, chunk.mergedRecords, [...chunk.keys]]).toEqual([mem.merged, mem.mergedRecords, [...mem.keys]]);
      expect(chunk.rows.every((r) => r.cells.length === 0)).toBe(true);
      // Rows padded to the header (an empty row is a line of commas, as the file writes it).
      const csv = toCsv(mem.columns, mem.rows.map((r) => [...r.cells, ...new Array<string>(mem.columns.length - r.cells.length).fill('')]));
      expect(await text(chunk.file?.open() as Readable)).toBe(csv.toString('utf8') + '\n');
      expect(chunk.file?.bytes).toBe(csv.length + 1);
    }
    if (keyed) expect(onDisk.some((c) => c.merged > 0)).toBe(true);
  });
});

describe('LookAlikeMarker gives the waves lookAlikeWaves gives', () => {
  const types = new Map([['Name', 'string'], ['Rating', 'picklist'], ['Amount', 'currency'], ['When', 'datetime'], ['AccountId', 'reference'], ['Ext__c', 'string']]);
  const variants: Record<string, string[]> = {
    Name: ['Acme', 'acme', ' Acme', 'ACME ', 'Ünï', 'ünï', 'a\r\nb', 'a\nb', '#N/A', ''],
    Rating: ['Hot', 'hot', 'Cold'],
    Amount: ['12', '12.0', '1.2E1', '13', '912260031', '9.12260031E8'],
    When: ['2024-01-02T03:04:05.000Z', '2024-01-02T03:04:05Z', '2024-01-02T04:04:05+01:00', '2024-01-03T00:00:00.000Z'],
    AccountId: ['001000000000001', '001000000000001AAA', '001000000000002'],
  };
  const columns = Object.keys(variants);

  test.each([
    ['content', undefined],
    ['keyed by a text external ID', { column: 'Ext__c', kind: 'text' as KeyKind }],
    ['keyed by a number external ID', { column: 'Amount', kind: 'number' as KeyKind }],
  ])('%s, 2,000 random rows', (_name, key) => {
    const rnd = random(7);
    const rows: Array<Record<string, string>> = [];
    for (let i = 0; i < 2000; i++) {
      const cells: Record<string, string> = {};
      for (const c of columns) if (rnd() < 0.5) cells[c] = (variants[c] as string[])[Math.floor(rnd() * (variants[c] as string[]).length)] as string;
      if (key?.column === 'Ext__c' && rnd() < 0.8) cells.Ext__c = rnd() < 0.5 ? ['K1', 'k1', ' K1', 'K2', ''][Math.floor(rnd() * 5)] as string : `K${i}`;
      rows.push(cells);
    }
    // A chunk holds one row per record (versions are merged): one row per record key here too.
    const seen = new Set<string>();
    const distinct = rows.filter((cells) => {
      const k = key ? recordKey(key.kind, cells[key.column]) : undefined;
      if (k === undefined) return true;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    rows.splice(0, rows.length, ...distinct);
    const cols = key?.column === 'Ext__c' ? ['Ext__c', ...columns] : columns;
    const expected = lookAlikeWaves({ columns: cols, types, ...(key ? { key } : {}) }, alignRows(cols, rows).map((cells, i) => ({ cells, i })));
    expect(expected.length).toBeGreaterThan(2);
    // Marked by the chunker, in memory and on disk (where a row's exact content is read back from the file).
    for (const newFile of [undefined, () => tmp.dir().newFile()]) {
      const chunker = new CsvChunker<number>(1e9, cols, () => false, key, { marker: new LookAlikeMarker((c) => types.get(c), key), ...(newFile ? { newFile } : {}) });
      rows.forEach((cells, i) => chunker.add(cells, i));
      const chunk = chunker.flush() as Chunk<number>;
      expect(markedWaves(chunk.rows).map((w) => w.flatMap(sourcesOf))).toEqual(expected.map((w) => w.map((r) => r.i)));
    }
  });

  test('reset: rows of an earlier chunk no longer count', () => {
    const marker = new LookAlikeMarker(() => 'picklist');
    const lines = ['Hot', 'hot', 'hot'];
    expect(marker.wave(['Hot'], ['Rating'], 0, (p) => lines[p] as string)).toBe(0);
    expect(marker.wave(['hot'], ['Rating'], 1, (p) => lines[p] as string)).toBe(1);
    marker.reset();
    expect(marker.wave(['hot'], ['Rating'], 0, (p) => lines[p + 2] as string)).toBe(0);
  });
});
