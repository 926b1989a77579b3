/**
 * Shared pieces of the acceptance suite (CAT's spec/connection checks and Airbyte's destination write
 * suites, carried in jest). Every run goes through runCli, so the same tests drive the built CLI or,
 * with DSF_CLI_RUNNER=image, the built image (files mounted by the helper, the stand-in on 127.0.0.1).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { type CliResult, jsonl, ofType, REPO_ROOT, RUNNER, runCli, writeTempJson } from '../helpers/cli';

export { REPO_ROOT, RUNNER };

/** Image runs start a container per command: allow for it. */
export const TEST_TIMEOUT_MS = RUNNER === 'image' ? 240_000 : 90_000;
export const CLI_TIMEOUT_MS = RUNNER === 'image' ? 200_000 : 60_000;

export const repoFile = (rel: string): string => path.join(REPO_ROOT, rel);
export const readJson = <T = any>(rel: string): T => JSON.parse(fs.readFileSync(repoFile(rel), 'utf8')) as T;

// ---------------------------------------------------------------------------------------------
// acceptance-test-config.yml
// ---------------------------------------------------------------------------------------------

export interface CatConfig {
  connector_image: string;
  acceptance_tests: {
    spec?: { tests: Array<{ spec_path: string; [k: string]: unknown }> };
    connection?: { tests: Array<{ config_path: string; status: 'succeed' | 'failed' | 'exception'; [k: string]: unknown }> };
    [suite: string]: unknown;
  };
  [k: string]: unknown;
}

export const CAT_CONFIG_PATH = 'acceptance-test-config.yml';
/** The config CAT reads for the `succeed` case; git-ignored, never written by this suite. */
export const SECRETS_CONFIG_PATH = 'secrets/config.json';

export function loadCatConfig(): CatConfig {
  return yaml.load(fs.readFileSync(repoFile(CAT_CONFIG_PATH), 'utf8')) as CatConfig;
}

// ---------------------------------------------------------------------------------------------
// Running the connector
// ---------------------------------------------------------------------------------------------

export async function runSpec(): Promise<CliResult> {
  return runCli(['spec'], { timeoutMs: CLI_TIMEOUT_MS });
}

export async function runCheck(config: unknown): Promise<CliResult> {
  return runCli(['check', '--config', writeTempJson(config, 'config.json')], { timeoutMs: CLI_TIMEOUT_MS });
}

/** Runs check on a file as it is (an absolute path; the image runner mounts its folder). */
export async function runCheckFile(file: string): Promise<CliResult> {
  return runCli(['check', '--config', file], { timeoutMs: CLI_TIMEOUT_MS });
}

export async function runWrite(config: unknown, catalog: unknown, messages: unknown[] | string): Promise<CliResult> {
  const configFile = writeTempJson(config, 'config.json');
  const catalogFile = writeTempJson(catalog, 'catalog.json');
  const stdin = typeof messages === 'string' ? messages : jsonl(messages);
  return runCli(['write', '--config', configFile, '--catalog', catalogFile], { stdin, timeoutMs: CLI_TIMEOUT_MS });
}

/** The one payload of the one message of `type`; fails the test with the output when there is not exactly one. */
export function single(r: CliResult, type: string): Record<string, any> {
  const found = ofType(r, type);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${type}, got ${found.length}; exit ${r.code}\nstdout:\n${r.stdout.slice(0, 4000)}\nstderr:\n${r.stderr.slice(0, 4000)}`);
  }
  return found[0] as Record<string, any>;
}

/** Fails with the CLI output when the run did not end cleanly (exit 0, no TRACE error). */
export function expectCleanExit(r: CliResult): void {
  const errors = ofType(r, 'TRACE').filter((t) => t.trace?.type === 'ERROR');
  if (r.code !== 0 || errors.length > 0) {
    throw new Error(
      `expected exit 0 without TRACE errors, got exit ${r.code} and ${errors.length} error(s)\n` +
        `stdout:\n${r.stdout.slice(0, 6000)}\nstderr:\n${r.stderr.slice(0, 6000)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Building input messages and catalogs
// ---------------------------------------------------------------------------------------------

export interface StreamRef {
  name: string;
  namespace?: string;
}

export interface StreamSpec extends StreamRef {
  /** destination_object_name; left out when undefined (the stream name is the object). */
  object?: string;
  /** JSON Schema properties of the stream (all strings unless given). */
  fields: string[] | Record<string, unknown>;
  destinationSyncMode?: 'append' | 'append_dedup' | 'update' | 'soft_delete';
  primaryKey?: string[][];
}

export function catalog(streams: StreamSpec[]): { streams: Array<Record<string, unknown>> } {
  return {
    streams: streams.map((s) => {
      const properties = Array.isArray(s.fields)
        ? Object.fromEntries(s.fields.map((f) => [f, { type: 'string' }]))
        : s.fields;
      const stream: Record<string, unknown> = {
        name: s.name,
        json_schema: { type: 'object', properties },
        supported_sync_modes: ['full_refresh', 'incremental'],
      };
      if (s.namespace !== undefined) stream.namespace = s.namespace;
      const configured: Record<string, unknown> = {
        stream,
        sync_mode: 'full_refresh',
        destination_sync_mode: s.destinationSyncMode ?? 'append',
      };
      if (s.object !== undefined) configured.destination_object_name = s.object;
      if (s.primaryKey !== undefined) configured.primary_key = s.primaryKey;
      return configured;
    }),
  };
}

const EMITTED_AT = 1_700_000_000_000;

export function record(stream: StreamRef, data: Record<string, unknown>): Record<string, unknown> {
  const rec: Record<string, unknown> = { stream: stream.name, data, emitted_at: EMITTED_AT };
  if (stream.namespace !== undefined) rec.namespace = stream.namespace;
  return { type: 'RECORD', record: rec };
}

const descriptor = (s: StreamRef): Record<string, string> => (s.namespace !== undefined ? { name: s.name, namespace: s.namespace } : { name: s.name });

let nextStateId = 1;

/**
 * A STREAM state as the platform sends it: an integer `id` injected by the orchestrator, the source's
 * count in sourceStats, and an unknown extra key that must come back untouched.
 */
export function streamState(stream: StreamRef, cursor: unknown, sourceCount: number): Record<string, any> {
  return {
    type: 'STATE',
    state: {
      type: 'STREAM',
      stream: { stream_descriptor: descriptor(stream), stream_state: { cursor } },
      sourceStats: { recordCount: sourceCount },
      id: nextStateId++,
      partition_id: `p-${nextStateId}`,
    },
  };
}

export function globalState(streams: StreamRef[], shared: unknown, sourceCount: number): Record<string, any> {
  return {
    type: 'STATE',
    state: {
      type: 'GLOBAL',
      global: {
        shared_state: shared,
        stream_states: streams.map((s) => ({ stream_descriptor: descriptor(s), stream_state: { done: true } })),
      },
      sourceStats: { recordCount: sourceCount },
      id: nextStateId++,
    },
  };
}

export function streamComplete(stream: StreamRef): Record<string, unknown> {
  return {
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: EMITTED_AT,
      stream_status: { stream_descriptor: descriptor(stream), status: 'COMPLETE' },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// State checks (reference §3; legacy DestinationAcceptanceTest + Bulk CDK BasicFunctionalityIntegrationTest)
// ---------------------------------------------------------------------------------------------

export interface EchoExpectation {
  /** The STATE message sent. */
  input: Record<string, any>;
  recordCount: number;
  rejectedRecordCount?: number;
}

/** Which sequence a STATE belongs to: its stream for STREAM states, one shared sequence for GLOBAL/LEGACY. */
export function stateSequence(state: Record<string, any>): string {
  if (state.type === 'STREAM') {
    const d = state.stream?.stream_descriptor ?? {};
    return `STREAM ${JSON.stringify([d.namespace ?? null, d.name])}`;
  }
  return String(state.type ?? 'LEGACY');
}

/**
 * Every input STATE comes back exactly once as it was sent (the orchestrator's `id`, sourceStats and
 * unknown keys included) plus destinationStats with the records (and rejected records) since the
 * previous state of its sequence; in input order within each sequence (per stream for STREAM states,
 * reference §3). Pass `globalOrder` to also require the input order across streams.
 */
export function expectStatesEchoed(r: CliResult, expected: EchoExpectation[], opts: { globalOrder?: boolean } = {}): void {
  const states = ofType(r, 'STATE').map((m) => m.state as Record<string, any>);
  const describe = (): string =>
    `\nstates out:\n${states.map((s) => JSON.stringify(s).slice(0, 600)).join('\n')}\nexit ${r.code}\nstderr:\n${r.stderr.slice(0, 4000)}`;
  if (states.length !== expected.length) throw new Error(`expected ${expected.length} STATE(s), got ${states.length}${describe()}`);
  const groups = new Map<string, { out: Array<Record<string, any>>; want: EchoExpectation[] }>();
  const group = (key: string): { out: Array<Record<string, any>>; want: EchoExpectation[] } => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { out: [], want: [] }));
    return g;
  };
  for (const s of states) group(stateSequence(s)).out.push(s);
  for (const e of expected) group(stateSequence(e.input.state)).want.push(e);
  const check = (out: Record<string, any> | undefined, e: EchoExpectation, where: string): void => {
    try {
      expect(out).toBeDefined();
      const { destinationStats, ...rest } = out as Record<string, any>;
      expect(rest).toEqual(e.input.state);
      expect(destinationStats).toBeDefined();
      expect(destinationStats.recordCount).toBe(e.recordCount);
      expect(destinationStats.rejectedRecordCount ?? 0).toBe(e.rejectedRecordCount ?? 0);
    } catch (err) {
      throw new Error(`${where}, input STATE id ${e.input.state.id}: ${(err as Error).message}${describe()}`);
    }
  };
  for (const [key, g] of groups) {
    if (g.out.length !== g.want.length) throw new Error(`${key}: expected ${g.want.length} STATE(s), got ${g.out.length}${describe()}`);
    g.want.forEach((e, i) => check(g.out[i], e, `${key} #${i + 1}`));
  }
  if (opts.globalOrder) expected.forEach((e, i) => check(states[i], e, `STATE #${i + 1}`));
}

/** Sum of recordCount and rejectedRecordCount over the echoed states. */
export function stateTotals(r: CliResult): { recordCount: number; rejectedRecordCount: number } {
  let recordCount = 0;
  let rejectedRecordCount = 0;
  for (const m of ofType(r, 'STATE')) {
    recordCount += Number(m.state?.destinationStats?.recordCount ?? 0);
    rejectedRecordCount += Number(m.state?.destinationStats?.rejectedRecordCount ?? 0);
  }
  return { recordCount, rejectedRecordCount };
}

/**
 * Nothing lost: every RECORD sent is counted once, as written or as rejected, and the written ones are
 * in the org (`landed` = rows of this sync found in the org).
 */
export function expectNothingLost(r: CliResult, sent: number, landed: number, rejected = 0): void {
  const totals = stateTotals(r);
  expect({ written: totals.recordCount, rejected: totals.rejectedRecordCount }).toEqual({ written: sent - rejected, rejected });
  expect(landed).toBe(sent - rejected);
}

export const countRecords = (messages: unknown[]): number =>
  messages.filter((m) => (m as { type?: string }).type === 'RECORD').length;

// ---------------------------------------------------------------------------------------------
// Spec checks (CAT test_core.py TestSpec, carried over)
// ---------------------------------------------------------------------------------------------

/** CAT's `secret_property_names` fixture: exact (lower-cased) property names that must be secret. */
export const CAT_SECRET_NAMES = [
  'client_token', 'access_token', 'api_token', 'token', 'secret', 'client_secret', 'password', 'key',
  'service_account_info', 'service_account', 'tenant_id', 'certificate', 'jwt', 'credentials', 'app_id',
  'appid', 'refresh_token', 'private_key', 'api_key', 'secret_key', 'access_key', 'secret_access_key',
];

/** Broader than CAT: any name that looks like it carries a secret. */
const SECRET_LOOKING = /secret|token|passw(or)?d|private|credential|(^|_)(api_?)?key(_|$)|jwt|certificate/i;
export function looksSecret(name: string): boolean {
  const lower = name.toLowerCase();
  return CAT_SECRET_NAMES.includes(lower) || SECRET_LOOKING.test(lower);
}

export type Schema = Record<string, any>;

export interface SchemaNode {
  /** JSON pointer-ish path, e.g. properties/object_storage_config/oneOf/1/properties/secret_access_key */
  path: string;
  /** The property name when the node is a property's schema. */
  property?: string;
  schema: Schema;
}

/** Every schema node (root, properties, items, oneOf/anyOf/allOf variants, definitions), keywords not confused with property names. */
export function schemaNodes(root: Schema): SchemaNode[] {
  const out: SchemaNode[] = [];
  const visit = (schema: unknown, p: string, property?: string): void => {
    if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
    const s = schema as Schema;
    out.push(property === undefined ? { path: p, schema: s } : { path: p, property, schema: s });
    const join = (...parts: Array<string | number>): string => [p, ...parts].filter((x) => x !== '').join('/');
    for (const key of ['properties', 'definitions', '$defs', 'patternProperties', 'dependentSchemas']) {
      const children = s[key];
      if (children && typeof children === 'object') {
        for (const [name, child] of Object.entries(children)) visit(child, join(key, name), key === 'properties' ? name : undefined);
      }
    }
    for (const key of ['oneOf', 'anyOf', 'allOf', 'prefixItems']) {
      if (Array.isArray(s[key])) (s[key] as unknown[]).forEach((child, i) => visit(child, join(key, i), property));
    }
    for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains']) {
      if (Array.isArray(s[key])) (s[key] as unknown[]).forEach((child, i) => visit(child, join(key, i)));
      else visit(s[key], join(key));
    }
  };
  visit(root, '');
  return out;
}

const typesOf = (s: Schema): string[] => (Array.isArray(s.type) ? (s.type as string[]) : s.type !== undefined ? [String(s.type)] : []);

/** CAT test_secret_is_properly_marked: a secret-looking property that can hold a secret (string/number/integer) is airbyte_secret. */
export function secretProblems(spec: Schema): string[] {
  return schemaNodes(spec)
    .filter((n) => n.property !== undefined && looksSecret(n.property))
    .filter((n) => typesOf(n.schema).some((t) => ['string', 'integer', 'number'].includes(t)) || n.schema.type === undefined)
    .filter((n) => n.schema.oneOf === undefined && n.schema.properties === undefined)
    .filter((n) => n.schema.airbyte_secret !== true)
    .map((n) => `${n.path} looks like a secret but is not airbyte_secret: true`);
}

/** CAT test_oneof_usage (strict form): parent type object, variants with properties, exactly one shared const property, no default/enum on it. */
export function oneOfProblems(spec: Schema): string[] {
  const problems: string[] = [];
  for (const node of schemaNodes(spec)) {
    for (const key of ['oneOf', 'anyOf'] as const) {
      const variants = node.schema[key] as Schema[] | undefined;
      if (!Array.isArray(variants)) continue;
      const at = `${node.path}/${key}`;
      if (node.schema.type !== 'object') problems.push(`${at}: the parent must have type: object (has ${JSON.stringify(node.schema.type)})`);
      if (variants.length === 0) problems.push(`${at}: no variants`);
      const props = variants.map((v) => (v && typeof v.properties === 'object' ? (v.properties as Record<string, Schema>) : undefined));
      props.forEach((p, i) => {
        if (!p) problems.push(`${at}/${i}: a variant without properties`);
      });
      if (props.some((p) => !p) || variants.length === 0) continue;
      const defined = props as Array<Record<string, Schema>>;
      const common = Object.keys(defined[0] as Record<string, Schema>).filter((name) => defined.every((p) => name in p));
      const constProps = common.filter((name) => defined.every((p) => 'const' in (p[name] as Schema)));
      if (constProps.length !== 1) {
        problems.push(`${at}: variants must share exactly one const property (found ${JSON.stringify(constProps)})`);
        continue;
      }
      const discriminator = constProps[0] as string;
      const values = defined.map((p) => (p[discriminator] as Schema).const);
      if (new Set(values.map((v) => JSON.stringify(v))).size !== values.length) problems.push(`${at}: ${discriminator} const values repeat: ${JSON.stringify(values)}`);
      defined.forEach((p, i) => {
        const d = p[discriminator] as Schema;
        if ('default' in d) problems.push(`${at}/${i}/properties/${discriminator}: the const property has a default`);
        if ('enum' in d) problems.push(`${at}/${i}/properties/${discriminator}: the const property has an enum`);
      });
    }
  }
  return problems;
}

export const FORBIDDEN_KEYWORDS = ['not', 'anyOf', 'patternProperties', 'prefixItems', 'allOf', 'if', 'then', 'else', 'dependentSchemas', 'dependentRequired'];

/** CAT test_forbidden_complex_types. */
export function forbiddenKeywordProblems(spec: Schema): string[] {
  return schemaNodes(spec).flatMap((n) => FORBIDDEN_KEYWORDS.filter((k) => k in n.schema).map((k) => `${n.path || '(root)'} uses ${k}`));
}

/** CAT test_property_type_is_not_array. */
export function typeArrayProblems(spec: Schema): string[] {
  return schemaNodes(spec)
    .filter((n) => n.property !== undefined && Array.isArray(n.schema.type))
    .map((n) => `${n.path}: type is an array ${JSON.stringify(n.schema.type)}`);
}

/** CAT test_object_not_empty, test_array_type, test_enum_usage, test_additional_properties_is_true. */
export function shapeProblems(spec: Schema): string[] {
  const problems: string[] = [];
  for (const n of schemaNodes(spec)) {
    const s = n.schema;
    const where = n.path || '(root)';
    if (s.type === 'object' && !s.properties && !s.oneOf && n.path !== '' && !/\/oneOf\/\d+$/.test(n.path)) {
      problems.push(`${where}: an object without properties or oneOf`);
    }
    if (s.type === 'object' && s.properties && typeof s.properties === 'object' && Object.keys(s.properties).length === 0 && !s.oneOf) {
      problems.push(`${where}: an object with empty properties`);
    }
    if (s.type === 'array') {
      if (!s.items || typeof s.items !== 'object' || Array.isArray(s.items)) problems.push(`${where}: an array needs one items schema`);
      else if (s.items.type === undefined) problems.push(`${where}: array items need a type`);
    }
    if (Array.isArray(s.enum) && new Set(s.enum.map((v: unknown) => JSON.stringify(v))).size !== s.enum.length) {
      problems.push(`${where}: enum values repeat`);
    }
    if ('additionalProperties' in s && s.additionalProperties !== true) {
      problems.push(`${where}: additionalProperties must be true when present (Airbyte adds keys to configs)`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------------------------

export interface DockerfileFacts {
  entrypoint: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
  user?: string;
  workdir?: string;
}

/** Splits `K=V K2="V 2"` (ENV/LABEL key=value form) into pairs, honouring double quotes and backslash escapes. */
function keyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) break;
    let key = '';
    while (i < text.length && text[i] !== '=' && !/\s/.test(text[i] as string)) key += text[i++];
    if (text[i] !== '=') throw new Error(`Dockerfile: expected key=value near "${text.slice(i - key.length, i + 20)}"`);
    i++;
    let value = '';
    let quote: string | undefined;
    while (i < text.length) {
      const c = text[i] as string;
      if (quote) {
        if (c === '\\' && quote === '"' && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        if (c === quote) quote = undefined;
        else value += c;
      } else if (c === '"' || c === "'") quote = c;
      else if (/\s/.test(c)) break;
      else value += c;
      i++;
    }
    out[key] = value;
  }
  return out;
}

/** The facts of the Dockerfile's last stage that CAT's test_docker_env and Airbyte's platform rely on. */
export function parseDockerfile(text: string): DockerfileFacts {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  let facts: DockerfileFacts = { entrypoint: [], env: {}, labels: {} };
  for (const line of logical) {
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const instruction = (m[1] as string).toUpperCase();
    const rest = m[2] as string;
    switch (instruction) {
      case 'FROM':
        facts = { entrypoint: [], env: {}, labels: {} }; // a new stage; only the last one is the image
        break;
      case 'ENV':
        Object.assign(facts.env, rest.includes('=') ? keyValues(rest) : { [rest.split(/\s+/)[0] as string]: rest.replace(/^\S+\s+/, '') });
        break;
      case 'LABEL':
        Object.assign(facts.labels, keyValues(rest));
        break;
      case 'ENTRYPOINT':
        facts.entrypoint = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : ['/bin/sh', '-c', rest];
        break;
      case 'USER':
        facts.user = rest;
        break;
      case 'WORKDIR':
        facts.workdir = rest;
        break;
    }
  }
  return facts;
}

/**
 * The built image's config (Entrypoint, Env, User, WorkingDir), for image runs: asked of the container
 * tool (`inspect`), or read from /tmp/dsf-image-config.json, which .ci/run writes just after the build.
 */
export function imageConfig(): { Entrypoint?: string[]; Env?: string[]; User?: string; WorkingDir?: string; Labels?: Record<string, string> } {
  const tool = path.resolve(REPO_ROOT, '..', 'shared', 'tools', 'container');
  try {
    return JSON.parse(execFileSync('bash', [tool, 'inspect'], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (err) {
    const saved = '/tmp/dsf-image-config.json';
    if (fs.existsSync(saved)) return JSON.parse(fs.readFileSync(saved, 'utf8'));
    throw new Error(`cannot read the image config (container inspect failed: ${(err as Error).message})`);
  }
}

export function envMap(env: string[] | undefined): Record<string, string> {
  return Object.fromEntries((env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}
