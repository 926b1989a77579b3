/**
 * Runs the built CLI (dist/src/main.js) as Airbyte would: a separate process, messages on stdin,
 * AirbyteMessages on stdout. Every stdout line is validated against the protocol schema.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { protocolProblems } from './protocol';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const MAIN = path.join(REPO_ROOT, 'dist', 'src', 'main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Parsed stdout lines (all valid AirbyteMessages, else runCli throws). */
  messages: Array<Record<string, any>>;
  /** Home folder the process ran with: tests assert nothing was written there. */
  home: string;
}

export interface CliOptions {
  stdin?: string | Buffer;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Skip protocol validation (only for tests that assert on invalid output handling). */
  skipValidation?: boolean;
}

export function tempDir(prefix = 'dsf-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a JSON file into a fresh temp folder and returns its path. */
export function writeTempJson(value: unknown, name = 'file.json'): string {
  const dir = tempDir();
  fs.chmodSync(dir, 0o755); // the image runs as uid 1000 and must read it through a mount
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value), { mode: 0o644 });
  return file;
}

/** JSON lines for stdin. */
export function jsonl(messages: unknown[]): string {
  return messages.map((m) => JSON.stringify(m)).join('\n') + '\n';
}

/**
 * `DSF_CLI_RUNNER=image` runs the built image instead (../shared/tools/container run), the way Airbyte
 * runs it: every file argument's folder is mounted read-only-by-convention under /mnt/N.
 */
export const RUNNER: 'cli' | 'image' = process.env.DSF_CLI_RUNNER === 'image' ? 'image' : 'cli';
const CONTAINER_TOOL = path.resolve(REPO_ROOT, '..', 'shared', 'tools', 'container');

function command(args: string[]): { file: string; argv: string[] } {
  if (RUNNER === 'cli') return { file: process.execPath, argv: [MAIN, ...args] };
  const mounts: string[] = [];
  const rewritten = args.map((a) => {
    if (!path.isAbsolute(a) || !fs.existsSync(a)) return a;
    const target = `/mnt/${mounts.length / 2}`;
    mounts.push('-v', `${path.dirname(a)}:${target}`);
    return `${target}/${path.basename(a)}`;
  });
  return { file: 'bash', argv: [CONTAINER_TOOL, 'run', ...mounts, '--', ...rewritten] };
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const run = startCli(args, opts);
  run.child.stdin.end(opts.stdin ?? '');
  return run.result;
}

/** A CLI process still running: its stdin is open, its stdout can be watched, signals can be sent. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  /** Stdout parsed so far (complete lines). */
  messagesSoFar(): Array<Record<string, any>>;
  /** Resolves on exit, like runCli. */
  result: Promise<CliResult>;
}

/** Spawns the CLI and leaves stdin open (the caller writes and ends it). */
export function startCli(args: string[], opts: Omit<CliOptions, 'stdin'> = {}): RunningCli {
  const home = tempDir('dsf-home-');
  const { file, argv } = command(args);
  const child = spawn(file, argv, {
    cwd: tempDir('dsf-cwd-'),
    env: RUNNER === 'cli' ? { PATH: process.env.PATH ?? '', HOME: home, ...opts.env } : process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  child.stdin.on('error', () => undefined); // the CLI may exit before reading all input
  const result = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI ${args.join(' ')} timed out; stderr: ${Buffer.concat(err).toString()}`));
    }, opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const lines = stdout.split('\n').filter((l) => l.length > 0);
      if (!opts.skipValidation) {
        for (const line of lines) {
          const problems = protocolProblems(line);
          if (problems.length) {
            reject(new Error(`stdout line is not a valid AirbyteMessage (${problems.join('; ')}): ${line.slice(0, 500)}`));
            return;
          }
        }
      }
      resolve({ code, stdout, stderr, messages: parseLines(lines), home });
    });
  });
  const messagesSoFar = () => parseLines(Buffer.concat(out).toString('utf8').split('\n').slice(0, -1));
  return { child, messagesSoFar, result };
}

function parseLines(lines: string[]): Array<Record<string, any>> {
  return lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, any>];
    } catch {
      return [];
    }
  });
}

export const ofType = (r: CliResult, type: string): Array<Record<string, any>> => r.messages.filter((m) => m.type === type);
