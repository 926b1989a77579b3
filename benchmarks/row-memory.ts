/**
 * What one row in flight costs in memory, by what it keeps for settling (not a section of `npm run bench`:
 * a quick measurement behind BENCHMARKS.md's "Memory: where it goes"). Run:
 *
 *   npm run build && node --expose-gc dist/benchmarks/row-memory.js [rows]
 *
 * Each row is read as the connector reads it (a fresh line string, `JSON.parse`, values → CSV cells) and kept
 * in one of these forms until every row is read; the heap and external bytes it adds are divided by the rows.
 */
import { narrowRow, wideRow } from './data';

type Form =
  | 'parsed record + cells (today)' | 'line text + cells' | 'line Buffer + cells' | 'cells only'
  | 'parsed record, cells on disk' | 'spool offset, cells on disk' | 'seq only';
const FORMS: Form[] = [
  'parsed record + cells (today)', 'line text + cells', 'line Buffer + cells', 'cells only',
  'parsed record, cells on disk', 'spool offset, cells on disk', 'seq only',
];
const NO_CELLS: string[] = [];

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with node --expose-gc');
  g();
  g();
}

function measureForm(form: Form, lines: string[]): { heap: number; external: number } {
  const keep: unknown[] = [];
  gc();
  const before = process.memoryUsage();
  for (let i = 0; i < lines.length; i += 1) {
    const line = ` ${lines[i] as string}`.slice(1); // a fresh string, as readline gives
    const msg = JSON.parse(line) as { record: { data: Record<string, unknown> } };
    const cells = Object.values(msg.record.data).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    const meta = { segment: 0, seq: i };
    if (form === 'parsed record + cells (today)') keep.push({ cells, sources: [{ ...meta, record: msg.record }] });
    else if (form === 'line text + cells') keep.push({ cells, sources: [{ ...meta, line }] });
    else if (form === 'line Buffer + cells') keep.push({ cells, sources: [{ ...meta, line: Buffer.from(line) }] });
    else if (form === 'cells only') keep.push({ cells, sources: [meta] });
    else if (form === 'parsed record, cells on disk') keep.push({ cells: NO_CELLS, sources: [{ ...meta, record: msg.record }] });
    else if (form === 'spool offset, cells on disk') keep.push({ cells: NO_CELLS, sources: [{ ...meta, at: i * 512, length: line.length }] });
    else keep.push({ sources: [meta] });
  }
  gc();
  const after = process.memoryUsage();
  const n = keep.length;
  return { heap: (after.heapUsed - before.heapUsed) / n, external: (after.external + after.arrayBuffers - before.external - before.arrayBuffers) / n };
}

function main(): void {
  const rows = Number(process.argv[2] ?? 100_000);
  for (const [width, make] of [['wide', wideRow], ['narrow', narrowRow]] as const) {
    const lines = Array.from({ length: rows }, (_, i) => JSON.stringify({ type: 'RECORD', record: { stream: 'accounts', data: make(i), emitted_at: 1 } }));
    const avg = lines.reduce((a, l) => a + Buffer.byteLength(l), 0) / rows;
    console.log(`${rows} ${width} rows (${avg.toFixed(0)} B of JSONL each): bytes per row kept`);
    for (const form of FORMS) {
      const m = measureForm(form, lines);
      console.log(`  ${form.padEnd(32)} heap ${m.heap.toFixed(0).padStart(5)}  + external ${m.external.toFixed(0).padStart(4)}`);
    }
  }
}

main();
