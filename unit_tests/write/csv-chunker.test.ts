import Papa from 'papaparse';
import { alignRows, CsvChunker, csvValueBytes, toCsv, type Chunk } from '../../src/write/csv-chunker';

const parse = (csv: Buffer) => Papa.parse<string[]>(csv.toString('utf8'), { newline: '\n' }).data;

describe('CsvChunker', () => {
  test('header is the union of the columns in the chunk, required columns first', () => {
    const c = new CsvChunker<number>(10_000, ['Id']);
    c.add({ Id: '1', A: 'a' }, 1);
    c.add({ Id: '2', B: 'b' }, 2);
    const chunk = c.flush() as Chunk<number>;
    expect(chunk.columns).toEqual(['Id', 'A', 'B']);
    expect(chunk.csv.toString()).toBe('Id,A,B\n1,a,\n2,,b');
    expect(chunk.metas).toEqual([1, 2]);
    // rows are arrays aligned to the columns; a row is not padded for a column first seen after it
    expect(chunk.rows).toEqual([['1', 'a'], ['2', '', 'b']]);
  });

  test('cuts at bulk_job_max_rows when that comes before the byte limit', () => {
    const c = new CsvChunker<number>({ maxBytes: 1e9, maxRows: 3 });
    const cuts: Chunk<number>[] = [];
    for (let i = 0; i < 8; i++) {
      const cut = c.add({ Name: `n${i}` }, i);
      if (cut) cuts.push(cut);
    }
    expect(c.rowCount).toBe(2);
    expect(cuts.map((ch) => ch.metas)).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(cuts[1]?.csv.toString()).toBe('Name\nn3\nn4\nn5');
    expect((c.flush() as Chunk<number>).metas).toEqual([6, 7]);
  });

  test('whichever limit comes first: bytes before rows', () => {
    const c = new CsvChunker<number>({ maxBytes: 12, maxRows: 100 });
    expect(c.add({ A: 'aaaa' }, 1)).toBeUndefined(); // A\naaaa = 6 bytes
    expect(c.add({ A: 'bbbb' }, 2)).toBeUndefined(); // 11 bytes
    expect((c.add({ A: 'cccc' }, 3) as Chunk<number>).metas).toEqual([1, 2]);
  });

  test('a row of 1 per job with maxRows 1', () => {
    const c = new CsvChunker<number>({ maxBytes: 1e9, maxRows: 1 });
    expect(c.add({ A: 'x' }, 1)).toBeUndefined();
    expect((c.add({ A: 'y' }, 2) as Chunk<number>).metas).toEqual([1]);
  });

  test('alignRows lays cells objects out along the columns', () => {
    expect(alignRows(['A', 'B'], [{ B: 'b' }, { A: 'a', C: 'c' }])).toEqual([['', 'b'], ['a', '']]);
  });

  test('quotes per RFC 4180, LF line endings, no BOM, no formula escaping', () => {
    const csv = toCsv(['A', 'B'], [['x,y', 'say "hi"'], ['multi\nline', ' lead'], ['=SUM(1)', 'é😀']]);
    expect(csv.toString()).toBe('A,B\n"x,y","say ""hi"""\n"multi\nline"," lead"\n=SUM(1),é😀');
    expect(csv[0]).not.toBe(0xef);
  });

  test('tracked size equals the serialised size exactly', () => {
    const values = ['', 'plain', 'x,y', 'q"q', 'line\nbreak', ' s', 'e ', 'ünï😀', '#N/A', '\ufeffbom'];
    for (let n = 1; n <= 60; n++) {
      const c = new CsvChunker<number>(1e9, n % 2 ? ['Id'] : []);
      for (let i = 0; i < n; i++) {
        const cells: Record<string, string> = {};
        for (let k = 0; k < 5; k++) if ((i + k + n) % 3 !== 0) cells[`Col${(i * 7 + k) % 11}`] = values[(i + k) % values.length] as string;
        c.add(cells, i);
      }
      const size = c.byteSize;
      expect((c.flush() as Chunk<number>).csv.length).toBe(size);
    }
  });

  test('cuts chunks so none exceeds the byte limit, header included, and no row is lost', () => {
    const max = 1000;
    const c = new CsvChunker<number>(max);
    const chunks: Chunk<number>[] = [];
    for (let i = 0; i < 500; i++) {
      const cut = c.add({ Name: `name ${i}`, ...(i % 50 === 49 ? { Late__c: 'x'.repeat(i % 7) } : {}) }, i);
      if (cut) chunks.push(cut);
    }
    const last = c.flush();
    if (last) chunks.push(last);
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    for (const ch of chunks) {
      expect(ch.csv.length).toBeLessThanOrEqual(max);
      const rows = parse(ch.csv);
      expect(rows[0]).toEqual(ch.columns);
      expect(rows.length - 1).toBe(ch.rows.length);
    }
    expect(chunks.flatMap((ch) => ch.metas)).toEqual([...Array(500).keys()]);
    // a field first seen late is kept in its chunk's header
    expect(chunks.some((ch) => ch.columns.includes('Late__c'))).toBe(true);
  });

  test('a single row larger than the limit goes alone', () => {
    const c = new CsvChunker<number>(10);
    expect(c.add({ A: 'x'.repeat(50) }, 1)).toBeUndefined();
    const cut = c.add({ A: 'y' }, 2) as Chunk<number>;
    expect(cut.metas).toEqual([1]);
    expect((c.flush() as Chunk<number>).metas).toEqual([2]);
    expect(c.flush()).toBeUndefined();
  });

  test('csvValueBytes', () => {
    expect(csvValueBytes('')).toBe(0);
    expect(csvValueBytes('abc')).toBe(3);
    expect(csvValueBytes('a"b')).toBe(6);
    expect(csvValueBytes('é')).toBe(2);
    expect(csvValueBytes('\ufeffx')).toBe(6);
  });
});

describe('grouping rows by parent (fewer UNABLE_TO_LOCK_ROW)', () => {
  const isParent = (column: string) => column === 'AccountId' || column.includes('.');

  test('rows of one parent are put together, stably; metas and the CSV follow the new order', () => {
    const c = new CsvChunker<number>(100_000, [], isParent);
    const parents = ['B', 'A', 'B', '', 'A', 'C'];
    parents.forEach((p, i) => c.add(p ? { LastName: `n${i}`, AccountId: p } : { LastName: `n${i}` }, i));
    const chunk = c.flush() as Chunk<number>;
    expect(chunk.metas).toEqual([3, 1, 4, 0, 2, 5]);
    expect(parse(chunk.csv).slice(1).map((r) => r[0])).toEqual(['n3', 'n1', 'n4', 'n0', 'n2', 'n5']);
    expect(chunk.rows.map((r) => r[0])).toEqual(['n3', 'n1', 'n4', 'n0', 'n2', 'n5']);
  });

  test('relationship columns count as parents; without parent columns the input order stays', () => {
    const rel = new CsvChunker<number>(100_000, [], isParent);
    rel.add({ 'Account.Ext_Id__c': 'Z' }, 0);
    rel.add({ 'Account.Ext_Id__c': 'Y' }, 1);
    expect((rel.flush() as Chunk<number>).metas).toEqual([1, 0]);
    const plain = new CsvChunker<number>(100_000, [], isParent);
    plain.add({ Name: 'Z' }, 0);
    plain.add({ Name: 'Y' }, 1);
    expect((plain.flush() as Chunk<number>).metas).toEqual([0, 1]);
  });

  test('a chunk that repeats a record key keeps input order (versions must apply in order)', () => {
    const c = new CsvChunker<number>(100_000, ['Ext__c'], isParent, 'Ext__c');
    c.add({ Ext__c: 'K-1', AccountId: 'B' }, 0);
    c.add({ Ext__c: 'k-1', AccountId: 'A' }, 1);
    const repeating = c.flush() as Chunk<number>;
    expect(repeating.metas).toEqual([0, 1]);
    expect({ keys: [...repeating.keys], repeatsKey: repeating.repeatsKey }).toEqual({ keys: ['Ext__c:k-1'], repeatsKey: true });
    c.add({ Ext__c: 'K-1', AccountId: 'B' }, 0);
    c.add({ Ext__c: 'K-2', AccountId: 'A' }, 1);
    const distinct = c.flush() as Chunk<number>;
    expect(distinct.metas).toEqual([1, 0]);
    expect({ keys: [...distinct.keys].sort(), repeatsKey: distinct.repeatsKey }).toEqual({ keys: ['Ext__c:k-1', 'Ext__c:k-2'], repeatsKey: false });
  });
});
