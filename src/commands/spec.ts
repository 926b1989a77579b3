/** `spec`: prints the connector specification (spec.json) as one SPEC message. */
import { connectorSpec } from '../config/spec';
import type { Emitter } from '../protocol/emitter';

export function specCommand(emitter: Emitter): void {
  emitter.spec(connectorSpec as unknown as Record<string, unknown>);
}
