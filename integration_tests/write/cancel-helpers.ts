/**
 * Cancelling a running `write` the way Airbyte does (a signal while stdin is still open), and the
 * checks every cancel must pass: a transient TRACE, no job left Open, no STATE for rows not in the org.
 */
import { jsonl, ofType, startCli, writeTempJson, type CliResult, type RunningCli } from '../helpers/cli';
import type { FakeSalesforce } from '../fake-salesforce';
import { coveredCounts, type Msg, type WriteRun } from './write-helpers';

export async function waitUntil(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface CancelledRun extends WriteRun {
  /** Milliseconds from the (first) signal to the exit. */
  exitMs: number;
  /** false when the CLI ended before the moment to signal came (only with `mayExitFirst`). */
  signalled: boolean;
}

export interface CancelOptions {
  config?: Msg;
  catalog: Msg;
  messages: Msg[];
  env?: Record<string, string>;
  signal: NodeJS.Signals;
  /** Sends the signal once this holds (checked every 20 ms; `cli` gives its stdout so far). */
  when: (cli: RunningCli) => boolean;
  /** A second signal this long after the first (default: none). */
  secondAfterMs?: number;
  /** The CLI may end on its own before the signal (e.g. a fault ended the sync); else that fails the test. */
  mayExitFirst?: boolean;
}

/** Starts `write`, feeds the messages (stdin stays open: the source is still running), signals, waits. */
export async function cancelWrite(fake: FakeSalesforce, opts: CancelOptions): Promise<CancelledRun> {
  const config = writeTempJson({ ...fake.config, allow_failures: true, ...opts.config }, 'config.json');
  const cat = writeTempJson(opts.catalog, 'catalog.json');
  const cli = startCli(['write', '--config', config, '--catalog', cat], {
    env: { DESTINATION_SALESFORCE_RETRY_BASE_MS: '5', DESTINATION_SALESFORCE_ROW_RETRY_SECONDS: '0.05', ...opts.env },
    timeoutMs: 90_000,
  });
  cli.child.stdin.write(jsonl(opts.messages));
  let exited = false;
  void cli.result.finally(() => (exited = true)).catch(() => undefined);
  await waitUntil('the moment to signal', () => exited || opts.when(cli));
  if (exited && !opts.mayExitFirst) throw new Error(`write exited before the signal: ${(await cli.result).stderr.slice(0, 2000)}`);
  const signalledAt = Date.now();
  const signalled = !exited;
  if (signalled) cli.child.kill(opts.signal);
  if (opts.secondAfterMs !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, opts.secondAfterMs));
    if (!exited) cli.child.kill(opts.signal);
  }
  const result: CliResult = await cli.result;
  const exitMs = Date.now() - signalledAt;
  cli.child.stdin.destroy();
  return {
    result,
    exitMs,
    signalled,
    states: ofType(result, 'STATE').map((m) => m.state as Msg),
    logs: ofType(result, 'LOG').map((m) => String(m.log.message)),
    errors: ofType(result, 'TRACE').filter((m) => m.trace.type === 'ERROR').map((m) => m.trace.error as Msg),
  };
}

/** What every cancel must show: exit non-zero with one transient "cancelled" TRACE, no job Open. */
export function expectCancelled(run: CancelledRun, fake: FakeSalesforce): void {
  expect(run.result.code).not.toBe(0);
  expect(run.errors).toEqual([expect.objectContaining({ failure_type: 'transient_error', message: expect.stringContaining('The sync was cancelled') })]);
  expect(fake.jobs().filter((j) => j.state === 'Open')).toEqual([]);
}

/**
 * No STATE for unsettled rows: the echoed states are a prefix of the input's, in order, and every
 * record they cover (by `key`) is in the org.
 */
export function expectStatesOnlyForSettledRows(run: WriteRun, messages: Msg[], org: Array<Record<string, unknown>>, key: string): void {
  const inputStates = messages.filter((m) => m.type === 'STATE').map((m) => m.state as Msg);
  expect(run.states.length).toBeLessThanOrEqual(inputStates.length);
  const counts = coveredCounts(messages);
  run.states.forEach((s, i) => {
    const { destinationStats, ...rest } = s as { destinationStats?: { recordCount: number; rejectedRecordCount?: number } };
    expect(rest).toEqual(inputStates[i]);
    expect((destinationStats?.recordCount ?? 0) + (destinationStats?.rejectedRecordCount ?? 0)).toBe(counts[i]);
  });
  // Records before the last echoed state (all streams here share the state scope used by the tests).
  let statesSeen = 0;
  const inOrg = new Set(org.map((r) => r[key]));
  for (const m of messages) {
    if (statesSeen >= run.states.length) break;
    if (m.type === 'STATE') statesSeen += 1;
    else if (m.type === 'RECORD') expect(inOrg.has((m.record as { data: Msg }).data[key])).toBe(true);
  }
}
