/**
 * The CLI's commands and their flags, and the quick reading of the usual command lines (what Airbyte
 * runs: `write --config F --catalog F`, …) without loading yargs. Anything else — help, a mistake, an
 * unusual spelling — returns undefined and goes to yargs (cli-usage.ts), which prints the usage; a unit
 * test checks that every line read here reads the same through yargs.
 */
export const COMMANDS = {
  spec: [],
  check: ['config'],
  discover: ['config'],
  write: ['config', 'catalog'],
} as const satisfies Record<string, readonly string[]>;

export type Command = keyof typeof COMMANDS;

export interface CliArgs {
  command: Command;
  config?: string;
  catalog?: string;
}

/**
 * `<command>` then each of its flags exactly once, as `--flag value` or `--flag=value`, every value
 * non-empty and not starting with `-`; else undefined.
 */
export function quickArgs(argv: readonly string[]): CliArgs | undefined {
  const [command, ...rest] = argv;
  if (command === undefined || !Object.hasOwn(COMMANDS, command)) return undefined;
  const flags: readonly string[] = COMMANDS[command as Command];
  const values = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const m = /^--([a-z]+)(?:=(.*))?$/s.exec(rest[i] as string);
    const name = m?.[1];
    const value = m?.[2] ?? rest[++i];
    if (!name || !flags.includes(name) || values.has(name) || !value || value.startsWith('-')) return undefined;
    values.set(name, value);
  }
  if (values.size !== flags.length) return undefined;
  return { command: command as Command, ...Object.fromEntries(values) };
}
