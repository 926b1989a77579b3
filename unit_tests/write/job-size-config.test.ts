/** The bulk_job_max_rows config key (the write path's row limit per ingest job). */
import { parseConfig } from '../../src/config/load-config';
import { ConnectorError } from '../../src/errors';
import { connectorSpec } from '../../src/config/spec';

const base = { client_id: 'client-id-1', refresh_token: 'refresh-token-1' };

const messageOf = (raw: unknown): string => {
  try {
    parseConfig(raw);
  } catch (e) {
    if (e instanceof ConnectorError) return e.message;
    throw e;
  }
  throw new Error('expected a config error');
};

describe('bulk_job_max_rows', () => {
  test('defaults to 100,000 and keeps a given value', () => {
    expect(parseConfig(base).bulkJobMaxRows).toBe(100_000);
    expect(parseConfig({ ...base, bulk_job_max_rows: 10_000 }).bulkJobMaxRows).toBe(10_000);
    expect(parseConfig({ ...base, bulk_job_max_rows: null }).bulkJobMaxRows).toBe(100_000);
  });

  test.each([
    [0, "'bulk_job_max_rows' must be >= 1"],
    [150_000_001, "'bulk_job_max_rows' must be <= 150000000"],
    [1.5, "'bulk_job_max_rows' must be an integer"],
  ])('%p is refused', (value, expected) => {
    expect(messageOf({ ...base, bulk_job_max_rows: value })).toContain(expected);
  });

  test('spec.json declares it next to bulk_job_max_mb', () => {
    const props = connectorSpec.connectionSpecification.properties ?? {};
    expect(props.bulk_job_max_rows).toMatchObject({ type: 'integer', default: 100_000, minimum: 1, maximum: 150_000_000 });
    expect(props.bulk_job_max_rows?.order).toBe((props.bulk_job_max_mb?.order as number) + 1);
  });
});
