// STUB (owned by the discover work).
import type { Emitter } from '../protocol/emitter';

export interface DiscoverCommandOptions {
  configPath: string;
  emitter: Emitter;
}

/** Prints exactly one DESTINATION_CATALOG; throws a ConnectorError on failure. */
export async function discoverCommand(_opts: DiscoverCommandOptions): Promise<void> {
  throw new Error('discover: not implemented yet');
}
