import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Readable } from 'node:stream';
import { alignRows, toCsv } from '../../src/write/chunk/csv-text';
import { ChunkDir } from '../../src/write/chunk/chunk-dir';
import { useChunkDir } from './chunk-dir-fixture';

async function text(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(p as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

const tmp = useChunkDir('chunk-file-test-');

describe('ChunkFile', () => {
  it('writes the CSV papaparse would write (quoting, doubled quotes, emoji), LF-terminated', async () => {
    const columns = ['Name', 'Description', 'Amount'];
    const rows = [
      ['Acme, Inc.', 'say "hi"\nline two é😀', '12.5'],
      [' padded', '', '0'],
      ['\ufeffbom', 'plain', ''],
    ];
    const f = tmp.dir().newFile();
    for (const r of rows) f.addRow(r);
    f.finish(columns);
    const expected = toCsv(columns, rows).toString('utf8') + '\n';
    expect(await text(f.open())).toBe(expected);
    expect(f.bytes).toBe(Buffer.byteLength(expected));
    expect(f.rowCount).toBe(3);
  });

  it('pads rows written before a later column appeared, across file reads larger than one piece', async () => {
    const f = tmp.dir().newFile();
    const cells: Array<Record<string, string>> = [];
    // 3 widths; enough rows (> 64 KB read pieces, > the 256 KB write buffer) that row ends fall across pieces.
    for (let i = 0; i < 30_000; i++) {
      const c: Record<string, string> = { A: `a${i}`, ...(i >= 100 ? { B: `b "${i}"` } : {}), ...(i >= 20_000 ? { C: `c\n${i}` } : {}) };
      cells.push(c);
      f.addRow(Object.values(c));
    }
    const columns = ['A', 'B', 'C'];
    f.finish(columns);
    const expected = toCsv(columns, alignRows(columns, cells)).toString('utf8') + '\n';
    const first = await text(f.open());
    expect(first).toBe(expected);
    expect(f.bytes).toBe(Buffer.byteLength(expected));
    // Replayable: a second upload attempt reads the same bytes.
    expect(await text(f.open())).toBe(first);
  });

  it('is removed with its file; the folder goes with the rest', async () => {
    const f = tmp.dir().newFile();
    f.addRow(['x']);
    f.finish(['A']);
    expect(fs.existsSync(f.file)).toBe(true);
    f.remove();
    expect(fs.existsSync(f.file)).toBe(false);
    const g = tmp.dir().newFile();
    g.addRow(['y']);
    tmp.dir().remove();
    expect(fs.existsSync(tmp.dir().path)).toBe(false);
  });

  it('refuses a row after finish and an open before it', () => {
    const f = tmp.dir().newFile();
    expect(() => f.open()).toThrow('open before finish');
    f.finish(['A']);
    expect(() => f.addRow(['late'])).toThrow('after finish');
  });
});

describe('ChunkDir', () => {
  it('removes folders in its own folder left by processes that no longer run, never a running one\'s, and reads nothing else', () => {
    const root = path.join(tmp.parent(), 'dsf-salesforce');
    const gone = path.join(root, '999999999-abc');
    const running = path.join(root, `${process.ppid}-abc`);
    const other = path.join(root, 'unrelated');
    const outside = path.join(tmp.parent(), '999999999-abc'); // not in our folder: never touched
    for (const d of [gone, running, other, outside]) fs.mkdirSync(d, { recursive: true });
    const d2 = ChunkDir.create(tmp.parent());
    expect(fs.existsSync(gone)).toBe(false);
    expect(fs.existsSync(running)).toBe(true);
    expect(fs.existsSync(other)).toBe(true);
    expect(fs.existsSync(outside)).toBe(true);
    expect(path.dirname(d2.path)).toBe(root);
    expect(path.basename(d2.path)).toMatch(new RegExp(`^${process.pid}-`));
    d2.remove();
    expect(fs.existsSync(d2.path)).toBe(false);
    expect(fs.existsSync(root)).toBe(true); // other processes' folders are still in it
  });

  it('removes the shared folder with the last process folder in it', () => {
    const root = path.join(tmp.parent(), 'dsf-salesforce');
    tmp.dir().remove(); // the fixture's folder
    const d = ChunkDir.create(tmp.parent());
    expect(fs.readdirSync(root)).toEqual([path.basename(d.path)]);
    expect((fs.statSync(root).mode & 0o777).toString(8)).toBe('700');
    d.remove();
    expect(fs.readdirSync(tmp.parent())).toEqual([]);
  });

  it('works beside a `dsf-salesforce` that is not a folder of its own (a file here): its folder goes in the temp folder itself', () => {
    const parent = fs.mkdtempSync(path.join(tmp.parent(), 'p-'));
    fs.writeFileSync(path.join(parent, 'dsf-salesforce'), '');
    const d = ChunkDir.create(parent);
    expect(path.dirname(d.path)).toBe(parent);
    expect(path.basename(d.path)).toMatch(new RegExp(`^dsf-salesforce-${process.pid}-`));
    d.newFile().remove();
    d.remove();
    expect(fs.readdirSync(parent)).toEqual(['dsf-salesforce']);
  });

  it('syncs starting and ending at once share the folder: none fails, and the last one out removes it', async () => {
    const module = path.resolve(__dirname, '..', '..', 'src', 'write', 'chunk', 'chunk-dir.js');
    const parent = fs.mkdtempSync(path.join(tmp.parent(), 'p-'));
    const script = `const { ChunkDir } = require(${JSON.stringify(module)});
      for (let i = 0; i < 200; i++) { const d = ChunkDir.create(${JSON.stringify(parent)}); d.newFile().remove(); d.remove(); }`;
    const runs = Array.from({ length: 4 }, () => promisify(execFile)(process.execPath, ['-e', script]).then(() => 'ok', (err: Error) => err.message));
    expect(await Promise.all(runs)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(fs.readdirSync(parent)).toEqual([]);
  });
});
