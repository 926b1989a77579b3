/**
 * The CLI's full argument parser (yargs): help, usage and every spelling yargs accepts. main.ts loads it
 * only for a command line that cli-args.ts's quick reading does not take (yargs costs ~30 ms of start-up).
 */
import yargs from 'yargs';
import type { CliArgs, Command } from './cli-args';

/** The arguments, or the exit code when there is nothing to run: 0 after --help, 2 after a usage error (usage printed). */
export async function parseWithYargs(argv: string[], stderr: (text: string) => void): Promise<CliArgs | number> {
  let usageError: string | undefined;
  const parser = yargs(argv)
    .scriptName('destination-salesforce')
    .usage('Usage: $0 <command> [options]')
    .command('spec', 'Print the connector specification')
    .command('check', 'Check the config and the connection to Salesforce', (y) =>
      y.option('config', { type: 'string', demandOption: true, describe: 'Config JSON file' }),
    )
    .command('discover', 'Print the objects and operations this destination can write', (y) =>
      y.option('config', { type: 'string', demandOption: true, describe: 'Config JSON file' }),
    )
    .command('write', 'Write the AirbyteMessages read from stdin', (y) =>
      y
        .option('config', { type: 'string', demandOption: true, describe: 'Config JSON file' })
        .option('catalog', { type: 'string', demandOption: true, describe: 'Configured catalog JSON file' }),
    )
    .demandCommand(1, 1, 'Give one command: spec, check, discover or write.')
    .strict()
    .version(false)
    .help()
    .exitProcess(false)
    .fail((msg, err) => {
      usageError = msg ?? err?.message ?? 'invalid arguments';
    });

  let args: { _: Array<string | number>; config?: string; catalog?: string; help?: boolean };
  try {
    args = (await parser.parseAsync()) as typeof args;
  } catch (err) {
    usageError ??= (err as Error).message;
    args = { _: [] };
  }
  if (usageError !== undefined) {
    parser.showHelp((text) => stderr(`${text}\n`));
    stderr(`\n${usageError}\n`);
    return 2;
  }
  if (args.help) return 0;
  return {
    command: String(args._[0]) as Command,
    ...(args.config !== undefined ? { config: String(args.config) } : {}),
    ...(args.catalog !== undefined ? { catalog: String(args.catalog) } : {}),
  };
}
