import * as fs from 'node:fs';
import { SPEC_VALIDATOR_FILE, specValidatorSource } from '../../scripts/build-spec-validator';
import { connectorSpec, secretKeys, type JsonSchema } from '../../src/config/spec';

const props = connectorSpec.connectionSpecification.properties ?? {};

function walk(node: unknown, visit: (key: string, value: unknown, parent: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      visit(k, v, node as Record<string, unknown>);
      walk(v, visit);
    }
  }
}

describe('spec.json (Airbyte acceptance-test rules)', () => {
  it('marks every secret-looking key airbyte_secret', () => {
    const expected = ['client_secret', 'refresh_token', 'password', 'security_token', 'private_key', 'access_key_id', 'secret_access_key'];
    expect([...secretKeys()].sort()).toEqual(expected.sort());
  });

  it('gives every property a title, a description (or is a oneOf discriminator) and an order unique in its group', () => {
    const orders = new Set<string>();
    for (const [name, p] of Object.entries(props)) {
      expect([name, typeof p.title]).toEqual([name, 'string']);
      expect([name, typeof p.description]).toEqual([name, 'string']);
      const slot = `${String(p.group)}:${String(p.order)}`;
      expect([name, orders.has(slot)]).toEqual([name, false]);
      orders.add(slot);
    }
  });

  it('uses no forbidden complex keywords and only additionalProperties: true', () => {
    const forbidden = ['not', 'anyOf', 'allOf', 'patternProperties', 'prefixItems', 'if', 'then', 'else', 'dependentSchemas', 'dependentRequired'];
    walk(connectorSpec.connectionSpecification, (key, value, parent) => {
      if (parent === props) return;
      expect(forbidden).not.toContain(key);
      if (key === 'additionalProperties') expect(value).toBe(true);
      if (key === 'type' && value === 'object') expect(parent.properties !== undefined || parent.oneOf !== undefined).toBe(true);
    });
  });

  it('tells oneOf options apart by exactly one const property without default or enum', () => {
    const storage = props.object_storage_config as JsonSchema;
    expect(storage.type).toBe('object');
    const options = storage.oneOf ?? [];
    expect(options.map((o) => o.properties?.storage_type?.const)).toEqual(['None', 'S3']);
    const common = Object.keys(options[0]?.properties ?? {}).filter((k) => options.every((o) => o.properties?.[k]));
    const consts = common.filter((k) => options.every((o) => o.properties?.[k]?.const !== undefined));
    expect(consts).toEqual(['storage_type']);
    for (const o of options) {
      expect(o.properties?.storage_type?.default).toBeUndefined();
      expect(o.properties?.storage_type?.enum).toBeUndefined();
    }
  });

  it('declares the defaults the issue asks for', () => {
    expect(props.api_version?.default).toBe('62.0');
    expect(props.external_id_name?.default).toBe('Id');
    expect(props.bulk_job_max_mb).toMatchObject({ default: 100, maximum: 100, exclusiveMinimum: 0 });
    expect(connectorSpec.supported_destination_sync_modes).toEqual(['append', 'append_dedup', 'update', 'soft_delete', 'overwrite']);
  });

  it('is what the built validator checks: spec-validator.js was generated from this spec.json by the build', () => {
    expect(fs.readFileSync(SPEC_VALIDATOR_FILE, 'utf8')).toBe(specValidatorSource());
  });
});
