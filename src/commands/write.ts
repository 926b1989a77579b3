// STUB (owned by the write-path work).
import type { Emitter } from '../protocol/emitter';

export interface WriteCommandOptions {
  configPath: string;
  catalogPath: string;
  emitter: Emitter;
  input: NodeJS.ReadableStream;
}

/** Runs a whole sync; throws a ConnectorError on failure (main prints it as a TRACE and exits 1). */
export async function writeCommand(_opts: WriteCommandOptions): Promise<void> {
  throw new Error('write: not implemented yet');
}
