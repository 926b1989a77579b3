import { parseCatalog } from '../../src/config/load-catalog';
import { ConnectorError } from '../../src/errors';

const stream = (extra: Record<string, unknown> = {}) => ({ stream: { name: 's', json_schema: {} }, ...extra });

test('a valid catalog is returned as is', () => {
  const cat = { streams: [stream({ destination_sync_mode: 'append_dedup', primary_key: [['Ext_Id__c']], id: 1 })] };
  expect(parseCatalog(cat)).toEqual(cat);
});

test.each([
  [null, 'streams'],
  [{ streams: [{}] }, 'stream'],
  [{ streams: [{ stream: { json_schema: {} } }] }, 'name'],
  [{ streams: [{ stream: { name: 's' } }] }, 'json_schema'],
  [{ streams: [stream({ destination_sync_mode: 'mirror' })] }, 'destination_sync_mode'],
  [{ streams: [stream({ primary_key: 'id' })] }, 'primary_key'],
  [{ streams: [stream(), stream()] }, 'twice'],
])('%j is a config_error (%s)', (value, what) => {
  let err: unknown;
  try {
    parseCatalog(value);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConnectorError);
  expect((err as ConnectorError).failureType).toBe('config_error');
  expect((err as ConnectorError).message).toContain(what);
});
