#!/usr/bin/env node
/**
 * The CLI: `spec`, `check --config F`, `discover --config F`, `write --config F --catalog F`.
 * Stdout carries AirbyteMessages only (through the Emitter); a failure is printed as a TRACE error
 * and the exit code is 1; a wrong command or flag prints usage on stderr and exits 2.
 */
import './quiet-env';
import { quickArgs } from './cli-args';
import { CancelSignals } from './commands/write-signals';
import { asConnectorError } from './errors';
import { Emitter } from './protocol/emitter';

export async function main(argv: string[]): Promise<number> {
  const emitter = new Emitter((line) => process.stdout.write(line));
  // The usual command lines are read without yargs; help and mistakes go through it (cli-usage.ts).
  const args = quickArgs(argv) ?? (await (await import('./cli-usage')).parseWithYargs(argv, (text) => process.stderr.write(text)));
  if (typeof args === 'number') return args;

  const { command } = args;
  try {
    // Each command loads only its own modules (spec needs no Salesforce, S3 or write code). The config's
    // secrets are registered for redaction by loadConfig, first thing in every command that reads it.
    switch (command) {
      case 'spec':
        (await import('./commands/spec')).specCommand(emitter);
        break;
      case 'check':
        await (await import('./commands/check')).checkCommand({ configPath: String(args.config), emitter });
        break;
      case 'discover':
        await (await import('./commands/discover')).discoverCommand({ configPath: String(args.config), emitter });
        break;
      case 'write': {
        // Before loading the write path, so a cancel that comes while it loads is not lost.
        const signals = new CancelSignals();
        await (await import('./commands/write')).writeCommand({
          configPath: String(args.config),
          catalogPath: String(args.catalog),
          emitter,
          input: process.stdin,
          signals,
        });
        break;
      }
    }
    return 0;
  } catch (err) {
    const e = asConnectorError(err);
    emitter.traceError(e);
    process.stderr.write(`${emitter.redact(`${e.failureType}: ${e.message}`)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => exitAfterFlush(code),
    (err: unknown) => {
      process.stderr.write(`Unexpected failure: ${(err as Error)?.message ?? String(err)}\n`);
      exitAfterFlush(1);
    },
  );
}

/** Lets stdout drain, then exits (idle keep-alive sockets must not hold the process open). */
function exitAfterFlush(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
