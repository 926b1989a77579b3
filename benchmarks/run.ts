/**
 * `npm run bench` — the connector measured side by side with jsforce's bulk2 loader and a JSON→CSV floor,
 * its memory across input shapes, and a modeled org. See BENCHMARKS.md (written by this run, between its
 * "measured" markers) and benchmarks/README.md.
 *
 * Processes: this driver; the stand-in in its own process (fake-host.js, so its CPU is counted apart); each
 * measured program (the built CLI's `write`, jsforce-loader.js, floor.js) as a child reading a JSONL file.
 *
 * Env:
 *   BENCH_ONLY        comma list of sections (default: all): compare, memory, modeled, rest
 *   BENCH_SHORT=1     a few thousand rows per run, every section, for CI (figures printed, not asserted;
 *                     the report goes to .bench/BENCHMARKS.short.md instead of BENCHMARKS.md)
 *   BENCH_CONFIG      JSON of connector config entries added to every connector run (default: none)
 *   BENCH_NODE_ARGS   extra Node flags for every measured child (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof")
 *   sizes             BENCH_ROWS, BENCH_ROUNDS (compare); BENCH_MEM_BASE_ROWS, BENCH_MEM_ROWS,
 *                     BENCH_MEM_STREAMS (memory); BENCH_MODEL_ROWS (modeled)
 * Results: printed, written as JSON to .bench/results.json (git-ignored) and as Markdown to BENCHMARKS.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type BenchContext, envNumber, type Section } from './bench-context';
import { compareSection } from './compare';
import { FakeHost } from './fake-client';
import { memorySection } from './memory';
import { modeledOrgSection } from './modeled-org';
import { restVsBulkSection } from './rest-vs-bulk';
import { machine, measuredMarkdown, type SectionReport, writeMeasured } from './report';

const ROOT = path.resolve(__dirname, '..', '..');

/** Every section, in the order they run and appear in BENCHMARKS.md. */
const SECTIONS: Section[] = [compareSection, memorySection, modeledOrgSection, restVsBulkSection];

async function main(): Promise<void> {
  const started = Date.now();
  const m = machine();
  const short = process.env.BENCH_SHORT === '1';
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const sections = SECTIONS.filter((s) => !only || only.includes(s.id));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsf-bench-'));
  console.log(`destination-salesforce benchmarks${short ? ' (short)' : ''} — ${m.cpus} × ${m.cpuModel}, Node ${m.node}, load average ${m.loadAverageAtStart.map((l) => l.toFixed(1)).join(' ')}`);
  console.log('Stand-in: integration_tests/fake-salesforce in its own process on 127.0.0.1 (loopback HTTP). Every measured program reads the same JSONL file on stdin.\n');

  const fake = await FakeHost.start({ processingDelayMs: 0 });
  const ctx: BenchContext = {
    fake,
    workDir,
    short,
    connectorConfig: process.env.BENCH_CONFIG ? (JSON.parse(process.env.BENCH_CONFIG) as Record<string, unknown>) : {},
    size: (name, full, small) => envNumber(name) ?? (short ? small : full),
  };
  const reports: SectionReport[] = [];
  try {
    for (const [i, section] of sections.entries()) {
      const r = await section.run(ctx);
      reports.push(r);
      console.log(`[${i + 1}] ${r.title}\n${r.text}\n`);
    }
  } finally {
    await fake.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }

  const totalS = (Date.now() - started) / 1000;
  const outDir = path.join(ROOT, '.bench');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify({ machine: m, totalS, sections: reports.map(({ id, data, ok }) => ({ id, ok, data })) }, null, 2) + '\n');
  const md = path.join(...(short ? [outDir, 'BENCHMARKS.short.md'] : [ROOT, 'BENCHMARKS.md']));
  writeMeasured(md, measuredMarkdown(m, os.loadavg(), totalS, reports), 'Benchmarks');
  console.log(`Total ${totalS.toFixed(0)} s. Report: ${path.relative(process.cwd(), md)}; JSON: .bench/results.json`);
  if (reports.some((r) => !r.ok)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
