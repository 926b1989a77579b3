import { parseConfig } from '../../src/config/load-config';
import { checkStreamSettings, settingFor } from '../../src/config/stream-settings';
import type { ConfiguredStream } from '../../src/protocol/types';

const settingsOf = (stream_settings: unknown) =>
  parseConfig({ client_id: 'id', client_secret: 'secret-value', refresh_token: 'refresh-value', stream_settings }).streamSettings;
const cs = (name: string, namespace?: string): ConfiguredStream => ({ stream: { name, json_schema: {}, ...(namespace ? { namespace } : {}) } });

test('entries are trimmed; empty optional keys are left out; no stream_settings → []', () => {
  expect(settingsOf([{ stream: ' a ', object: ' Account ', action: 'upsert', external_id_name: '', namespace: '' }])).toEqual([
    { stream: 'a', object: 'Account', action: 'upsert' },
  ]);
  expect(parseConfig({ client_id: 'id', client_secret: 's', refresh_token: 'r' }).streamSettings).toEqual([]);
});

test('spec.json refuses an entry without a stream or with an unknown action', () => {
  expect(() => settingsOf([{ object: 'Account' }])).toThrow(/'stream_settings\[0\]\.stream' is required/);
  expect(() => settingsOf([{ stream: 'a', action: 'merge' }])).toThrow(/'stream_settings\[0\]\.action' must be one of/);
});

test('an entry without namespace matches the name in any namespace; with one, only that namespace', () => {
  const settings = settingsOf([{ stream: 'p', namespace: 'crm', object: 'Lead' }, { stream: 'q', object: 'Contact' }]);
  expect(settingFor(settings, { name: 'p', namespace: 'crm' })?.object).toBe('Lead');
  expect(settingFor(settings, { name: 'p', namespace: 'erp' })).toBeUndefined();
  expect(settingFor(settings, { name: 'p' })).toBeUndefined();
  expect(settingFor(settings, { name: 'q', namespace: 'any' })?.object).toBe('Contact');
});

test('unknown streams and two entries for one stream are refused', () => {
  expect(() => checkStreamSettings(settingsOf([{ stream: 'b' }]), [cs('a', 'ns')])).toThrow(
    'stream_settings[0] names stream "b", which is not in this connection\'s catalog (streams: ns.a). Fix the stream name (and namespace) or remove the entry.',
  );
  expect(() => checkStreamSettings(settingsOf([{ stream: 'a' }, { stream: 'a', namespace: 'ns' }]), [cs('a', 'ns')])).toThrow(
    'stream_settings[0] and stream_settings[1] both apply to stream "ns.a". Keep one entry per stream.',
  );
  expect(() => checkStreamSettings(settingsOf([{ stream: 'a', namespace: 'ns' }]), [cs('a', 'ns'), cs('a')])).not.toThrow();
});
