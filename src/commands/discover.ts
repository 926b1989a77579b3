/** `discover --config FILE`: one DESTINATION_CATALOG of what this org lets us write (issue 6). */
import { loadConfig } from '../config/load-config';
import { discoverOperations } from '../discover/discover-objects';
import { asConnectorError } from '../errors';
import type { Emitter } from '../protocol/emitter';
import { connect } from '../salesforce/connect';
import { RestDescriber } from '../salesforce/describer';

export interface DiscoverCommandOptions {
  configPath: string;
  emitter: Emitter;
}

/** Prints exactly one DESTINATION_CATALOG; throws a ConnectorError on failure. */
export async function discoverCommand(opts: DiscoverCommandOptions): Promise<void> {
  const { emitter } = opts;
  try {
    // With the emitter, secrets are registered for redaction before the config is even validated.
    const config = loadConfig(opts.configPath, emitter);
    emitter.addSecrets(config.secrets);
    const api = await connect(config, emitter);
    const operations = await discoverOperations({
      describer: new RestDescriber(api),
      logger: emitter,
      discoverObjects: config.discoverObjects,
    });
    emitter.destinationCatalog(operations);
  } catch (err) {
    throw asConnectorError(err);
  }
}
