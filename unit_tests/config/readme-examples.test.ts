/**
 * The README's config and catalog examples are what users copy: every JSON block in it must parse,
 * and every config example must pass the same validation the connector runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../src/config/load-config';

const README = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'README.md'), 'utf8');
const blocks = [...README.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] as string);

// The examples elide values with "…"; fill them the way a user would.
const filled = (text: string): unknown => JSON.parse(text.replace(/"([^"]*)…([^"]*)"/g, (_m, a: string, b: string) => `"${a}example-value${b}"`));

describe('README examples', () => {
  test('there are examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
  });

  test.each(blocks.map((b, i) => [i, b]))('JSON block %i parses', (_i, block) => {
    expect(() => filled(block as string)).not.toThrow();
  });

  const configs = blocks.map((b) => filled(b) as Record<string, unknown>).filter((b) => !('streams' in b));
  test.each(configs.map((c, i) => [i, c]))('config example %i is a valid config', (_i, config) => {
    expect(() => parseConfig(config)).not.toThrow();
  });

  test('the auth flow of each example is the one its heading names', () => {
    expect(configs.map((c) => parseConfig(c).auth.type)).toEqual([
      'oauth2_refresh_token',
      'username_password',
      'client_credentials',
      'jwt_bearer',
      'oauth2_refresh_token',
      'oauth2_refresh_token',
      'oauth2_refresh_token', // mirror mode
    ]);
  });
});
