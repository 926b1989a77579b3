import { parseConfig } from '../../src/config/load-config';
import type { ConfiguredStream } from '../../src/protocol/types';
import { targetObjectName, targetOperation } from '../../src/write/plan/stream-plan';

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
    expect(error).toMatchObject({ failureType: 'config_error', message: expect.stringMatching(/Overwrite sync mode needs a mirror scope.*"mirror_scope"/) });
  });
});

describe('stream_settings', () => {
  const entries = (...e: Array<Record<string, unknown>>) => ({ action: 'insert', external_id_name: 'Global__c', table_name: 'Lead', stream_settings: e });

  test("an entry's object, action and key win; what it leaves out falls back to the global keys", () => {
    const c = config(entries({ stream: 'accounts', object: 'Account', action: 'upsert' }));
    expect(targetObjectName(c, stream())).toBe('Account');
    expect(targetOperation(c, stream())).toEqual({ operation: 'upsert', key: 'Global__c' });
    expect(targetObjectName(c, stream({ stream: { name: 'other', json_schema: {} } }))).toBe('Lead');
    expect(targetOperation(c, stream({ stream: { name: 'other', json_schema: {} } }))).toEqual({ operation: 'insert' });
  });

  test.each([
    ['update', 'update', { operation: 'update' }],
    ['soft_delete', 'delete', { operation: 'delete' }],
    ['append_dedup', 'upsert', { operation: 'upsert', key: 'Entry__c' }],
  ])('sync mode %s with the action it implies (%s) is accepted', (mode, action, expected) => {
    const c = config(entries({ stream: 'accounts', action, external_id_name: 'Entry__c' }));
    expect(targetOperation(c, stream({ destination_sync_mode: mode as ConfiguredStream['destination_sync_mode'], primary_key: [['Pk__c']] }))).toEqual(expected);
  });

  test.each([
    ['update', 'insert', 'Update', 'update'],
    ['soft_delete', 'hard_delete', 'Soft delete', 'delete'],
    ['append_dedup', 'insert', 'Append + Deduped', 'upsert'],
  ])('sync mode %s with action %s is refused, naming both fixes', (mode, action, title, implied) => {
    const c = config(entries({ stream: 'accounts', action }));
    expect(() => targetOperation(c, stream({ destination_sync_mode: mode as ConfiguredStream['destination_sync_mode'] }))).toThrow(
      `Stream "accounts": its stream_settings action "${action}" conflicts with its sync mode ${title}, which writes with "${implied}". ` +
        `Either set the stream's sync mode to Append in the connection, or set its stream_settings action to "${implied}" (or remove it).`,
    );
  });
});
