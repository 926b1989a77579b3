/**
 * Shared helpers of the rejected-records CLI tests: read the rejects back from s3rver, and run the
 * CLI interactively (feed stdin in steps, wait for echoed STATEs) to break S3 in the middle of a sync.
 */
import { spawn } from 'node:child_process';
import { MAIN, jsonl, tempDir, writeTempJson, type CliResult } from '../helpers/cli';
import { protocolProblems } from '../helpers/protocol';
import type { S3Fixture } from '../helpers/s3';
import type { RejectDocument } from '../../src/rejects/reject-format';
import type { FakeSalesforce } from '../fake-salesforce';
import type { Msg, WriteRun } from '../write/write-helpers';

export const FAST_ENV = { DESTINATION_SALESFORCE_RETRY_BASE_MS: '5', DESTINATION_SALESFORCE_ROW_RETRY_SECONDS: '0.05', DESTINATION_SALESFORCE_RESEND_WAIT_SECONDS: '0.05' };

/** One stored rejected row: the JSONL document of src/rejects/reject-format.ts, with the record as it arrived. */
export type RejectDoc = Omit<RejectDocument, 'record'> & {
  record: { stream: string; data: Record<string, unknown>; emitted_at: number; namespace?: string };
};

/** Every JSONL part under `prefix`, parsed, with the key each row came from. */
export async function readRejects(s3: S3Fixture, prefix = ''): Promise<Array<RejectDoc & { key: string }>> {
  const out: Array<RejectDoc & { key: string }> = [];
  for (const key of await s3.listKeys(prefix)) {
    const text = await s3.getText(key);
    for (const line of text.split('\n').filter((l) => l !== '')) out.push({ ...(JSON.parse(line) as RejectDoc), key });
  }
  return out;
}

export { emptyBucket } from '../helpers/test-env';

/** Adds a platform-style `sync_id` to every stream of a catalog built by write-helpers' catalog(). */
export function withSyncId(cat: Msg, syncId: number | string): Msg {
  const streams = (cat.streams as Msg[]).map((s) => ({ ...s, sync_id: syncId }));
  return { ...cat, streams };
}

/** The input records (RECORD payloads) in order. */
export function inputRecords(messages: Msg[]): Array<{ stream: string; data: Record<string, unknown> }> {
  return messages.filter((m) => m.type === 'RECORD').map((m) => m.record as { stream: string; data: Record<string, unknown> });
}

export interface Interactive {
  send(messages: Msg[]): void;
  /** Resolves once `count` STATE messages have been echoed (fails after timeoutMs). */
  waitForStates(count: number, timeoutMs?: number): Promise<void>;
  end(): void;
  done: Promise<WriteRun>;
}

/**
 * Runs `write` like runCli (fresh HOME, stdout validated against the protocol) but keeps stdin open,
 * so a test can act between messages.
 */
export function startWrite(fake: FakeSalesforce, opts: { config: Msg; catalog: Msg; env?: Record<string, string> }): Interactive {
  const config = writeTempJson({ ...fake.config, allow_failures: true, ...opts.config }, 'config.json');
  const cat = writeTempJson(opts.catalog, 'catalog.json');
  const home = tempDir('dsf-home-');
  const child = spawn(process.execPath, [MAIN, 'write', '--config', config, '--catalog', cat], {
    cwd: tempDir('dsf-cwd-'),
    env: { PATH: process.env.PATH ?? '', HOME: home, ...FAST_ENV, ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let states = 0;
  let partial = '';
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const problems: string[] = [];
  child.stdout.on('data', (d: Buffer) => {
    out.push(d);
    const lines = (partial + d.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines.filter((l) => l !== '')) {
      const p = protocolProblems(line);
      if (p.length) problems.push(`${p.join('; ')}: ${line.slice(0, 300)}`);
      if (line.includes('"type":"STATE"')) states += 1;
    }
    for (const w of waiters.filter((x) => states >= x.count)) w.resolve();
  });
  child.stderr.on('data', (d: Buffer) => err.push(d));
  child.stdin.on('error', () => undefined);
  const done = new Promise<WriteRun>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      if (problems.length) {
        reject(new Error(`stdout is not valid Airbyte protocol: ${problems.join('\n')}`));
        return;
      }
      const messages = stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, any>);
      const result: CliResult = { code, stdout, stderr: Buffer.concat(err).toString('utf8'), messages, home };
      resolve({
        result,
        states: messages.filter((m) => m.type === 'STATE').map((m) => m.state as Msg),
        logs: messages.filter((m) => m.type === 'LOG').map((m) => String(m.log.message)),
        errors: messages.filter((m) => m.type === 'TRACE' && m.trace.type === 'ERROR').map((m) => m.trace.error as Msg),
      });
    });
  });
  return {
    send: (messages) => child.stdin.write(jsonl(messages)),
    waitForStates: (count, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        if (states >= count) return resolve();
        const t = setTimeout(() => reject(new Error(`no ${count} STATE(s) echoed within ${timeoutMs} ms; stderr: ${Buffer.concat(err).toString()}`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(t), resolve()) });
      }),
    end: () => child.stdin.end(),
    done,
  };
}
