/**
 * Imported first by main.ts: stdout carries AirbyteMessages only, so libraries that log through
 * console (jsforce, yargs' --help) are sent to stderr, and their own log switches are turned off.
 */
import { format } from 'node:util';

process.env.JSFORCE_LOG_LEVEL = 'NONE';
process.env.SF_DISABLE_LOG_FILE = 'true';
process.env.SF_LOG_STDERR = 'true';

const toStderr = (...args: unknown[]): void => {
  process.stderr.write(`${format(...args)}\n`);
};
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;
console.warn = toStderr;
console.trace = toStderr;
