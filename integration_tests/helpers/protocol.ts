/**
 * Validates what the connector prints against the official Airbyte protocol schema
 * (../shared/airbyte-protocol/airbyte_protocol.yaml, beside the repository; override with AIRBYTE_PROTOCOL_YAML).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as yaml from 'js-yaml';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export function protocolYamlPath(): string {
  return process.env.AIRBYTE_PROTOCOL_YAML ?? path.resolve(REPO_ROOT, '..', 'shared', 'airbyte-protocol', 'airbyte_protocol.yaml');
}

let cached: ValidateFunction | undefined;

function messageValidator(): ValidateFunction {
  if (cached) return cached;
  const schema = yaml.load(fs.readFileSync(protocolYamlPath(), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(schema, 'protocol');
  cached = ajv.getSchema('protocol#/definitions/AirbyteMessage');
  if (!cached) throw new Error('AirbyteMessage definition not found in protocol yaml');
  return cached;
}

const PAYLOAD_KEY: Record<string, string> = {
  RECORD: 'record',
  STATE: 'state',
  LOG: 'log',
  SPEC: 'spec',
  CONNECTION_STATUS: 'connectionStatus',
  CATALOG: 'catalog',
  TRACE: 'trace',
  CONTROL: 'control',
  DESTINATION_CATALOG: 'destination_catalog',
};

/** Returns the problems with one stdout line; empty when it is a valid AirbyteMessage. */
export function protocolProblems(line: string): string[] {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return [`not JSON: ${line.slice(0, 200)}`];
  }
  const validate = messageValidator();
  const problems: string[] = [];
  if (!validate(msg)) {
    for (const e of validate.errors ?? []) problems.push(`${e.instancePath} ${e.message}`);
  }
  const type = (msg as { type?: string }).type;
  const key = type ? PAYLOAD_KEY[type] : undefined;
  if (key && (msg as Record<string, unknown>)[key] === undefined) problems.push(`${type} message without "${key}"`);
  return problems;
}
