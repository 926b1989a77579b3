import * as readline from 'node:readline';
import { Readable } from 'node:stream';
import { LineSplitter } from '../../src/protocol/line-splitter';

/** What readline (crlfDelay Infinity, as the reader used before) makes of these chunks. */
async function readlineLines(chunks: Buffer[]): Promise<string[]> {
  const rl = readline.createInterface({ input: Readable.from(chunks, { objectMode: false }), crlfDelay: Infinity, terminal: false });
  const out: string[] = [];
  for await (const line of rl) out.push(line);
  return out;
}

function splitterLines(chunks: Buffer[]): string[] {
  const s = new LineSplitter();
  return [...chunks.flatMap((c) => s.push(c)), ...s.end()];
}

/** The lines with the bytes the splitter gives for each (undefined where a CR split the line). */
function splitterBytes(chunks: Buffer[]): Array<[string, string | undefined]> {
  const s = new LineSplitter();
  const out: Array<[string, string | undefined]> = [];
  const bytes: Array<Uint8Array | undefined> = [];
  const take = (lines: string[]) => {
    expect(bytes).toHaveLength(lines.length);
    lines.forEach((l, i) => out.push([l, bytes[i] && Buffer.from(bytes[i] as Uint8Array).toString('utf8')]));
  };
  for (const c of chunks) take(s.push(c, bytes));
  take(s.end(bytes));
  return out;
}

/** The bytes cut at `at` (every cut position gives the chunk boundaries to try). */
function cutAt(bytes: Buffer, at: number[]): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (const p of at) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out.filter((c) => c.length > 0);
}

const TEXTS = [
  '{"a":1}\n{"b":2}\n',
  '{"a":1}\r\n{"b":2}\r\n',
  '{"a":1}\n{"b":2}', // no final line end
  'one\rtwo\r\nthree\n\nfour\r',
  '\r\n\r\n\n\r\r',
  'é😀 naïve\n{"x":"日本語"}\r\nlast é',
  '',
  '\n',
  'tail-only',
  '  \t \n{"k":"v"}\r\r\n',
];

describe('LineSplitter splits as readline does', () => {
  test.each(TEXTS.map((t) => [JSON.stringify(t), t]))('%s, at every single chunk boundary and in 1-byte chunks', async (_label, text) => {
    const bytes = Buffer.from(text, 'utf8');
    const whole = await readlineLines([bytes]);
    expect(splitterLines([bytes])).toEqual(whole);
    for (let p = 1; p < bytes.length; p++) expect(splitterLines(cutAt(bytes, [p]))).toEqual(whole);
    const ones = Array.from({ length: bytes.length }, (_, i) => i + 1);
    expect(splitterLines(cutAt(bytes, ones))).toEqual(whole);
    expect(await readlineLines(cutAt(bytes, ones))).toEqual(whole);
  });

  test('a line longer than many chunks is joined once, in order', () => {
    const long = 'x'.repeat(100_000);
    const bytes = Buffer.from(`${long}\n{"after":true}\n`);
    const cuts = Array.from({ length: 30 }, (_, i) => (i + 1) * 3_333);
    expect(splitterLines(cutAt(bytes, cuts))).toEqual([long, '{"after":true}']);
  });

  test.each(TEXTS.map((t) => [JSON.stringify(t), t]))('%s: each line\'s bytes decode to its text, at every chunk boundary', (_label, text) => {
    const bytes = Buffer.from(text, 'utf8');
    for (let p = 1; p <= bytes.length; p++) {
      for (const [line, fromBytes] of splitterBytes(cutAt(bytes, [p]))) {
        // Only lines a CR split lack their bytes (the input has no CR inside a line otherwise).
        if (fromBytes === undefined) expect(text).toContain('\r');
        else expect(fromBytes).toBe(line);
      }
    }
    expect(splitterBytes([Buffer.from('{"a":1}\n{"b":"é"}\nlast')]).map(([, b]) => b)).toEqual(['{"a":1}', '{"b":"é"}', 'last']);
  });

  test('invalid UTF-8 becomes U+FFFD, as a stream decoder makes it', async () => {
    const bytes = Buffer.concat([Buffer.from('a'), Buffer.from([0xf0, 0x9f]), Buffer.from('\nb\xff\n', 'latin1')]);
    expect(splitterLines([bytes])).toEqual(await readlineLines([bytes]));
    expect(splitterLines(cutAt(bytes, [2]))).toEqual(await readlineLines([bytes]));
  });
});
