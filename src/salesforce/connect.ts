// STUB (owned by the foundation work): authenticates and returns the SalesforceApi port.
import type { DestinationConfig } from '../config/destination-config';
import type { Emitter } from '../protocol/emitter';
import type { SalesforceApi } from './salesforce-api';

export async function connect(_config: DestinationConfig, _emitter: Emitter): Promise<SalesforceApi> {
  throw new Error('connect: not implemented yet');
}
