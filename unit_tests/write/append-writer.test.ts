import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppendWriter } from '../../src/write/append-writer';

let dir: string;
let file: string;
let fd: number;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'append-writer-test-'));
  file = path.join(dir, 'f');
  fd = fs.openSync(file, 'w+');
});
afterEach(() => {
  fs.closeSync(fd);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('staged text and bytes reach the file in order once committed; dropped ones never do', () => {
  const w = new AppendWriter(fd, 16);
  expect(w.stageText('é😀,')).toBe(Buffer.byteLength('é😀,'));
  w.stageByte(0x0a);
  w.commit();
  w.stageText('dropped, longer than the whole buffer of sixteen bytes');
  w.drop();
  w.stageBytes(Buffer.from('bytes as they came\n'));
  w.commit();
  expect(w.size).toBe(Buffer.byteLength('é😀,\nbytes as they came\n'));
  w.flush();
  expect(w.flushed).toBe(w.size);
  expect(fs.readFileSync(file, 'utf8')).toBe('é😀,\nbytes as they came\n');
});

test('a row larger than the buffer is staged whole, after the committed bytes, whatever the cut', () => {
  for (const capacity of [1, 5, 64, 4096]) {
    fs.ftruncateSync(fd, 0);
    const w = new AppendWriter(fd, capacity);
    const rows = ['a,b\n', `${'x'.repeat(1000)}😀\n`, '"q""",z\n'];
    for (const r of rows) {
      // A row written in pieces, as the chunk file writes cells.
      for (const piece of r.match(/.{1,7}/gsu) ?? []) w.stageText(piece);
      w.commit();
    }
    w.stageText('not committed');
    w.flush();
    expect(fs.readFileSync(file, 'utf8')).toBe(rows.join(''));
    w.commit();
    w.flush();
    expect(fs.readFileSync(file, 'utf8')).toBe(`${rows.join('')}not committed`);
  }
});

test('lone surrogates are written as U+FFFD, as Buffer.byteLength counts them', () => {
  const w = new AppendWriter(fd, 8);
  const text = 'a\ud800b\udc00';
  expect(w.stageText(text)).toBe(Buffer.byteLength(text, 'utf8'));
  w.commit();
  w.flush();
  expect(fs.readFileSync(file, 'utf8')).toBe(Buffer.from(text, 'utf8').toString('utf8'));
});
