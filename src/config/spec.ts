/**
 * The connector specification (spec.json at the top of the repository, printed by `spec`)
 * and what other modules read from it: which keys hold secrets.
 */
import specJson from '../../spec.json';

export interface ConnectorSpec {
  documentationUrl: string;
  supported_destination_sync_modes: string[];
  protocol_version: string;
  connectionSpecification: JsonSchema;
}

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  oneOf?: JsonSchema[];
  airbyte_secret?: boolean;
  [key: string]: unknown;
}

export const connectorSpec: ConnectorSpec = specJson as unknown as ConnectorSpec;

/** Property names marked `airbyte_secret` anywhere in the spec (top level and oneOf options). */
export function secretKeys(schema: JsonSchema = connectorSpec.connectionSpecification): Set<string> {
  const keys = new Set<string>();
  const visit = (node: JsonSchema): void => {
    for (const [name, prop] of Object.entries(node.properties ?? {})) {
      if (prop.airbyte_secret === true) keys.add(name);
      visit(prop);
    }
    for (const option of node.oneOf ?? []) visit(option);
  };
  visit(schema);
  return keys;
}
