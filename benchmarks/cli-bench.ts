/**
 * One end-to-end run of the real CLI (`node dist/src/main.js write`) as a child process, stdin read
 * from a prepared JSONL file (as `docker run -i … < messages.jsonl`), against the stand-in running in
 * its own process. Measures wall time, the CLI's CPU and peak RSS (its own resourceUsage() at exit via
 * usage-preload, cross-checked with /proc/<pid>/status VmHWM), the stand-in's CPU, API calls and jobs.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { catalog, writeInput } from './data';
import { type FakeHost, jobTimings } from './fake-client';

const MAIN = path.resolve(__dirname, '..', 'src', 'main.js');
const PRELOAD = path.join(__dirname, 'usage-preload.js');

export interface CliRunSpec {
  name: string;
  rows: number;
  row: (i: number) => Record<string, unknown>;
  mode: 'append' | 'append_dedup';
  config: Record<string, unknown>;
  workDir: string;
  /** Expected live Account records added by the run (insert: rows; upsert of existing keys: 0). */
  expectNewRecords: number;
}

export interface CliRunResult {
  name: string;
  rows: number;
  inputMB: number;
  exitCode: number | null;
  ok: boolean;
  problems: string[];
  wallS: number;
  rowsPerS: number;
  connector: { cpuS: number; userS: number; systemS: number; usPerRow: number; peakRssMB: number; procPeakRssMB: number; cpuShareOfWall: number };
  fake: { cpuS: number; usPerRow: number; cpuShareOfWall: number; rssMB: number };
  apiCalls: number;
  byRoute: Record<string, number>;
  statesSent: number;
  statesEchoed: number;
  recordsAdded: number;
  jobs: ReturnType<typeof jobTimings>;
  config: Record<string, unknown>;
}

interface ProcSample {
  hwmKB: number;
}

/** Extra Node flags for the CLI child, e.g. BENCH_CLI_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
function cliNodeArgs(): string[] {
  return (process.env.BENCH_CLI_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
}

function readProcStatus(pid: number): ProcSample | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(text);
    return m ? { hwmKB: Number(m[1]) } : undefined;
  } catch {
    return undefined;
  }
}

export async function runCli(fake: FakeHost, spec: CliRunSpec): Promise<CliRunResult> {
  const input = path.join(spec.workDir, `${spec.name}.jsonl`);
  const configFile = path.join(spec.workDir, `${spec.name}.config.json`);
  const catalogFile = path.join(spec.workDir, `${spec.name}.catalog.json`);
  const usageFile = path.join(spec.workDir, `${spec.name}.usage.json`);
  const statesSent = writeInput(input, spec.rows, spec.row);
  const inputMB = fs.statSync(input).size / 1e6;
  const config = { ...fake.config, allow_failures: true, ...spec.config };
  fs.writeFileSync(configFile, JSON.stringify(config));
  fs.writeFileSync(catalogFile, JSON.stringify(catalog(spec.mode)));
  fs.rmSync(usageFile, { force: true });

  const before = await fake.stats();
  const t0 = Date.now();
  const stdin = fs.openSync(input, 'r');
  const child = spawn(process.execPath, [...cliNodeArgs(), '--require', PRELOAD, MAIN, 'write', '--config', configFile, '--catalog', catalogFile], {
    stdio: [stdin, 'pipe', 'pipe'],
    env: { ...process.env, BENCH_USAGE_FILE: usageFile },
  });
  fs.closeSync(stdin);
  let procPeakKB = 0;
  const sampler = setInterval(() => {
    const s = readProcStatus(child.pid as number);
    if (s) procPeakKB = Math.max(procPeakKB, s.hwmKB);
  }, 100);
  let statesEchoed = 0;
  const errors: string[] = [];
  let buf = '';
  (child.stdout as Readable).on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) {
      if (l.includes('"type":"STATE"')) statesEchoed += 1;
      else if (l.includes('"type":"TRACE"') && l.includes('"error"')) errors.push(l.slice(0, 400));
    }
  });
  let stderr = '';
  (child.stderr as Readable).on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-4000)));
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const wallS = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  const after = await fake.stats();
  fs.rmSync(input, { force: true });

  const usage = fs.existsSync(usageFile)
    ? (JSON.parse(fs.readFileSync(usageFile, 'utf8')) as { userCpuMs: number; systemCpuMs: number; maxRssBytes: number })
    : { userCpuMs: NaN, systemCpuMs: NaN, maxRssBytes: NaN };
  const connectorCpuS = (usage.userCpuMs + usage.systemCpuMs) / 1000;
  const fakeCpuS = (after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs) / 1000;
  const byRoute: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.byRoute)) {
    const d = v - (before.byRoute[k] ?? 0);
    if (d > 0) byRoute[k] = d;
  }
  const jobs = after.jobs.filter((j) => j.createdAt >= t0);
  const recordsAdded = (after.liveRecords.Account ?? 0) - (before.liveRecords.Account ?? 0);
  const loadedRows = jobs.reduce((a, j) => a + j.rows - j.failed, 0);
  const problems: string[] = [];
  if (exitCode !== 0) problems.push(`exit ${exitCode}: ${errors[0] ?? stderr.slice(-400)}`);
  if (statesEchoed !== statesSent) problems.push(`${statesEchoed}/${statesSent} states echoed`);
  if (recordsAdded !== spec.expectNewRecords) problems.push(`${recordsAdded} records added, expected ${spec.expectNewRecords}`);
  if (loadedRows !== spec.rows) problems.push(`${loadedRows} rows loaded by jobs, expected ${spec.rows}`);
  return {
    name: spec.name,
    rows: spec.rows,
    inputMB,
    exitCode,
    ok: problems.length === 0,
    problems,
    wallS,
    rowsPerS: spec.rows / wallS,
    connector: {
      cpuS: connectorCpuS,
      userS: usage.userCpuMs / 1000,
      systemS: usage.systemCpuMs / 1000,
      usPerRow: (connectorCpuS * 1e6) / spec.rows,
      peakRssMB: usage.maxRssBytes / 2 ** 20,
      procPeakRssMB: procPeakKB / 1024,
      cpuShareOfWall: connectorCpuS / wallS,
    },
    fake: { cpuS: fakeCpuS, usPerRow: (fakeCpuS * 1e6) / spec.rows, cpuShareOfWall: fakeCpuS / wallS, rssMB: after.rssBytes / 2 ** 20 },
    apiCalls: after.requests - before.requests,
    byRoute,
    statesSent,
    statesEchoed,
    recordsAdded,
    jobs: jobTimings(jobs),
    config: Object.fromEntries(Object.entries(spec.config)),
  };
}
