/**
 * Cancelling a running `write` the way Airbyte does (a signal while stdin is still open), and the
 * checks every cancel must pass: a transient TRACE, no job left Open, no STATE for rows not in the org.
 */
import type { RunningCli } from '../helpers/cli';
import type { FakeSalesforce } from '../fake-salesforce';
import { coveredCounts, type Msg, type WriteRun } from './write-helpers';

import { startWrite, waitUntil } from './running-write';


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
  const running = startWrite(fake, { config: opts.config, catalog: opts.catalog, env: opts.env });
  running.send(opts.messages);
  await waitUntil('the moment to signal', () => running.exited() || opts.when(running.cli));
  const signalled = !running.exited();
  if (!signalled && !opts.mayExitFirst) throw new Error(`write exited before the signal: ${(await running.cli.result).stderr.slice(0, 2000)}`);
  const signalledAt = Date.now();
  if (signalled) running.cli.child.kill(opts.signal);
  if (opts.secondAfterMs !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, opts.secondAfterMs));
    if (!running.exited()) running.cli.child.kill(opts.signal);
  }
  const run = await running.done;
  const exitMs = Date.now() - signalledAt;
  running.cli.child.stdin.destroy();
  return { ...run, exitMs, signalled };
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
