/** What every benchmark section gets from the driver (run.ts): the stand-in, a scratch folder, sizes from env. */
import type { FakeHost } from './fake-client';
import type { SectionReport } from './report';

export interface BenchContext {
  fake: FakeHost;
  workDir: string;
  /** BENCH_SHORT=1: a few thousand rows per run, every section (CI). */
  short: boolean;
  /** Connector config entries for every connector run (BENCH_CONFIG, JSON; default: none, the connector's defaults). */
  connectorConfig: Record<string, unknown>;
  /** A size from the environment: `name` if set, else `short` in short mode, else `full`. */
  size(name: string, full: number, short: number): number;
}

export interface Section {
  id: string;
  run(ctx: BenchContext): Promise<SectionReport>;
}

export function envNumber(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${v}`);
  return n;
}
