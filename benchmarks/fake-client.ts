/** Parent side of fake-host.ts: forks the stand-in into its own process and asks it for stats. */
import { type ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import type { FakeSalesforceOptions } from '../integration_tests/fake-salesforce/types';
import type { HostJob, HostStats } from './fake-host';

export type { HostJob, HostStats };

export class FakeHost {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  /** Login host (OAuth; the config's domain) and instance host (data calls). */
  loginUrl = '';
  instanceUrl = '';
  config: Record<string, unknown> = {};

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (raw) => {
      const msg = raw as { id: number; error?: string };
      const w = this.waiting.get(msg.id);
      if (!w) return;
      this.waiting.delete(msg.id);
      if (msg.error) w.reject(new Error(`fake-host: ${msg.error}`));
      else w.resolve(msg as Record<string, unknown>);
    });
    child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`fake-host exited (${code})`));
      this.waiting.clear();
    });
  }

  /**
   * Forks the host with the same Node (24) and a large heap: a 1M-row run keeps every row in the fake org
   * (`--expose-gc`: a reset collects the last run's records before the next run is measured).
   * `--initial-old-space-size`: the org's records only accumulate during a run, so V8's default (a small old
   * generation, grown by repeated full collections whose concurrent marking runs on the core the loader reads
   * on) was the stand-in's collector competing with the loader it measures. Starting at 2 GB (1 GB measured alike): 2 full
   * collections in a 200,000-row run instead of 5 (`--trace-gc`); stand-in CPU 2.32 → 2.13 s and connector wall 3.69 → 3.41 s,
   * faster in 10 of 10 alternating rounds (BENCHMARKS.md "Session 7"). Young-generation sizes made no difference.
   * BENCH_FAKE_NODE_ARGS adds Node flags (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof-fake).
   */
  static async start(options: FakeSalesforceOptions): Promise<FakeHost> {
    const child = fork(path.join(__dirname, 'fake-host.js'), [], {
      execPath: process.execPath,
      execArgv: ['--max-old-space-size=8192', '--initial-old-space-size=2048', '--expose-gc', ...(process.env.BENCH_FAKE_NODE_ARGS ?? '').split(' ').filter((a) => a !== '')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const host = new FakeHost(child);
    const r = await host.call({ cmd: 'start', options });
    host.loginUrl = r.loginUrl as string;
    host.instanceUrl = r.instanceUrl as string;
    host.config = r.config as Record<string, unknown>;
    return host;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  private call(msg: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ ...msg, id });
    });
  }

  async set(options: Partial<FakeSalesforceOptions>): Promise<void> {
    await this.call({ cmd: 'set', options });
  }

  async reset(): Promise<void> {
    await this.call({ cmd: 'reset' });
  }

  async stats(): Promise<HostStats> {
    return (await this.call({ cmd: 'stats' })).stats as HostStats;
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.call({ cmd: 'close' }).catch(() => undefined);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** Most intervals [start, end) open at one instant (sweep line); with weights, the largest sum of weights. */
export function maxOverlap(intervals: Array<[number, number]>, weights?: number[]): number {
  const events: Array<[number, number]> = [];
  intervals.forEach(([a, b], i) => {
    if (!(b >= a)) return;
    const w = weights?.[i] ?? 1;
    events.push([a, w], [b, -w]);
  });
  // Ends before starts at the same instant: touching intervals do not overlap.
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let cur = 0;
  let max = 0;
  for (const [, d] of events) {
    cur += d;
    max = Math.max(max, cur);
  }
  return max;
}

export interface JobTimings {
  jobs: number;
  /** Rows per job, in creation order. */
  sizes: number[];
  /** Jobs with fewer than one Salesforce batch (10,000 rows). */
  jobsUnder10k: number;
  /** Jobs with at least one failed row (their failedResults are worth a download). */
  jobsWithFailures: number;
  maxJobsInFlight: number;
  maxJobsProcessing: number;
  /** Most rows in jobs in flight at once. */
  maxRowsInFlight: number;
  meanQueuedMs: number;
  meanProcessingMs: number;
  /** JobComplete → last result download (or, without one, nothing). */
  meanResultLagMs: number;
  /** Stand-in clock: first job created, last job finished. */
  firstCreatedAt?: number;
  lastFinishedAt?: number;
}

/** Job timings of one run, from the fake's own clock. */
export function jobTimings(jobs: HostJob[]): JobTimings {
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const sorted = [...jobs].sort((a, b) => a.createdAt - b.createdAt);
  const done = (j: HostJob) => j.lastResultAt ?? j.finishedAt ?? j.createdAt;
  const finished = jobs.filter((j) => j.finishedAt !== undefined).map((j) => j.finishedAt as number);
  return {
    jobs: jobs.length,
    sizes: sorted.map((j) => j.rows),
    jobsUnder10k: jobs.filter((j) => j.rows < 10_000).length,
    jobsWithFailures: jobs.filter((j) => j.failed > 0).length,
    // Connector's view: from create until its last result download (or completion).
    maxJobsInFlight: maxOverlap(jobs.map((j) => [j.createdAt, done(j)])),
    maxRowsInFlight: maxOverlap(jobs.map((j) => [j.createdAt, done(j)]), jobs.map((j) => j.rows)),
    // Salesforce's view: jobs processing rows at once.
    maxJobsProcessing: maxOverlap(jobs.filter((j) => j.startedAt !== undefined).map((j) => [j.startedAt as number, j.finishedAt ?? (j.startedAt as number)])),
    meanQueuedMs: mean(jobs.filter((j) => j.startedAt !== undefined).map((j) => (j.startedAt as number) - j.createdAt)),
    meanProcessingMs: mean(jobs.filter((j) => j.finishedAt !== undefined && j.startedAt !== undefined).map((j) => (j.finishedAt as number) - (j.startedAt as number))),
    meanResultLagMs: mean(jobs.filter((j) => j.finishedAt !== undefined && j.lastResultAt !== undefined).map((j) => (j.lastResultAt as number) - (j.finishedAt as number))),
    ...(sorted[0] ? { firstCreatedAt: sorted[0].createdAt } : {}),
    ...(finished.length ? { lastFinishedAt: Math.max(...finished) } : {}),
  };
}
