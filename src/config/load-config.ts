// STUB (owned by the foundation work): reads a config file, validates it against spec.json, normalises it.
import type { DestinationConfig } from './destination-config';

export function loadConfig(_file: string): DestinationConfig {
  throw new Error('loadConfig: not implemented yet');
}
