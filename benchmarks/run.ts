/**
 * `npm run bench`: (1) the CSV chunker on its own, (2) N rows through the built CLI against the fake
 * Salesforce processing at a realistic rate. Prints rows/s, jobs and API calls.
 * BENCH_ROWS (default 200000), BENCH_RATE (fake records/s, default 50000), BENCH_MB (bulk_job_max_mb, default 5).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startFakeSalesforce } from '../integration_tests/fake-salesforce';
import { CsvChunker } from '../src/write/csv-chunker';

const MAIN = path.resolve(__dirname, '..', 'src', 'main.js');

function row(i: number): Record<string, unknown> {
  return {
    Name: `Account ${i}, "bench"`,
    Ext_Id__c: `B-${i}`,
    NumberOfEmployees: i % 5000,
    AnnualRevenue: i * 10.5,
    Description: `Line one of ${i}\nline two with unicode é😀`,
    Active__c: i % 2 === 0,
    Founded__c: '2001-02-03',
  };
}

function chunkerBench(rows: number): void {
  const chunker = new CsvChunker<number>(100 * 1024 * 1024);
  const cells = (i: number) => ({ Name: `Account ${i}, "bench"`, Ext_Id__c: `B-${i}`, NumberOfEmployees: String(i % 5000), Description: `x ${i}\ny` });
  const t0 = process.hrtime.bigint();
  let bytes = 0;
  for (let i = 0; i < rows; i++) {
    const c = chunker.add(cells(i), i);
    if (c) bytes += c.csv.length;
  }
  bytes += chunker.flush()?.csv.length ?? 0;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`chunker: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB CSV in ${ms.toFixed(0)} ms → ${Math.round((rows * 1000) / ms)} rows/s`);
}

async function cliBench(rows: number, rate: number, mb: number): Promise<void> {
  const fake = await startFakeSalesforce({ processingDelayMs: 200, recordsPerSecond: rate });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsf-bench-'));
  const config = path.join(dir, 'config.json');
  const catalog = path.join(dir, 'catalog.json');
  fs.writeFileSync(config, JSON.stringify({ ...fake.config, allow_failures: true, bulk_job_max_mb: mb }));
  fs.writeFileSync(catalog, JSON.stringify({ streams: [{ stream: { name: 'Account', json_schema: {} }, sync_mode: 'incremental', destination_sync_mode: 'append' }] }));
  const t0 = Date.now();
  const child = spawn(process.execPath, [MAIN, 'write', '--config', config, '--catalog', catalog], { stdio: ['pipe', 'pipe', 'inherit'] });
  let states = 0;
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const lines = out.split('\n');
    out = lines.pop() ?? '';
    for (const l of lines) if (l.includes('"type":"STATE"')) states += 1;
  });
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  for (let i = 0; i < rows; i++) {
    const line = JSON.stringify({ type: 'RECORD', record: { stream: 'Account', data: row(i), emitted_at: 0 } }) + '\n';
    if (!child.stdin.write(line)) await new Promise((r) => child.stdin.once('drain', r));
    if (i % 10_000 === 9_999) child.stdin.write(JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'Account' } }, id: i } }) + '\n');
  }
  child.stdin.end();
  const code = await done;
  const seconds = (Date.now() - t0) / 1000;
  const loaded = fake.records('Account').length;
  console.log(
    `cli: exit ${code}, ${rows} rows in ${seconds.toFixed(1)} s → ${Math.round(rows / seconds)} rows/s; ${loaded} in the org; ` +
      `${fake.jobs().length} jobs; ${fake.requests().length} API calls; ${states} states echoed (fake processes ${rate} records/s)`,
  );
  await fake.close();
}

async function main(): Promise<void> {
  const rows = Number(process.env.BENCH_ROWS ?? 200_000);
  chunkerBench(rows);
  await cliBench(rows, Number(process.env.BENCH_RATE ?? 50_000), Number(process.env.BENCH_MB ?? 5));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
