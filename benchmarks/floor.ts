/**
 * The floor: a Node process that only does what no loader can skip — read the JSON lines from stdin, parse
 * them, and build the CSV Bulk API 2.0 wants (one column list per stream, RFC 4180 quoting, LF), in 10 MB
 * pieces that are then dropped. No HTTP, no Salesforce. Prints `{"rows":N,"csvBytes":B,"readMs":[…]}` on
 * stdout: `readMs[k]` is when (ms after stdin's first bytes) the rows of Salesforce's k-th 10,000-row batch had
 * all been read and written as CSV — the soonest any loader could have them (modeled-org.ts's ideal).
 *
 * The CSV writer is written here on purpose (a regex test and a replace per cell): it is the cheapest
 * correct writer, which is what a floor must be.
 */
const NEEDS_QUOTES = /[",\n\r]/;
const PIECE = 10 * 2 ** 20;
const BATCH_ROWS = 10_000;

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

interface StreamCsv {
  columns: string[];
  lines: string[];
  chars: number;
}

function main(): void {
  const streams = new Map<string, StreamCsv>();
  let rows = 0;
  let csvBytes = 0;
  let rest = '';
  let firstAt: number | undefined;
  const readMs: number[] = [];
  const mark = () => readMs.push(Math.round(performance.now() - (firstAt ?? 0)));
  const flush = (s: StreamCsv) => {
    csvBytes += Buffer.from(s.lines.join(''), 'utf8').length; // the bytes an upload would send
    s.lines = [];
    s.chars = 0;
  };
  const line = (l: string) => {
    if (l === '') return;
    const m = JSON.parse(l) as { type: string; record?: { stream: string; data: Record<string, unknown> } };
    if (m.type !== 'RECORD' || !m.record) return;
    let s = streams.get(m.record.stream);
    if (!s) {
      const columns = Object.keys(m.record.data);
      s = { columns, lines: [columns.join(',') + '\n'], chars: 0 };
      streams.set(m.record.stream, s);
    }
    const data = m.record.data;
    let out = '';
    for (let c = 0; c < s.columns.length; c++) out += (c ? ',' : '') + cell(data[s.columns[c] as string]);
    out += '\n';
    s.lines.push(out);
    s.chars += out.length;
    rows += 1;
    if (rows % BATCH_ROWS === 0) mark();
    if (s.chars >= PIECE) flush(s);
  };
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    firstAt ??= performance.now();
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) line(l);
  });
  process.stdin.on('end', () => {
    line(rest);
    for (const s of streams.values()) flush(s);
    if (rows % BATCH_ROWS !== 0) mark();
    process.stdout.write(JSON.stringify({ rows, csvBytes, readMs }) + '\n');
  });
}

main();
