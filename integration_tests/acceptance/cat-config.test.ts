/**
 * acceptance-test-config.yml is what Airbyte's CAT would read: it must parse, use only the suites that
 * apply to a destination, and name files that exist and agree with this suite.
 */
import * as fs from 'node:fs';
import { CAT_CONFIG_PATH, loadCatConfig, readJson, repoFile, SECRETS_CONFIG_PATH } from './acceptance-helpers';
import { parseDockerfile } from './dockerfile-facts';

describe('acceptance-test-config.yml', () => {
  const cat = loadCatConfig();

  it('names the dev image of this connector', () => {
    expect(cat.connector_image).toBe('airbyte/destination-salesforce:dev');
    const labels = parseDockerfile(fs.readFileSync(repoFile('Dockerfile'), 'utf8')).labels;
    expect(cat.connector_image.split(':')[0]).toBe(labels['io.airbyte.name']);
  });

  it('declares only the suites CAT runs for a destination: spec and connection', () => {
    expect(Object.keys(cat.acceptance_tests).sort()).toEqual(['connection', 'spec']);
  });

  it('spec tests name an expected spec that exists and is a full ConnectorSpecification', () => {
    const tests = cat.acceptance_tests.spec?.tests ?? [];
    expect(tests.map((t) => t.spec_path)).toEqual(['integration_tests/expected_spec.json']);
    for (const { spec_path } of tests) {
      const spec = readJson(spec_path);
      expect(spec).toMatchObject({ connectionSpecification: { type: 'object' } });
      expect(spec.documentationUrl).toEqual(expect.any(String));
    }
  });

  it('connection tests: secrets/config.json succeeds, integration_tests/invalid_config.json fails', () => {
    expect(cat.acceptance_tests.connection?.tests).toEqual([
      { config_path: SECRETS_CONFIG_PATH, status: 'succeed' },
      { config_path: 'integration_tests/invalid_config.json', status: 'failed' },
    ]);
    expect(readJson('integration_tests/invalid_config.json')).toEqual(expect.any(Object));
  });

  it('secrets/ is git-ignored (CAT reads credentials from there; they never get committed)', () => {
    const ignored = fs.readFileSync(repoFile('.gitignore'), 'utf8').split(/\r?\n/).map((l) => l.trim());
    expect(ignored.some((l) => l === 'secrets/' || l === 'secrets' || l === '/secrets/' || l === 'secrets/*')).toBe(true);
  });

  it('the sample configured catalog and messages belong together', () => {
    const catalog = readJson('integration_tests/configured_catalog.json');
    const names = new Set<string>(catalog.streams.map((s: any) => s.stream.name));
    const lines = fs.readFileSync(repoFile('integration_tests/sample_messages.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const messages = lines.map((l) => JSON.parse(l) as Record<string, any>);
    expect(messages.filter((m) => m.type === 'RECORD').length).toBeGreaterThan(0);
    for (const m of messages) {
      if (m.type === 'RECORD') expect(names.has(m.record.stream)).toBe(true);
      if (m.type === 'STATE') expect(names.has(m.state.stream.stream_descriptor.name)).toBe(true);
    }
    for (const s of catalog.streams) {
      expect(s).toMatchObject({ sync_mode: expect.any(String), destination_sync_mode: expect.any(String), stream: { json_schema: { type: 'object' } } });
    }
  });

  it('is found at the repository top', () => {
    expect(fs.existsSync(repoFile(CAT_CONFIG_PATH))).toBe(true);
  });
});
