/**
 * Shared pieces of the acceptance suite (CAT's spec/connection checks and Airbyte's destination write
 * suites, carried in jest). Every run goes through runCli, so the same tests drive the built CLI or,
 * with DSF_CLI_RUNNER=image, the built image (files mounted by the helper, the stand-in on 127.0.0.1).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { type CliResult, jsonl, ofType, REPO_ROOT, RUNNER, runCli, writeTempJson } from '../helpers/cli';

export { REPO_ROOT, RUNNER };

/** Image runs start a container per command: allow for it. */
export const TEST_TIMEOUT_MS = RUNNER === 'image' ? 240_000 : 90_000;
export const CLI_TIMEOUT_MS = RUNNER === 'image' ? 200_000 : 60_000;

export const repoFile = (rel: string): string => path.join(REPO_ROOT, rel);
export const readJson = <T = any>(rel: string): T => JSON.parse(fs.readFileSync(repoFile(rel), 'utf8')) as T;

// ---------------------------------------------------------------------------------------------
// acceptance-test-config.yml
// ---------------------------------------------------------------------------------------------

export interface CatConfig {
  connector_image: string;
  acceptance_tests: {
    spec?: { tests: Array<{ spec_path: string; [k: string]: unknown }> };
    connection?: { tests: Array<{ config_path: string; status: 'succeed' | 'failed' | 'exception'; [k: string]: unknown }> };
    [suite: string]: unknown;
  };
  [k: string]: unknown;
}

export const CAT_CONFIG_PATH = 'acceptance-test-config.yml';
/** The config CAT reads for the `succeed` case; git-ignored, never written by this suite. */
export const SECRETS_CONFIG_PATH = 'secrets/config.json';

export function loadCatConfig(): CatConfig {
  return yaml.load(fs.readFileSync(repoFile(CAT_CONFIG_PATH), 'utf8')) as CatConfig;
}

// ---------------------------------------------------------------------------------------------
// Running the connector
// ---------------------------------------------------------------------------------------------

export async function runSpec(): Promise<CliResult> {
  return runCli(['spec'], { timeoutMs: CLI_TIMEOUT_MS });
}

export async function runCheck(config: unknown): Promise<CliResult> {
  return runCli(['check', '--config', writeTempJson(config, 'config.json')], { timeoutMs: CLI_TIMEOUT_MS });
}

/** Runs check on a file as it is (an absolute path; the image runner mounts its folder). */
export async function runCheckFile(file: string): Promise<CliResult> {
  return runCli(['check', '--config', file], { timeoutMs: CLI_TIMEOUT_MS });
}

export async function runWrite(config: unknown, catalog: unknown, messages: unknown[] | string): Promise<CliResult> {
  const configFile = writeTempJson(config, 'config.json');
  const catalogFile = writeTempJson(catalog, 'catalog.json');
  const stdin = typeof messages === 'string' ? messages : jsonl(messages);
  return runCli(['write', '--config', configFile, '--catalog', catalogFile], { stdin, timeoutMs: CLI_TIMEOUT_MS });
}

/** The one payload of the one message of `type`; fails the test with the output when there is not exactly one. */
export function single(r: CliResult, type: string): Record<string, any> {
  const found = ofType(r, type);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${type}, got ${found.length}; exit ${r.code}\nstdout:\n${r.stdout.slice(0, 4000)}\nstderr:\n${r.stderr.slice(0, 4000)}`);
  }
  return found[0] as Record<string, any>;
}

/** Fails with the CLI output when the run did not end cleanly (exit 0, no TRACE error). */
export function expectCleanExit(r: CliResult): void {
  const errors = ofType(r, 'TRACE').filter((t) => t.trace?.type === 'ERROR');
  if (r.code !== 0 || errors.length > 0) {
    throw new Error(
      `expected exit 0 without TRACE errors, got exit ${r.code} and ${errors.length} error(s)\n` +
        `stdout:\n${r.stdout.slice(0, 6000)}\nstderr:\n${r.stderr.slice(0, 6000)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Building input messages and catalogs
// ---------------------------------------------------------------------------------------------

export interface StreamRef {
  name: string;
  namespace?: string;
}

export interface StreamSpec extends StreamRef {
  /** destination_object_name; left out when undefined (the stream name is the object). */
  object?: string;
  /** JSON Schema properties of the stream (all strings unless given). */
  fields: string[] | Record<string, unknown>;
  destinationSyncMode?: 'append' | 'append_dedup' | 'update' | 'soft_delete';
  primaryKey?: string[][];
}

export function catalog(streams: StreamSpec[]): { streams: Array<Record<string, unknown>> } {
  return {
    streams: streams.map((s) => {
      const properties = Array.isArray(s.fields)
        ? Object.fromEntries(s.fields.map((f) => [f, { type: 'string' }]))
        : s.fields;
      const stream: Record<string, unknown> = {
        name: s.name,
        json_schema: { type: 'object', properties },
        supported_sync_modes: ['full_refresh', 'incremental'],
      };
      if (s.namespace !== undefined) stream.namespace = s.namespace;
      const configured: Record<string, unknown> = {
        stream,
        sync_mode: 'full_refresh',
        destination_sync_mode: s.destinationSyncMode ?? 'append',
      };
      if (s.object !== undefined) configured.destination_object_name = s.object;
      if (s.primaryKey !== undefined) configured.primary_key = s.primaryKey;
      return configured;
    }),
  };
}

const EMITTED_AT = 1_700_000_000_000;

export function record(stream: StreamRef, data: Record<string, unknown>): Record<string, unknown> {
  const rec: Record<string, unknown> = { stream: stream.name, data, emitted_at: EMITTED_AT };
  if (stream.namespace !== undefined) rec.namespace = stream.namespace;
  return { type: 'RECORD', record: rec };
}

const descriptor = (s: StreamRef): Record<string, string> => (s.namespace !== undefined ? { name: s.name, namespace: s.namespace } : { name: s.name });

let nextStateId = 1;

/**
 * A STREAM state as the platform sends it: an integer `id` injected by the orchestrator, the source's
 * count in sourceStats, and an unknown extra key that must come back untouched.
 */
export function streamState(stream: StreamRef, cursor: unknown, sourceCount: number): Record<string, any> {
  return {
    type: 'STATE',
    state: {
      type: 'STREAM',
      stream: { stream_descriptor: descriptor(stream), stream_state: { cursor } },
      sourceStats: { recordCount: sourceCount },
      id: nextStateId++,
      partition_id: `p-${nextStateId}`,
    },
  };
}

export function globalState(streams: StreamRef[], shared: unknown, sourceCount: number): Record<string, any> {
  return {
    type: 'STATE',
    state: {
      type: 'GLOBAL',
      global: {
        shared_state: shared,
        stream_states: streams.map((s) => ({ stream_descriptor: descriptor(s), stream_state: { done: true } })),
      },
      sourceStats: { recordCount: sourceCount },
      id: nextStateId++,
    },
  };
}

export function streamComplete(stream: StreamRef): Record<string, unknown> {
  return {
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: EMITTED_AT,
      stream_status: { stream_descriptor: descriptor(stream), status: 'COMPLETE' },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// State checks (reference §3; legacy DestinationAcceptanceTest + Bulk CDK BasicFunctionalityIntegrationTest)
// ---------------------------------------------------------------------------------------------

export interface EchoExpectation {
  /** The STATE message sent. */
  input: Record<string, any>;
  recordCount: number;
  rejectedRecordCount?: number;
}

/** Which sequence a STATE belongs to: its stream for STREAM states, one shared sequence for GLOBAL/LEGACY. */
export function stateSequence(state: Record<string, any>): string {
  if (state.type === 'STREAM') {
    const d = state.stream?.stream_descriptor ?? {};
    return `STREAM ${JSON.stringify([d.namespace ?? null, d.name])}`;
  }
  return String(state.type ?? 'LEGACY');
}

/**
 * Every input STATE comes back exactly once as it was sent (the orchestrator's `id`, sourceStats and
 * unknown keys included) plus destinationStats with the records (and rejected records) since the
 * previous state of its sequence; in input order within each sequence (per stream for STREAM states,
 * reference §3). Pass `globalOrder` to also require the input order across streams.
 */
export function expectStatesEchoed(r: CliResult, expected: EchoExpectation[], opts: { globalOrder?: boolean } = {}): void {
  const states = ofType(r, 'STATE').map((m) => m.state as Record<string, any>);
  const describe = (): string =>
    `\nstates out:\n${states.map((s) => JSON.stringify(s).slice(0, 600)).join('\n')}\nexit ${r.code}\nstderr:\n${r.stderr.slice(0, 4000)}`;
  if (states.length !== expected.length) throw new Error(`expected ${expected.length} STATE(s), got ${states.length}${describe()}`);
  const groups = new Map<string, { out: Array<Record<string, any>>; want: EchoExpectation[] }>();
  const group = (key: string): { out: Array<Record<string, any>>; want: EchoExpectation[] } => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { out: [], want: [] }));
    return g;
  };
  for (const s of states) group(stateSequence(s)).out.push(s);
  for (const e of expected) group(stateSequence(e.input.state)).want.push(e);
  const check = (out: Record<string, any> | undefined, e: EchoExpectation, where: string): void => {
    try {
      expect(out).toBeDefined();
      const { destinationStats, ...rest } = out as Record<string, any>;
      expect(rest).toEqual(e.input.state);
      expect(destinationStats).toBeDefined();
      expect(destinationStats.recordCount).toBe(e.recordCount);
      expect(destinationStats.rejectedRecordCount ?? 0).toBe(e.rejectedRecordCount ?? 0);
    } catch (err) {
      throw new Error(`${where}, input STATE id ${e.input.state.id}: ${(err as Error).message}${describe()}`);
    }
  };
  for (const [key, g] of groups) {
    if (g.out.length !== g.want.length) throw new Error(`${key}: expected ${g.want.length} STATE(s), got ${g.out.length}${describe()}`);
    g.want.forEach((e, i) => check(g.out[i], e, `${key} #${i + 1}`));
  }
  if (opts.globalOrder) expected.forEach((e, i) => check(states[i], e, `STATE #${i + 1}`));
}

/** Sum of recordCount and rejectedRecordCount over the echoed states. */
export function stateTotals(r: CliResult): { recordCount: number; rejectedRecordCount: number } {
  let recordCount = 0;
  let rejectedRecordCount = 0;
  for (const m of ofType(r, 'STATE')) {
    recordCount += Number(m.state?.destinationStats?.recordCount ?? 0);
    rejectedRecordCount += Number(m.state?.destinationStats?.rejectedRecordCount ?? 0);
  }
  return { recordCount, rejectedRecordCount };
}

/**
 * Nothing lost: every RECORD sent is counted once, as written or as rejected, and the written ones are
 * in the org (`landed` = rows of this sync found in the org).
 */
export function expectNothingLost(r: CliResult, sent: number, landed: number, rejected = 0): void {
  const totals = stateTotals(r);
  expect({ written: totals.recordCount, rejected: totals.rejectedRecordCount }).toEqual({ written: sent - rejected, rejected });
  expect(landed).toBe(sent - rejected);
}

export const countRecords = (messages: unknown[]): number =>
  messages.filter((m) => (m as { type?: string }).type === 'RECORD').length;
