import Papa from 'papaparse';
import { CsvChunker, sourcesOf, type Chunk } from '../../src/write/chunk/csv-chunker';
import { alignRows, csvValueBytes, toCsv } from '../../src/write/chunk/csv-text';

const parse = (csv: Buffer) => Papa.parse<string[]>(csv.toString('utf8'), { newline: '\n' }).data;
/** The chunk's CSV as a job would send it. */
const csvOf = <T>(ch: Chunk<T>) => toCsv(ch.columns, ch.rows.map((r) => r.cells));
/** The input records of each row (one each unless versions were merged), flattened. */
const metasOf = <T>(ch: Chunk<T>) => ch.rows.flatMap(sourcesOf);

describe('CsvChunker', () => {
  test('header is the union of the columns in the chunk, required columns first', () => {
    const c = new CsvChunker<number>(10_000, ['Id']);
    c.add({ Id: '1', A: 'a' }, 1);
    c.add({ Id: '2', B: 'b' }, 2);
    const chunk = c.flush() as Chunk<number>;
    expect(chunk.columns).toEqual(['Id', 'A', 'B']);
    expect(csvOf(chunk).toString()).toBe('Id,A,B\n1,a,\n2,,b');
    // rows are arrays aligned to the columns (a row is not padded for a column first seen after it), each with its record
    expect(chunk.rows).toEqual([{ cells: ['1', 'a'], source: 1 }, { cells: ['2', '', 'b'], source: 2 }]);
  });

  test('cuts at bulk_job_max_rows when that comes before the byte limit', () => {
    const c = new CsvChunker<number>({ maxBytes: 1e9, maxRows: 3 });
    const cuts: Chunk<number>[] = [];
    for (let i = 0; i < 8; i++) {
      const cut = c.add({ Name: `n${i}` }, i);
      if (cut) cuts.push(cut);
    }
    expect(c.rowCount).toBe(2);
    expect(cuts.map(metasOf)).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(csvOf(cuts[1] as Chunk<number>).toString()).toBe('Name\nn3\nn4\nn5');
    expect(metasOf(c.flush() as Chunk<number>)).toEqual([6, 7]);
  });

  test('whichever limit comes first: bytes before rows', () => {
    const c = new CsvChunker<number>({ maxBytes: 12, maxRows: 100 });
    expect(c.add({ A: 'aaaa' }, 1)).toBeUndefined(); // A\naaaa = 6 bytes
    expect(c.add({ A: 'bbbb' }, 2)).toBeUndefined(); // 11 bytes
    expect(metasOf(c.add({ A: 'cccc' }, 3) as Chunk<number>)).toEqual([1, 2]);
  });

  test('a row of 1 per job with maxRows 1', () => {
    const c = new CsvChunker<number>({ maxBytes: 1e9, maxRows: 1 });
    expect(c.add({ A: 'x' }, 1)).toBeUndefined();
    expect(metasOf(c.add({ A: 'y' }, 2) as Chunk<number>)).toEqual([1]);
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
      expect(csvOf(c.flush() as Chunk<number>).length).toBe(size);
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
      expect(csvOf(ch).length).toBeLessThanOrEqual(max);
      const rows = parse(csvOf(ch));
      expect(rows[0]).toEqual(ch.columns);
      expect(rows.length - 1).toBe(ch.rows.length);
    }
    expect(chunks.flatMap(metasOf)).toEqual([...Array(500).keys()]);
    // a field first seen late is kept in its chunk's header
    expect(chunks.some((ch) => ch.columns.includes('Late__c'))).toBe(true);
  });

  test('a single row larger than the limit goes alone', () => {
    const c = new CsvChunker<number>(10);
    expect(c.add({ A: 'x'.repeat(50) }, 1)).toBeUndefined();
    const cut = c.add({ A: 'y' }, 2) as Chunk<number>;
    expect(metasOf(cut)).toEqual([1]);
    expect(metasOf(c.flush() as Chunk<number>)).toEqual([2]);
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
    expect(metasOf(chunk)).toEqual([3, 1, 4, 0, 2, 5]);
    expect(parse(csvOf(chunk)).slice(1).map((r) => r[0])).toEqual(['n3', 'n1', 'n4', 'n0', 'n2', 'n5']);
  });

  test('relationship columns count as parents; without parent columns the input order stays', () => {
    const rel = new CsvChunker<number>(100_000, [], isParent);
    rel.add({ 'Account.Ext_Id__c': 'Z' }, 0);
    rel.add({ 'Account.Ext_Id__c': 'Y' }, 1);
    expect(metasOf(rel.flush() as Chunk<number>)).toEqual([1, 0]);
    const plain = new CsvChunker<number>(100_000, [], isParent);
    plain.add({ Name: 'Z' }, 0);
    plain.add({ Name: 'Y' }, 1);
    expect(metasOf(plain.flush() as Chunk<number>)).toEqual([0, 1]);
  });

});

describe('versions of one record are merged into one row', () => {
  const key = { column: 'Ext__c', kind: 'text' as const };

  test('in input order: later values win, absent fields keep earlier ones, null is a value; every input record stays with the row', () => {
    const c = new CsvChunker<number>(100_000, ['Ext__c'], () => false, key);
    c.add({ Ext__c: 'K-1', Name: 'first', Phone: '1' }, 0);
    c.add({ Ext__c: 'K-2', Name: 'other' }, 1);
    c.add({ Ext__c: 'k-1', Name: 'second', City: 'Rome' }, 2);
    c.add({ Ext__c: 'K-1', Phone: '#N/A' }, 3);
    expect(c.rowCount).toBe(2);
    const chunk = c.flush() as Chunk<number>;
    expect(chunk.merged).toBe(2);
    expect(chunk.mergedRecords).toBe(1);
    expect([...chunk.keys].sort()).toEqual(['Ext__c:k-1', 'Ext__c:k-2']);
    expect(chunk.columns).toEqual(['Ext__c', 'Name', 'Phone', 'City']);
    expect(chunk.rows).toEqual([
      { cells: ['K-1', 'second', '#N/A', 'Rome'], source: 0, later: [2, 3] },
      { cells: ['K-2', 'other'], source: 1 },
    ]);
  });

  test('1,000 versions of one key plus 1,000 other keys: 1,001 rows, the tracked size still exact', () => {
    const c = new CsvChunker<number>(1e9, ['Ext__c'], () => false, key);
    for (let i = 0; i < 2000; i++) c.add(i % 2 ? { Ext__c: `other-${i}`, Name: 'x' } : { Ext__c: 'same', Name: `v${i}`, ...(i === 10 ? { City: 'kept' } : {}) }, i);
    const size = c.byteSize;
    const chunk = c.flush() as Chunk<number>;
    expect(chunk.rows).toHaveLength(1001);
    expect(csvOf(chunk).length).toBe(size);
    expect(chunk.rows[0]).toMatchObject({ cells: ['same', 'v1998', 'kept'] });
    expect(sourcesOf(chunk.rows[0] as Chunk<number>['rows'][number])).toHaveLength(1000);
  });

  test('Ids merge on their 18-character form; number keys on their exact decimal value (never a float)', () => {
    const ids = new CsvChunker<number>(1e9, ['Id'], () => false, { column: 'Id', kind: 'id' });
    ids.add({ Id: '001000000000001', Name: 'a' }, 0);
    ids.add({ Id: '001000000000001AAA', Name: 'b' }, 1);
    ids.add({ Id: '001000000000001aaa', Name: 'c' }, 2); // not a valid checksum: another value
    expect((ids.flush() as Chunk<number>).rows.map(sourcesOf)).toEqual([[0, 1], [2]]);
    const nums = new CsvChunker<number>(1e9, ['N__c'], () => false, { column: 'N__c', kind: 'number' });
    nums.add({ N__c: '123456789012345678' }, 0);
    nums.add({ N__c: '123456789012345679' }, 1);
    nums.add({ N__c: '1.23456789012345678E17' }, 2);
    expect((nums.flush() as Chunk<number>).rows.map(sourcesOf)).toEqual([[0, 2], [1]]);
  });

  test('blank keys never merge', () => {
    const c = new CsvChunker<number>(1e9, ['Ext__c'], () => false, key);
    c.add({ Ext__c: '', Name: 'a' }, 0);
    c.add({ Ext__c: '#N/A', Name: 'b' }, 1);
    c.add({ Name: 'c' }, 2);
    expect((c.flush() as Chunk<number>).rows).toHaveLength(3);
  });

  test('a merge that would overflow the byte limit starts a new chunk instead', () => {
    const c = new CsvChunker<number>(40, ['Ext__c'], () => false, key);
    c.add({ Ext__c: 'a', Name: 'x' }, 0);
    c.add({ Ext__c: 'b', Name: 'y' }, 1);
    const cut = c.add({ Ext__c: 'a', Name: 'z'.repeat(30) }, 2) as Chunk<number>;
    expect(metasOf(cut)).toEqual([0, 1]);
    expect(metasOf(c.flush() as Chunk<number>)).toEqual([2]);
  });
});
