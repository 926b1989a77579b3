/**
 * Imported first by main.ts: stdout carries AirbyteMessages only, so every console method (log, info,
 * dir, table, count, …) of any library (jsforce, yargs' --help) writes to stderr, and the libraries'
 * own log switches are turned off.
 */
import { Console } from 'node:console';

process.env.JSFORCE_LOG_LEVEL = 'NONE';
process.env.SF_DISABLE_LOG_FILE = 'true';
process.env.SF_LOG_STDERR = 'true';

globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
