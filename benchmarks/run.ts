/**
 * `npm run bench` — throughput and memory of the CONNECTOR against the local Salesforce stand-in.
 * See benchmarks/README.md for what each section measures and the caveats.
 *
 * Processes: this driver; the stand-in in its own process (fake-host.js, so its CPU is counted apart);
 * the real CLI (`dist/src/main.js write`) as a child reading its stdin from a prepared JSONL file.
 *
 * Sizes (env):
 *   BENCH_ONLY            comma list of sections: fake,e2e,memory,realistic,micro (default: all)
 *   BENCH_FAKE_ROWS       rows of the stand-in-alone job                      (default 100000)
 *   BENCH_ROWS            rows of the end-to-end insert and upsert runs       (default 200000)
 *   BENCH_MB              bulk_job_max_mb of the end-to-end runs              (default 10)
 *   BENCH_JOBS            max_jobs_in_flight for every CLI run                (default: connector default, 4)
 *   BENCH_JOB_ROWS        bulk_job_max_rows for every CLI run                 (default: connector default, 100000)
 *   BENCH_MEM_ROWS        rows of the big memory run                          (default 1000000)
 *   BENCH_MEM_BASE_ROWS   rows of the memory baseline                         (default 200000)
 *   BENCH_MEM_MB          bulk_job_max_mb of the memory runs                  (default 1)
 *   BENCH_REAL_ROWS       rows of the realistic-org run                       (default 100000)
 *   BENCH_REAL_RATE       stand-in records/s per job in that run              (default 5000)
 *   BENCH_REAL_DELAY_MS   stand-in processingDelayMs in that run              (default 1500)
 *   BENCH_REAL_MB         bulk_job_max_mb in that run                         (default 2)
 *   BENCH_MICRO_ROWS      rows of the micro-benchmarks                        (default 100000)
 * Results: printed, and written as JSON to .bench/results.json (git-ignored).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type CliRunResult, runCli } from './cli-bench';
import { smallRow, wideRow } from './data';
import { FakeHost } from './fake-client';
import { fakeDirect, type FakeDirectResult } from './fake-direct';
import { microBenchmarks, type MicroResult } from './micro';

const ROOT = path.resolve(__dirname, '..', '..');

function envNum(name: string, def: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return def;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number, got ${v}`);
  return n;
}

const SECTIONS = (process.env.BENCH_ONLY ?? 'fake,e2e,memory,realistic,micro').split(',').map((s) => s.trim());
const on = (s: string) => SECTIONS.includes(s);

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');

function table(head: string[], rows: Array<Array<string | number>>): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c] as number) : v.padStart(widths[c] as number))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function cliRow(r: CliRunResult): Array<string | number> {
  return [
    r.name,
    fmt(r.rows),
    String(r.config.bulk_job_max_mb ?? ''),
    fmt(r.wallS, 1),
    r.rows >= 1000 ? fmt(r.rowsPerS) : '–',
    r.jobs.jobs,
    r.jobs.maxJobsInFlight,
    r.apiCalls,
    fmt(r.connector.cpuS, 1),
    r.rows >= 1000 ? fmt(r.connector.usPerRow, 1) : '–',
    fmt(r.connector.peakRssMB),
    fmt(r.fake.cpuS, 1),
    r.ok ? 'ok' : 'FAILED',
  ];
}

const CLI_HEAD = ['run', 'rows', 'MB/job', 'wall s', 'rows/s', 'jobs', 'max in flight', 'API calls', 'CLI CPU s', 'CLI µs/row', 'CLI peak RSS MB', 'fake CPU s', 'check'];

async function main(): Promise<void> {
  const started = Date.now();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsf-bench-'));
  // Connector settings added to every CLI run's config (only when given).
  const jobsInFlight = {
    ...(process.env.BENCH_JOBS ? { max_jobs_in_flight: envNum('BENCH_JOBS', 4) } : {}),
    ...(process.env.BENCH_JOB_ROWS ? { bulk_job_max_rows: envNum('BENCH_JOB_ROWS', 100_000) } : {}),
  };
  const results: {
    machine: Record<string, unknown>;
    fakeDirect?: FakeDirectResult;
    e2e: CliRunResult[];
    memory: CliRunResult[];
    realistic?: CliRunResult & { fakeOptions: Record<string, unknown> };
    micro: MicroResult[];
    totalS?: number;
  } = {
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}`, at: new Date().toISOString() },
    e2e: [],
    memory: [],
    micro: [],
  };
  console.log(`destination-salesforce benchmarks — ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}`);
  console.log('Stand-in: integration_tests/fake-salesforce in its own process on 127.0.0.1 (loopback HTTP). CLI: dist/src/main.js write, stdin from a JSONL file.\n');

  const fake = await FakeHost.start({ processingDelayMs: 0 });
  const fail = (r: CliRunResult) => {
    if (!r.ok) console.log(`  !! ${r.name}: ${r.problems.join('; ')}`);
  };
  try {
    if (on('fake')) {
      const rows = envNum('BENCH_FAKE_ROWS', 100_000);
      const r = await fakeDirect(fake, rows);
      results.fakeDirect = r;
      console.log('[1] Stand-in alone: one insert job over HTTP, no connector (the ceiling of every end-to-end figure)');
      console.log(table(
        ['rows', 'CSV MB', 'close→JobComplete s', 'rows/s', 'fake CPU s (whole job)', 'fake µs/row', 'check'],
        [[fmt(r.rows), fmt(r.csvMB, 1), fmt(r.processingS, 2), fmt(r.rowsPerS), fmt(r.fakeCpuS, 2), fmt(r.fakeUsPerRow, 1), r.ok ? 'ok' : 'FAILED']],
      ));
      console.log('');
      await fake.reset();
    }

    if (on('e2e')) {
      const rows = envNum('BENCH_ROWS', 200_000);
      const mb = envNum('BENCH_MB', 10);
      await fake.set({ processingDelayMs: 0, recordsPerSecond: undefined });
      const config = { bulk_job_max_mb: mb, ...jobsInFlight };
      const ins = await runCli(fake, { name: 'insert (~12 cols)', rows, row: (i) => wideRow(i), mode: 'append', config, workDir, expectNewRecords: rows });
      fail(ins);
      // Same Ext_Id__c keys again, other values: every row matches an existing record (updates).
      const ups = await runCli(fake, { name: 'upsert on Ext_Id__c (updates)', rows, row: (i) => wideRow(i, 1), mode: 'append_dedup', config, workDir, expectNewRecords: 0 });
      fail(ups);
      results.e2e.push(ins, ups);
      console.log(`[2] End-to-end through the CLI, stand-in unlimited (recordsPerSecond unlimited, processingDelayMs 0)`);
      console.log(table(CLI_HEAD, results.e2e.map(cliRow)));
      for (const r of results.e2e) {
        console.log(
          `    ${r.name}: CLI busy ${fmt(r.connector.cpuShareOfWall * 100)}% of wall (user ${fmt(r.connector.userS, 1)} s + sys ${fmt(r.connector.systemS, 1)} s), ` +
            `stand-in busy ${fmt(r.fake.cpuShareOfWall * 100)}% (${fmt(r.fake.usPerRow, 1)} µs/row); input ${fmt(r.inputMB)} MB JSONL; ` +
            `calls: ${Object.entries(r.byRoute).map(([k, v]) => `${k} ${v}`).join(', ')}`,
        );
      }
      console.log('');
      await fake.reset();
    }

    if (on('memory')) {
      const mb = envNum('BENCH_MEM_MB', 1);
      const config = { bulk_job_max_mb: mb, ...jobsInFlight };
      await fake.set({ processingDelayMs: 0, recordsPerSecond: undefined });
      // One row first: the CLI's footprint with (almost) nothing in flight.
      const idle = await runCli(fake, { name: 'small rows ×1 (idle footprint)', rows: 1, row: smallRow, mode: 'append', config, workDir, expectNewRecords: 1 });
      fail(idle);
      results.memory.push(idle);
      for (const rows of [envNum('BENCH_MEM_BASE_ROWS', 200_000), envNum('BENCH_MEM_ROWS', 1_000_000)]) {
        const r = await runCli(fake, { name: `small rows ×${fmt(rows)}`, rows, row: smallRow, mode: 'append', config, workDir, expectNewRecords: rows });
        fail(r);
        results.memory.push(r);
        await fake.reset();
      }
      const [, a, b] = results.memory;
      console.log(`[3] Memory boundedness: 3-column rows (~25 B of CSV each), bulk_job_max_mb ${mb} — peak RSS should not grow with the row count`);
      console.log(table(CLI_HEAD, results.memory.map(cliRow)));
      if (a && b) {
        console.log(
          `    peak RSS ${fmt(a.connector.peakRssMB)} MB → ${fmt(b.connector.peakRssMB)} MB for ${fmt(b.rows / a.rows, 1)}× the rows ` +
            `(ratio ${fmt(b.connector.peakRssMB / a.connector.peakRssMB, 2)}; /proc VmHWM ${fmt(a.connector.procPeakRssMB)} → ${fmt(b.connector.procPeakRssMB)} MB)`,
        );
        for (const r of [a, b]) {
          const perRow = ((r.connector.peakRssMB - idle.connector.peakRssMB) * 2 ** 20) / Math.max(1, r.jobs.maxRowsInFlight);
          console.log(
            `    ${r.name}: at most ${fmt(r.jobs.maxRowsInFlight)} rows in ${r.jobs.maxJobsInFlight} jobs in flight → ` +
              `≈ ${fmt(perRow / 1024, 1)} KB of CLI RSS above idle per row in flight (${fmt(((r.inputMB * 1e6) / r.rows))} B of JSONL per row)`,
          );
        }
      }
      console.log('');
    }

    if (on('realistic')) {
      const rows = envNum('BENCH_REAL_ROWS', 100_000);
      const fakeOptions = { recordsPerSecond: envNum('BENCH_REAL_RATE', 5000), processingDelayMs: envNum('BENCH_REAL_DELAY_MS', 1500) };
      await fake.set(fakeOptions);
      const config = { bulk_job_max_mb: envNum('BENCH_REAL_MB', 2), ...jobsInFlight };
      const r = await runCli(fake, { name: 'realistic org (insert)', rows, row: (i) => wideRow(i), mode: 'append', config, workDir, expectNewRecords: rows });
      fail(r);
      results.realistic = { ...r, fakeOptions };
      await fake.set({ processingDelayMs: 0, recordsPerSecond: undefined });
      await fake.reset();
      console.log(
        `[4] "Realistic org": stand-in processes ${fmt(fakeOptions.recordsPerSecond)} rows/s per job after ${fmt(fakeOptions.processingDelayMs)} ms queued; ` +
          `connector max_jobs_in_flight ${jobsInFlight.max_jobs_in_flight ?? 4}`,
      );
      console.log(table(CLI_HEAD, [cliRow(r)]));
      console.log(
        `    jobs in flight at once (create → last result download): max ${r.jobs.maxJobsInFlight}; processing at once: max ${r.jobs.maxJobsProcessing}; ` +
          `per job: queued ${fmt(r.jobs.meanQueuedMs)} ms, processing ${fmt(r.jobs.meanProcessingMs)} ms, JobComplete → results fetched ${fmt(r.jobs.meanResultLagMs)} ms (poll backoff); ` +
          `polls (ingest.info) ${r.byRoute['ingest.info'] ?? 0}`,
      );
      console.log('');
    }
  } finally {
    await fake.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }

  if (on('micro')) {
    const rows = envNum('BENCH_MICRO_ROWS', 100_000);
    results.micro = microBenchmarks(rows);
    console.log(`[5] Micro-benchmarks of the pure pieces, in-process, ${fmt(rows)} rows of ~12 columns (best of 3 after a warm-up)`);
    console.log(table(['piece', 'rows', 'ms', 'rows/s', 'note'], results.micro.map((m) => [m.name, fmt(m.rows), fmt(m.ms), fmt(m.rowsPerS), m.note])));
    console.log('');
  }

  results.totalS = (Date.now() - started) / 1000;
  const outDir = path.join(ROOT, '.bench');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`Total ${fmt(results.totalS, 0)} s. JSON: ${path.relative(process.cwd(), path.join(outDir, 'results.json')) || '.bench/results.json'}`);
  const bad = [...results.e2e, ...results.memory, ...(results.realistic ? [results.realistic] : [])].filter((r) => !r.ok);
  if (bad.length || (results.fakeDirect && !results.fakeDirect.ok)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
