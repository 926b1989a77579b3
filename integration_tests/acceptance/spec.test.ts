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
import { advancedAuthProblems, formLayoutProblems } from './spec-form-rules';

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

  it('lays the form out in groups, each key with a group and an order of its own (README "Adding a config key")', () => {
    expect(formLayoutProblems(connectionSpecification)).toEqual([]);
    expect((connectionSpecification.groups as Array<{ id: string }>).map((g) => g.id)).toEqual(['auth', 'destination', 'rejects', 'tuning']);
    // The credentials and the target are on show; tuning knobs stay folded (optional, no always_show).
    const props = connectionSpecification.properties as Record<string, Record<string, unknown>>;
    const shown = Object.keys(props).filter((k) => props[k]?.always_show === true);
    expect(shown).toEqual(expect.arrayContaining(['domain', 'client_id', 'client_secret', 'auth_type', 'table_name', 'action', 'allow_failures']));
    expect(Object.keys(props).filter((k) => props[k]?.group === 'tuning' && props[k]?.always_show)).toEqual([]);
  });

  it('form layout checks name the key and the fix (self-test)', () => {
    const bad = {
      groups: [{ id: 'auth', title: 'A' }, { id: 'tuning', title: 'T' }, { id: 'empty', title: 'E' }],
      properties: { a: { group: 'auth', order: 0 }, b: { group: 'auth', order: 0 }, c: { order: 1 }, d: { group: 'tuning' } },
    };
    expect(formLayoutProblems(bad)).toEqual([
      expect.stringContaining(`'b' and 'a' both have "order": 0 in group auth: give 'b' "order": 1`),
      expect.stringContaining(`'c' has no valid "group"`),
      expect.stringContaining(`'d' has no valid "order" (has undefined): add "order": 0`),
      'group empty has no property',
    ]);
    expect(formLayoutProblems({ properties: {} })).toEqual([expect.stringContaining('no "groups"')]);
  });

  it('declares advanced_auth whose every path exists in the connection specification (test_oauth_flow_parameters)', () => {
    expect(advancedAuthProblems(spec)).toEqual([]);
    expect(spec.advanced_auth).toMatchObject({ auth_flow_type: 'oauth2.0', predicate_key: ['auth_type'], predicate_value: 'Client' });
    const input = spec.advanced_auth.oauth_config_specification.oauth_connector_input_specification;
    expect(input.consent_url).toContain('/services/oauth2/authorize?response_type=code&');
    expect(input.consent_url).toContain('&code_challenge_method=S256');
    expect(input.access_token_url).toMatch(/\/services\/oauth2\/token$/);
    expect(input.access_token_params).toMatchObject({ grant_type: 'authorization_code', code_verifier: '{{ state_value }}' });
    // RFC 7636: a code_verifier has 43 to 128 characters, and the state doubles as the verifier.
    expect(input.state.min).toBeGreaterThanOrEqual(43);
    expect(input.state.max).toBeLessThanOrEqual(128);
    expect(input.scope.split(' ')).toEqual(expect.arrayContaining(['api', 'refresh_token']));
  });

  it('advanced_auth checks catch wrong paths, predicates, secrets and templates (self-test)', () => {
    const bad = structuredClone(spec);
    const o = bad.advanced_auth.oauth_config_specification;
    bad.advanced_auth.predicate_value = 'Nope';
    o.complete_oauth_output_specification.properties.refresh_token.path_in_connector_config = ['credentials', 'refresh_token'];
    o.oauth_user_input_from_connector_config_specification.properties.is_sandbox.type = 'string';
    o.complete_oauth_server_output_specification.properties.client_secret.path_in_connector_config = ['client_id'];
    o.oauth_connector_input_specification.consent_url += '&x={{ domian }}&y={{ client_secret_value }}';
    o.oauth_connector_input_specification.access_token_url = '{% elif x %}';
    o.oauth_connector_input_specification.access_token_params.code = '{{ auth_code_value | lower }}';
    expect(advancedAuthProblems(bad)).toEqual([
      expect.stringContaining('predicate_value "Nope"'),
      expect.stringContaining('is_sandbox has type "string"'),
      expect.stringContaining('refresh_token: path_in_connector_config ["credentials","refresh_token"] is not a property'),
      expect.stringContaining('client_secret writes a secret into ["client_id"]'),
      expect.stringContaining('consent_url uses {{ domian }}'),
      'consent_url must not carry the client secret',
      expect.stringContaining('access_token_url: tag {% elif x %} is not allowed'),
      expect.stringContaining('access_token_params.code: filter lower is not allowed'),
    ]);
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
    // Absolute paths (reference §6; node's own flags, such as the old-generation size, are not paths), and the
    // script is the CLI this suite runs.
    expect(docker.entrypoint.every((part, i) => i === 0 || part.startsWith('/') || /^--[a-z-]+(=\S+)?$/.test(part))).toBe(true);
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
