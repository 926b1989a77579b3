/**
 * Data activation round trip: discover → a configured catalog built ONLY from the advertised
 * operations (as Airbyte's UI does: destination_object_name, destination_sync_mode, primary_key =
 * one matching key, records with Salesforce field names) → write lands the rows as asked.
 */
import type { ConfiguredCatalog, ConfiguredStream, DestinationOperation } from '../../src/protocol/types';
import { jsonl, ofType, runCli, writeTempJson } from '../helpers/cli';
import { useFakeSalesforce } from '../helpers/test-env';
import { discover, operation } from './discover-helpers';

const sf = useFakeSalesforce();

/** A configured stream for one advertised operation, the way the platform serialises it. */
function streamFor(name: string, op: DestinationOperation): ConfiguredStream {
  return {
    stream: { name, namespace: null, json_schema: op.json_schema, supported_sync_modes: ['full_refresh'] },
    sync_mode: 'full_refresh',
    destination_sync_mode: op.sync_mode,
    destination_object_name: op.object_name,
    ...(op.matching_keys?.[0] ? { primary_key: [op.matching_keys[0]] } : {}),
    generation_id: 1,
    minimum_generation_id: 0,
    sync_id: 7,
  };
}

const record = (stream: string, data: Record<string, unknown>) => ({ type: 'RECORD', record: { stream, data, emitted_at: Date.now() } });
const state = (n: number) => ({ type: 'STATE', state: { type: 'LEGACY', data: { n } } });

async function write(catalog: ConfiguredCatalog, messages: unknown[]) {
  return runCli(['write', '--config', writeTempJson(sf.config, 'config.json'), '--catalog', writeTempJson(catalog, 'catalog.json')], {
    stdin: jsonl(messages),
  });
}

function must<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`missing ${what}`);
  return v;
}

describe('discover → write round trip', () => {
  it('append_dedup on an external ID, update by Id and soft_delete land as asked', async () => {
    const [keepId, deleteId] = sf.seed('Account', [{ Name: 'Old Name', Rating: 'Cold' }, { Name: 'Doomed' }]);
    sf.seed('Invoice__c', [{ Invoice_Number__c: 'INV-1', Amount__c: 10, Status__c: 'Draft' }]);

    const d = await discover(sf.config);
    expect(d.code).toBe(0);
    const upsert = operation(d.operations, 'Invoice__c', 'append_dedup', 'Invoice_Number__c');
    const update = operation(d.operations, 'Account', 'update');
    const del = operation(d.operations, 'Account', 'soft_delete');
    const catalog: ConfiguredCatalog = {
      streams: [streamFor('invoices', upsert), streamFor('account_changes', update), streamFor('account_removals', del)],
    };
    expect(catalog.streams.map((s) => s.primary_key)).toEqual([[['Invoice_Number__c']], [['Id']], [['Id']]]);

    const r = await write(catalog, [
      record('invoices', { Invoice_Number__c: 'INV-1', Amount__c: 99.5, Status__c: 'Paid' }),
      record('invoices', { Invoice_Number__c: 'INV-2', Amount__c: 5, Status__c: 'Sent' }),
      record('account_changes', { Id: keepId, Name: 'New Name', Rating: 'Hot' }),
      record('account_removals', { Id: deleteId }),
      state(1),
    ]);
    expect(ofType(r, 'TRACE').filter((t) => t.trace.type === 'ERROR')).toEqual([]);
    expect(r.code).toBe(0);
    expect(ofType(r, 'STATE')).toHaveLength(1);

    const invoices = sf.records('Invoice__c');
    expect(invoices).toHaveLength(2);
    expect(must(invoices.find((i) => i.Invoice_Number__c === 'INV-1'), 'INV-1')).toMatchObject({ Amount__c: 99.5, Status__c: 'Paid' });
    expect(must(invoices.find((i) => i.Invoice_Number__c === 'INV-2'), 'INV-2')).toMatchObject({ Amount__c: 5, Status__c: 'Sent' });
    const accounts = sf.records('Account');
    expect(accounts.map((a) => a.Id)).toEqual([keepId]);
    expect(accounts[0]).toMatchObject({ Name: 'New Name', Rating: 'Hot' });
    expect(sf.deletedIds('Account')).toEqual([deleteId]);
    expect(sf.jobs().map((j) => [j.object, j.operation, j.externalIdFieldName]).sort()).toEqual([
      ['Account', 'delete', undefined],
      ['Account', 'update', undefined],
      ['Invoice__c', 'upsert', 'Invoice_Number__c'],
    ]);
  });

  it('an advertised relationship path (Account__r.Ext_Id__c) sets the lookup', async () => {
    const [accountId] = sf.seed('Account', [{ Name: 'Parent', Ext_Id__c: 'ACME' }]);
    const d = await discover({ ...sf.config, discover_objects: ['Invoice__c'] });
    const append = operation(d.operations, 'Invoice__c', 'append');
    expect(Object.keys(append.json_schema.properties as object)).toContain('Account__r.Ext_Id__c');

    const r = await write({ streams: [streamFor('new_invoices', append)] }, [
      record('new_invoices', { Invoice_Number__c: 'INV-9', 'Account__r.Ext_Id__c': 'ACME' }),
      state(1),
    ]);
    expect(r.code).toBe(0);
    expect(sf.records('Invoice__c')).toEqual([expect.objectContaining({ Invoice_Number__c: 'INV-9', Account__c: accountId })]);
  });
});
