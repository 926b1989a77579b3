/**
 * A `write` the test acts on while it runs: stdin stays open (the source is still sending), so a test
 * can feed messages in steps, wait for echoed STATEs, break S3 or the stand-in, or send a signal.
 * Built on helpers/cli's startCli (fresh HOME, every stdout line validated against the protocol).
 */
import { jsonl, ofType, startCli, writeTempJson, type CliResult, type RunningCli } from '../helpers/cli';
import type { FakeSalesforce } from '../fake-salesforce';
import { FAST_ENV, writeRunOf, type Msg, type WriteRun } from './write-helpers';

export async function waitUntil(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface RunningWrite {
  cli: RunningCli;
  send(messages: Msg[]): void;
  /** Resolves once `count` STATE messages have been echoed (fails after timeoutMs, or when the CLI ended first). */
  waitForStates(count: number, timeoutMs?: number): Promise<void>;
  /** The CLI ended (on its own or after a signal). */
  exited(): boolean;
  end(): void;
  done: Promise<WriteRun>;
}

export interface StartWriteOptions {
  config?: Msg;
  catalog: Msg;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Starts `write` with allow_failures true (unless the config says otherwise) and short retry waits. */
export function startWrite(fake: FakeSalesforce, opts: StartWriteOptions): RunningWrite {
  const config = writeTempJson({ ...fake.config, allow_failures: true, ...opts.config }, 'config.json');
  const cat = writeTempJson(opts.catalog, 'catalog.json');
  const cli = startCli(['write', '--config', config, '--catalog', cat], { env: { ...FAST_ENV, ...opts.env }, timeoutMs: opts.timeoutMs ?? 90_000 });
  let ended = false;
  let result: CliResult | undefined;
  const done = cli.result.then((r) => {
    result = r;
    return writeRunOf(r);
  });
  void cli.result.finally(() => (ended = true)).catch(() => undefined);
  const states = () => (result ? ofType(result, 'STATE') : cli.messagesSoFar().filter((m) => m.type === 'STATE')).length;
  return {
    cli,
    send: (messages) => cli.child.stdin.write(jsonl(messages)),
    waitForStates: async (count, timeoutMs = 30_000) => {
      await waitUntil(`${count} STATE(s) echoed`, () => ended || states() >= count, timeoutMs);
      if (states() < count) throw new Error(`write ended after ${states()} of ${count} STATE(s): ${(await cli.result).stderr.slice(0, 2000)}`);
    },
    exited: () => ended,
    end: () => cli.child.stdin.end(),
    done,
  };
}
