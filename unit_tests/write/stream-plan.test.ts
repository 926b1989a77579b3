import { parseConfig } from '../../src/config/load-config';
import type { ConfiguredStream } from '../../src/protocol/types';
import { targetObjectName, targetOperation } from '../../src/write/stream-plan';

const config = (extra: Record<string, unknown> = {}) =>
  parseConfig({ client_id: 'id', client_secret: 'secret-value', refresh_token: 'refresh-value', ...extra });
const stream = (extra: Partial<ConfiguredStream> = {}): ConfiguredStream => ({
  stream: { name: 'accounts', json_schema: {} },
  ...extra,
});

describe('targetObjectName', () => {
  test('table_name, else destination_object_name, else the stream name', () => {
    expect(targetObjectName(config({ table_name: 'Lead' }), stream({ destination_object_name: 'Account' }))).toBe('Lead');
    expect(targetObjectName(config(), stream({ destination_object_name: 'Account' }))).toBe('Account');
    expect(targetObjectName(config(), stream())).toBe('accounts');
  });
});

describe('targetOperation', () => {
  test.each([
    [{ destination_sync_mode: 'update' }, {}, { operation: 'update' }],
    [{ destination_sync_mode: 'soft_delete' }, {}, { operation: 'delete' }],
    [{ destination_sync_mode: 'append_dedup', primary_key: [['Ext_Id__c']] }, {}, { operation: 'upsert', key: 'Ext_Id__c' }],
    [{ destination_sync_mode: 'append_dedup' }, { external_id_name: 'Other__c' }, { operation: 'upsert', key: 'Other__c' }],
    [{ destination_sync_mode: 'append' }, { action: 'hard_delete' }, { operation: 'hardDelete' }],
    [{}, { action: 'upsert', external_id_name: 'Ext__c' }, { operation: 'upsert', key: 'Ext__c' }],
    [{}, {}, { operation: 'insert' }],
  ] as Array<[Partial<ConfiguredStream>, Record<string, unknown>, unknown]>)('%j with config %j → %j', (s, c, expected) => {
    expect(targetOperation(config(c), stream(s))).toEqual(expected);
  });

  test('a nested primary key is refused', () => {
    expect(() => targetOperation(config(), stream({ destination_sync_mode: 'append_dedup', primary_key: [['a', 'b']] }))).toThrow(/nested primary keys/);
  });

  test('overwrite is refused with a config error instead of appending or truncating', () => {
    let error: unknown;
    try {
      targetOperation(config(), stream({ destination_sync_mode: 'overwrite' }));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ failureType: 'config_error', message: expect.stringMatching(/overwrite sync mode is not supported/) });
  });
});
