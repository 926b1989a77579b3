/**
 * Validates a raw config against spec.json with ajv, after the clean-ups the platform and other tools
 * need (null optional keys dropped, Airbyte's object-shaped `format` accepted). The validator is ajv's
 * standalone code generated at build time (scripts/build-spec-validator.ts): no schema compiling at start.
 * Errors name the field and what is expected, never the value (it may be a secret).
 */
import type { ErrorObject } from 'ajv';
import { configError } from '../errors';
import { connectorSpec, type JsonSchema } from './spec';
import validateSpec from './spec-validator';

export type RawConfig = Record<string, unknown>;

/** Drops null values (the platform injects them for unset optional keys) and normalises known aliases. */
export function prepareRawConfig(raw: unknown): RawConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw configError('Config validation error: the config must be a JSON object.');
  }
  const config = stripNulls(raw as RawConfig);
  const storage = config.object_storage_config;
  if (isObject(storage) && isObject(storage.format)) {
    // Airbyte's S3 spec nests the format: {"format_type": "JSONL" | "CSV", ...}.
    const type = storage.format.format_type;
    config.object_storage_config = { ...storage, format: typeof type === 'string' ? type.toLowerCase() : 'jsonl' };
  }
  return config;
}

export function validateRawConfig(config: RawConfig): void {
  if (validateSpec(config)) return;
  const problems = describeErrors(validateSpec.errors ?? [], config);
  throw configError(`Config validation error: ${problems.join('; ')}`);
}

function stripNulls(obj: RawConfig): RawConfig {
  const out: RawConfig = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === null || value === undefined) continue;
    out[key] = isObject(value) ? stripNulls(value) : value;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describeErrors(errors: ErrorObject[], config: RawConfig): string[] {
  const out: string[] = [];
  for (const e of errors) {
    if (e.schemaPath.includes('/oneOf/')) continue; // reported through their oneOf error
    const text = e.keyword === 'oneOf' ? describeOneOf(e, errors, config) : [describe(e)];
    for (const t of text) if (!out.includes(t)) out.push(t);
  }
  return out.length ? out : ['the config does not match the specification'];
}

/** A oneOf option is chosen by its `const` property (storage_type); report that option's errors. */
function describeOneOf(e: ErrorObject, all: ErrorObject[], config: RawConfig): string[] {
  const options = schemaAt(e.schemaPath) as JsonSchema[] | undefined;
  const data = valueAt(config, e.instancePath);
  const field = dotted(e.instancePath);
  if (!options || !isObject(data)) return [`'${field}' must be an object`];
  const discriminator = Object.keys(options[0]?.properties ?? {}).find((k) =>
    options.every((o) => o.properties?.[k]?.const !== undefined),
  );
  if (!discriminator) return [`'${field}' does not match any of its options`];
  const allowed = options.map((o) => String(o.properties?.[discriminator]?.const));
  const index = allowed.indexOf(String(data[discriminator]));
  if (data[discriminator] === undefined) return [`'${field}.${discriminator}' is required (one of: ${allowed.join(', ')})`];
  if (index < 0) return [`'${field}.${discriminator}' must be one of: ${allowed.join(', ')}`];
  const prefix = `${e.schemaPath}/${index}/`;
  const inner = all.filter((x) => x.schemaPath.startsWith(prefix) && !x.schemaPath.slice(prefix.length).includes('/oneOf/'));
  return inner.length ? inner.map(describe) : [`'${field}' does not match the ${allowed[index]} option`];
}

function describe(e: ErrorObject): string {
  const field = dotted(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `'${field ? `${field}.` : ''}${String(p.missingProperty)}' is required`;
    case 'type':
      return `'${field}' must be ${article(String(p.type))}`;
    case 'enum':
      return `'${field}' must be one of: ${((p.allowedValues as unknown[]) ?? []).join(', ')}`;
    case 'const':
      return `'${field}' must be ${JSON.stringify(p.allowedValue)}`;
    case 'maximum':
    case 'minimum':
    case 'exclusiveMaximum':
    case 'exclusiveMinimum':
      return `'${field}' must be ${String(p.comparison)} ${String(p.limit)}`;
    case 'pattern':
      return field === 'api_version'
        ? `'api_version' must be a version like "62.0"`
        : `'${field}' must match the pattern ${String(p.pattern)}`;
    default:
      return `'${field}' ${e.message ?? 'is invalid'}`;
  }
}

function article(type: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    integer: 'an integer',
    boolean: 'true or false',
    object: 'an object',
    array: 'an array',
  };
  return names[type] ?? type;
}

/** "/object_storage_config/s3_bucket_name" → "object_storage_config.s3_bucket_name"; array indexes as [n]. */
function dotted(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}

function valueAt(root: unknown, instancePath: string): unknown {
  let node: unknown = root;
  for (const s of instancePath.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[s.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

function schemaAt(schemaPath: string): unknown {
  return valueAt(connectorSpec.connectionSpecification, schemaPath.replace(/^#/, ''));
}
