/** `discover --config FILE`: one DESTINATION_CATALOG of what this org lets us write (issue 6). */
import { loadConfig } from '../config/load-config';
import { discoverOperations } from '../discover/discover-objects';
import type { Emitter } from '../protocol/emitter';
import { connect } from '../salesforce/connect';
import { RestDescriber } from '../salesforce/describer';

export interface DiscoverCommandOptions {
  configPath: string;
  emitter: Emitter;
}

/** Prints exactly one DESTINATION_CATALOG; a failure is thrown for main.ts to print as a TRACE. */
export async function discoverCommand(opts: DiscoverCommandOptions): Promise<void> {
  const { emitter } = opts;
  // loadConfig registers the config's secrets for redaction before it even validates the config.
  const config = loadConfig(opts.configPath, emitter);
  const api = await connect(config, emitter);
  const operations = await discoverOperations({
    describer: new RestDescriber(api),
    logger: emitter,
    discoverObjects: config.discoverObjects,
  });
  emitter.destinationCatalog(operations);
}
