/**
 * CAT's spec suite for a destination (connector_acceptance_test TestSpec), run against the CLI or the
 * image: one SPEC, a valid JSON Schema equal to the golden expected spec, secrets marked, oneOf with
 * one const discriminator, no forbidden keywords, no type arrays, AIRBYTE_ENTRYPOINT == ENTRYPOINT.
 */
import * as fs from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { CliResult } from '../helpers/cli';
import { loadCatConfig, readJson, repoFile, RUNNER, runSpec, SECRETS_CONFIG_PATH, single, TEST_TIMEOUT_MS } from './acceptance-helpers';
import { envMap, imageConfig, parseDockerfile } from './dockerfile-facts';
import {
  forbiddenKeywordProblems,
  looksSecret,
  oneOfProblems,
  schemaNodes,
  secretProblems,
  shapeProblems,
  typeArrayProblems,
} from './spec-rules';

jest.setTimeout(TEST_TIMEOUT_MS);

let result: CliResult;
let spec: Record<string, any>;
let connectionSpecification: Record<string, any>;

beforeAll(async () => {
  result = await runSpec();
  spec = single(result, 'SPEC').spec as Record<string, any>;
  connectionSpecification = spec.connectionSpecification as Record<string, any>;
});

const compile = (schema: object): ReturnType<Ajv['compile']> => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
};

describe('spec (CAT TestSpec)', () => {
  it('prints exactly one SPEC, nothing else on stdout, exit 0', () => {
    expect(result.code).toBe(0);
    expect(result.messages.map((m) => m.type)).toEqual(['SPEC']);
    expect(typeof spec.documentationUrl).toBe('string');
    expect(spec.supported_destination_sync_modes).toEqual(expect.arrayContaining(['append']));
  });

  it('connectionSpecification is a valid draft-07 JSON Schema (test_config_match_spec compiles it)', () => {
    expect(connectionSpecification.type).toBe('object');
    expect(() => compile(connectionSpecification)).not.toThrow();
    // Every $ref resolves (test_defined_refs_exist_in_json_spec_file): compile fails otherwise; none is expected anyway.
    expect(JSON.stringify(connectionSpecification)).not.toContain('"$ref"');
  });

  it('matches the golden integration_tests/expected_spec.json (test_match_expected)', () => {
    const specPaths = loadCatConfig().acceptance_tests.spec?.tests.map((t) => t.spec_path) ?? [];
    expect(specPaths.length).toBeGreaterThan(0);
    for (const specPath of specPaths) {
      // On drift: regenerate with `node dist/src/main.js spec` and review the diff (the spec is a contract).
      expect(spec).toEqual(readJson(specPath));
    }
  });

  it('marks every secret-looking property airbyte_secret (test_secret_is_properly_marked)', () => {
    expect(secretProblems(connectionSpecification)).toEqual([]);
    // The check itself sees the known secrets, and leaves the look-alikes alone.
    const secretNames = schemaNodes(connectionSpecification).filter((n) => n.property && looksSecret(n.property)).map((n) => n.property);
    expect(secretNames).toEqual(
      expect.arrayContaining(['client_secret', 'refresh_token', 'password', 'security_token', 'private_key', 'secret_access_key', 'access_key_id']),
    );
    for (const plain of ['external_id_name', 'api_version', 'client_id', 'username', 'domain', 'bulk_job_max_mb']) expect(looksSecret(plain)).toBe(false);
  });

  it('secret checks catch an unmarked secret (self-test)', () => {
    const bad = { type: 'object', properties: { api_key: { type: 'string' }, nested: { type: 'object', oneOf: [{ properties: { t: { const: 'a' }, client_secret: { type: 'string' } } }] } } };
    expect(secretProblems(bad)).toHaveLength(2);
  });

  it('uses oneOf as CAT requires: parent type object, variants with properties, one shared const, no default/enum on it (test_oneof_usage)', () => {
    expect(oneOfProblems(connectionSpecification)).toEqual([]);
    const withOneOf = schemaNodes(connectionSpecification).filter((n) => Array.isArray(n.schema.oneOf));
    expect(withOneOf.map((n) => n.property)).toContain('object_storage_config');
    // Self-test: Airbyte's own DLQ shape (enum + default on storage_type) is refused.
    const dlq = {
      type: 'object',
      properties: {
        s: {
          type: 'object',
          oneOf: [
            { properties: { storage_type: { type: 'string', enum: ['None'], default: 'None' } } },
            { properties: { storage_type: { type: 'string', enum: ['S3'], default: 'S3' } } },
          ],
        },
      },
    };
    expect(oneOfProblems(dlq).length).toBeGreaterThan(0);
  });

  it('uses none of the forbidden keywords (test_forbidden_complex_types)', () => {
    expect(forbiddenKeywordProblems(connectionSpecification)).toEqual([]);
  });

  it('has no property whose type is an array (test_property_type_is_not_array)', () => {
    expect(typeArrayProblems(connectionSpecification)).toEqual([]);
  });

  it('objects are not empty, arrays have typed items, enums are distinct, additionalProperties is true where set', () => {
    expect(shapeProblems(connectionSpecification)).toEqual([]);
  });

  it('has no advanced_auth to check (test_oauth_flow_parameters does not apply)', () => {
    expect(spec.advanced_auth).toBeUndefined();
  });

  it('the configs the suite uses validate against the spec (test_config_match_spec)', () => {
    const validate = compile(connectionSpecification);
    const fixture = readJson('integration_tests/fixtures/airbyte_config.json');
    expect(validate(fixture) ? [] : validate.errors).toEqual([]);
    // secrets/config.json is what CAT reads for the succeed case; when someone has put one there, it must fit the spec.
    if (fs.existsSync(repoFile(SECRETS_CONFIG_PATH))) {
      const secrets = readJson(SECRETS_CONFIG_PATH);
      expect(validate(secrets) ? [] : validate.errors).toEqual([]);
    }
  });

  it('AIRBYTE_ENTRYPOINT equals the ENTRYPOINT joined by spaces (test_docker_env)', () => {
    if (RUNNER === 'image') {
      const config = imageConfig();
      expect(Array.isArray(config.Entrypoint) && config.Entrypoint.length > 0).toBe(true);
      expect(envMap(config.Env).AIRBYTE_ENTRYPOINT).toBe((config.Entrypoint as string[]).join(' '));
      expect(String(config.User)).toMatch(/^1000(:1000)?$/);
      expect(config.WorkingDir).toBe('/dest');
      return;
    }
    const docker = parseDockerfile(fs.readFileSync(repoFile('Dockerfile'), 'utf8'));
    expect(docker.entrypoint.length).toBeGreaterThan(0);
    expect(docker.env.AIRBYTE_ENTRYPOINT).toBe(docker.entrypoint.join(' '));
    // Absolute paths (reference §6), and the script is the CLI this suite runs.
    expect(docker.entrypoint.every((part, i) => i === 0 || part.startsWith('/'))).toBe(true);
    expect(docker.entrypoint[docker.entrypoint.length - 1]).toMatch(/\/dist\/src\/main\.js$/);
    expect(docker.user).toMatch(/^1000(:1000)?$/);
    expect(docker.workdir).toBe('/dest');
  });

  it('the Dockerfile parser reads continued ENV lines and quoted values (self-test)', () => {
    const facts = parseDockerfile(
      'FROM a AS b\nENTRYPOINT ["x"]\nFROM c\nENV A=1 \\\n    B="two words" \\\n    AIRBYTE_ENTRYPOINT="node /app/m.js"\nENTRYPOINT ["node", "/app/m.js"]\n',
    );
    expect(facts.env).toEqual({ A: '1', B: 'two words', AIRBYTE_ENTRYPOINT: 'node /app/m.js' });
    expect(facts.entrypoint).toEqual(['node', '/app/m.js']);
  });
});
