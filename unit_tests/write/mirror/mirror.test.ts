import { parseConfig } from '../../../src/config/load-config';
import type { AirbyteStateMessage, ConfiguredStream } from '../../../src/protocol/types';
import { MirrorKeySet } from '../../../src/write/mirror/key-set';
import { mirrorScopeOf } from '../../../src/write/mirror/mirror-plan';
import { MirrorStateHold } from '../../../src/write/mirror/state-hold';

const config = (settings: Array<Record<string, unknown>> = []) =>
  parseConfig({ client_id: 'id', client_secret: 'secret-value', refresh_token: 'refresh-value', stream_settings: settings });
const stream = (extra: Partial<ConfiguredStream> = {}): ConfiguredStream => ({ stream: { name: 'accounts', json_schema: {} }, ...extra });
const scoped = config([{ stream: 'accounts', mirror_scope: "AccountNumber = 'WH'" }]);

describe('mirrorScopeOf', () => {
  test('overwrite with a scope is a mirror; without one it is refused, saying how to enable it', () => {
    expect(mirrorScopeOf(scoped, stream({ destination_sync_mode: 'overwrite' }))).toBe("AccountNumber = 'WH'");
    expect(() => mirrorScopeOf(config(), stream({ destination_sync_mode: 'overwrite' }))).toThrow(/needs a mirror scope.*"mirror_scope"/);
  });
  test('a refresh that removes earlier generations (minimum == generation > 0) mirrors only with a scope', () => {
    expect(mirrorScopeOf(scoped, stream({ destination_sync_mode: 'append', generation_id: 3, minimum_generation_id: 3 }))).toBe("AccountNumber = 'WH'");
    expect(mirrorScopeOf(scoped, stream({ destination_sync_mode: 'append', generation_id: 3, minimum_generation_id: 0 }))).toBeUndefined();
    expect(mirrorScopeOf(scoped, stream({ destination_sync_mode: 'append', generation_id: 0, minimum_generation_id: 0 }))).toBeUndefined();
    expect(mirrorScopeOf(config(), stream({ destination_sync_mode: 'append', generation_id: 3, minimum_generation_id: 3 }))).toBeUndefined();
  });
});

describe('MirrorKeySet', () => {
  test('text keys compare case-insensitively; a case-sensitive field exactly; empty keys are no keys', () => {
    const keys = new MirrorKeySet('Ext_Id__c', 'text', {});
    keys.add({ ext_id__c: 'AbC-1' });
    keys.add({ Ext_Id__c: '' });
    keys.add({ Ext_Id__c: null });
    expect(keys.has('abc-1')).toBe(true);
    expect(keys.has('ABC-1')).toBe(true);
    expect(keys.has('')).toBe(false);
    expect(keys.size).toBe(1);
    const exact = new MirrorKeySet('Ext_Id__c', 'case-sensitive-text', {});
    exact.add({ Ext_Id__c: 'AbC-1' });
    expect(exact.has('abc-1')).toBe(false);
    expect(exact.has('AbC-1')).toBe(true);
  });
  test('number keys by value (Salesforce may echo 912260031 as 9.12260031E8); column_mapping sources count', () => {
    const keys = new MirrorKeySet('Num__c', 'number', { legacy_no: 'Num__c' });
    keys.add({ legacy_no: 912260031 });
    expect(keys.has('9.12260031E8')).toBe(true);
    expect(keys.has('912260031.0')).toBe(true);
    expect(keys.has('912260032')).toBe(false);
  });
});

describe('MirrorStateHold', () => {
  const st = (name: string, cursor: number): AirbyteStateMessage => ({ type: 'STREAM', stream: { stream_descriptor: { name }, stream_state: { cursor } } });
  test('a mirror stream\'s latest state waits; earlier ones and other streams pass in order', () => {
    const hold = new MirrorStateHold(new Set(['accounts']));
    expect(hold.pass([st('accounts', 1)])).toEqual([]);
    expect(hold.pass([st('leads', 1), st('accounts', 2)])).toEqual([st('leads', 1), st('accounts', 1)]);
    expect(hold.releaseAll()).toEqual([st('accounts', 2)]);
    expect(hold.releaseAll()).toEqual([]);
  });
  test('GLOBAL states are held when any stream is a mirror; nothing is held without mirrors', () => {
    const g = (n: number): AirbyteStateMessage => ({ type: 'GLOBAL', global: { shared_state: n, stream_states: [] } });
    const hold = new MirrorStateHold(new Set(['accounts']));
    expect(hold.pass([g(1), g(2)])).toEqual([g(1)]);
    expect(hold.releaseAll()).toEqual([g(2)]);
    expect(new MirrorStateHold(new Set()).pass([g(1), st('accounts', 1)])).toEqual([g(1), st('accounts', 1)]);
  });
});
