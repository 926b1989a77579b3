/**
 * One measured run of one process — the connector (the built CLI's `write`), the jsforce loader, or the floor —
 * as a child with its stdin read from a prepared JSONL file (as `docker run -i … < messages.jsonl`), against
 * the stand-in running in its own process. Measures wall time, the child's CPU and peak RSS (its own
 * resourceUsage() at exit via usage-preload, cross-checked with /proc/<pid>/status VmHWM), and, from the
 * stand-in, its CPU, API calls and jobs. Checks that every row arrived.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { parseDockerfile } from '../integration_tests/acceptance/dockerfile-facts';
import { compileCacheEnv } from './compile-cache';
import { catalog, type InputFile } from './data';
import { type FakeHost, jobTimings, type JobTimings } from './fake-client';

const MAIN = path.resolve(__dirname, '..', 'src', 'main.js');
const PRELOAD = path.join(__dirname, 'usage-preload.js');
/** The repository's Dockerfile: the image's NODE_OPTIONS and compile cache apply to every connector run, as in the image. */
const DOCKERFILE = path.resolve(__dirname, '..', '..', 'Dockerfile');

export function imageNodeOptions(dockerfile = DOCKERFILE): string[] {
  const image = parseDockerfile(fs.readFileSync(dockerfile, 'utf8'));
  // Flags Node refuses in NODE_OPTIONS (e.g. --initial-old-space-size) are on the ENTRYPOINT's node command.
  const command = image.entrypoint[0] === 'node' ? image.entrypoint.slice(1).filter((a) => a.startsWith('--')) : [];
  return [...(image.env.NODE_OPTIONS ?? '').split(' ').filter((a) => a !== ''), ...command];
}

const SCRIPTS = { jsforce: path.join(__dirname, 'jsforce-loader.js'), floor: path.join(__dirname, 'floor.js') };

export type Tool = 'connector' | 'jsforce' | 'floor';

/** Requests that do not count against the org's API allowance (sign-in). */
const NOT_API = new Set(['oauth.token', 'soap.login']);

export interface RunResult {
  tool: Tool;
  label: string;
  rows: number;
  inputMB: number;
  ok: boolean;
  problems: string[];
  wallS: number;
  rowsPerS: number;
  mbPerS: number;
  cpuS: number;
  usPerRow: number;
  peakRssMB: number;
  procPeakRssMB: number;
  /** API calls (sign-in excluded) and all requests by route. */
  apiCalls: number;
  byRoute: Record<string, number>;
  fakeCpuS: number;
  jobs: JobTimings;
  /** Child start → the stand-in answered the first describe (ms). */
  describedAfterMs?: number;
  /** Child start → the first job was created (ms). */
  firstJobAfterMs?: number;
  /** The last job finished processing → the child exited (ms): how late its end was noticed and settled. */
  tailMs?: number;
  /** The floor only: when (ms after its first stdin bytes) it had read each 10,000-row batch's rows (floor.ts). */
  readMs?: number[];
}

export interface RunOptions {
  /** Connector config entries added to the stand-in's login (connector only). */
  config?: Record<string, unknown>;
  workDir: string;
  label?: string;
  /** Extra Node flags for the child (BENCH_NODE_ARGS is added too), e.g. --cpu-prof. */
  nodeArgs?: string[];
}

function readHwmKB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function childArgs(tool: Tool, input: InputFile, fake: FakeHost, opts: RunOptions): string[] {
  const base = opts.workDir;
  if (tool === 'connector') {
    const configFile = path.join(base, 'connector.config.json');
    const catalogFile = path.join(base, 'connector.catalog.json');
    fs.writeFileSync(configFile, JSON.stringify({ ...fake.config, allow_failures: true, ...opts.config }));
    fs.writeFileSync(catalogFile, JSON.stringify(catalog(input)));
    return [MAIN, 'write', '--config', configFile, '--catalog', catalogFile];
  }
  if (tool === 'jsforce') {
    const loginFile = path.join(base, 'jsforce.login.json');
    const c = fake.config;
    fs.writeFileSync(loginFile, JSON.stringify({ loginUrl: fake.loginUrl, instanceUrl: fake.instanceUrl, clientId: c.client_id, clientSecret: c.client_secret, refreshToken: c.refresh_token }));
    return [SCRIPTS.jsforce, loginFile];
  }
  return [SCRIPTS.floor];
}

export async function measure(fake: FakeHost, tool: Tool, input: InputFile, opts: RunOptions): Promise<RunResult> {
  const usageFile = path.join(opts.workDir, `${tool}.usage.json`);
  fs.rmSync(usageFile, { force: true });
  const args = childArgs(tool, input, fake, opts);
  const nodeArgs = [
    ...(tool === 'connector' ? imageNodeOptions() : []),
    ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
    ...(opts.nodeArgs ?? []),
  ];
  // The connector starts as in the image: with the image's compile cache, warmed the same way.
  const imageEnv = tool === 'connector' ? compileCacheEnv(DOCKERFILE, opts.workDir, imageNodeOptions()) : {};
  await fake.reset();
  const before = await fake.stats();
  const stdin = fs.openSync(input.file, 'r');
  const t0 = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, '--require', PRELOAD, ...args], {
    stdio: [stdin, 'pipe', 'pipe'],
    env: { ...process.env, ...imageEnv, BENCH_USAGE_FILE: usageFile },
  });
  fs.closeSync(stdin);
  let hwmKB = 0;
  const sampler = setInterval(() => (hwmKB = Math.max(hwmKB, readHwmKB(child.pid as number))), 100);
  let statesEchoed = 0;
  let lastLine = '';
  const errors: string[] = [];
  let buf = '';
  (child.stdout as Readable).on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) {
      if (l.includes('"type":"STATE"')) statesEchoed += 1;
      else if (l.includes('"type":"TRACE"') && l.includes('"error"')) errors.push(l.slice(0, 400));
      if (l !== '') lastLine = l;
    }
  });
  let stderr = '';
  (child.stderr as Readable).on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-4000)));
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const wallS = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  const after = await fake.stats();

  const usage = fs.existsSync(usageFile)
    ? (JSON.parse(fs.readFileSync(usageFile, 'utf8')) as { userCpuMs: number; systemCpuMs: number; maxRssBytes: number })
    : { userCpuMs: NaN, systemCpuMs: NaN, maxRssBytes: NaN };
  const cpuS = (usage.userCpuMs + usage.systemCpuMs) / 1000;
  const byRoute: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.byRoute)) {
    const d = v - (before.byRoute[k] ?? 0);
    if (d > 0) byRoute[k] = d;
  }
  const jobs = after.jobs.filter((j) => j.createdAt >= t0);
  const timings = jobTimings(jobs);
  const added = (after.liveRecords.Account ?? 0) - (before.liveRecords.Account ?? 0);
  const problems: string[] = [];
  let readMs: number[] | undefined;
  if (exitCode !== 0) problems.push(`exit ${exitCode}: ${errors[0] ?? stderr.slice(-400)}`);
  else if (tool === 'connector') {
    if (statesEchoed !== input.states) problems.push(`${statesEchoed}/${input.states} states echoed`);
    if (added !== input.rows) problems.push(`${added} records added, expected ${input.rows}`);
  } else {
    const summary = JSON.parse(lastLine || '{}') as { rows?: number; successful?: number; readMs?: number[] };
    if (tool === 'floor') readMs = summary.readMs;
    if (summary.rows !== input.rows) problems.push(`read ${summary.rows} rows, expected ${input.rows}`);
    if (tool === 'jsforce' && (summary.successful !== input.rows || added !== input.rows)) {
      problems.push(`${summary.successful} successful results, ${added} records added, expected ${input.rows}`);
    }
  }
  const inputMB = input.bytes / 1e6;
  return {
    tool,
    label: opts.label ?? tool,
    rows: input.rows,
    inputMB,
    ok: problems.length === 0,
    problems,
    wallS,
    rowsPerS: input.rows / wallS,
    mbPerS: inputMB / wallS,
    cpuS,
    usPerRow: (cpuS * 1e6) / input.rows,
    peakRssMB: usage.maxRssBytes / 2 ** 20,
    procPeakRssMB: hwmKB / 1024,
    apiCalls: Object.entries(byRoute).reduce((a, [k, v]) => a + (NOT_API.has(k) ? 0 : v), 0),
    byRoute,
    fakeCpuS: (after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs) / 1000,
    jobs: timings,
    ...(after.firstDescribeAt !== undefined ? { describedAfterMs: after.firstDescribeAt - t0 } : {}),
    ...(timings.firstCreatedAt !== undefined ? { firstJobAfterMs: timings.firstCreatedAt - t0 } : {}),
    ...(timings.lastFinishedAt !== undefined ? { tailMs: t0 + wallS * 1000 - timings.lastFinishedAt } : {}),
    ...(readMs ? { readMs } : {}),
  };
}
