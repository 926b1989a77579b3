import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, ofType, runCli } from '../helpers/cli';
import { expectNoLeaks } from './cli-checks';

describe('destination-salesforce spec', () => {
  it('prints exactly one SPEC equal to spec.json and nothing else', async () => {
    const result = await runCli(['spec']);
    expect(result.code).toBe(0);
    expect(result.messages).toHaveLength(1);
    const [spec] = ofType(result, 'SPEC');
    expect(spec?.spec).toEqual(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'spec.json'), 'utf8')));
    expect(spec?.spec.connectionSpecification.properties.client_secret.airbyte_secret).toBe(true);
    expect(spec?.spec.supported_destination_sync_modes).toEqual(['append', 'append_dedup', 'update', 'soft_delete', 'overwrite']);
    expect(result.stderr).toBe('');
    expectNoLeaks(result, []);
  });
});

describe('wrong usage', () => {
  it.each([
    [['frobnicate'], 'Unknown argument: frobnicate'],
    [[], 'Give one command'],
    [['check'], 'Missing required argument: config'],
    [['write', '--config', 'c.json'], 'Missing required argument: catalog'],
    [['spec', '--bogus'], 'Unknown argument: bogus'],
    [['check', '--config', 'c.json', '--verbose'], 'Unknown argument: verbose'],
  ])('given %j then usage goes to stderr and the exit code is non-zero', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stdout).toBe('');
    // usage: the command list, or the options of the command given
    expect(result.stderr).toMatch(/Usage: destination-salesforce <command>|destination-salesforce (spec|check|discover|write)\n/);
    expect(result.stderr).toContain('Options:');
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('given --help then the help goes to stderr, not stdout', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('destination-salesforce check');
  });
});
