/**
 * Issue 15: `stream_settings` — one connection writes each stream with its own object, operation and
 * upsert key; what an entry leaves out falls back to table_name / action / external_id_name.
 * Mistakes (an action contradicting the sync mode, an entry for a stream not in the catalog) are
 * config errors before any Salesforce call.
 */
import { ofType, runCli, writeTempJson } from '../helpers/cli';
import { useFakeSalesforce } from '../helpers/test-env';
import { catalog, expectStatesEchoed, explain, record, runWrite, startFake, streamState, type Msg } from './write-helpers';

const fake = useFakeSalesforce({ start: () => startFake({ hardDeleteEnabled: true }) });

test('two streams in one sync: one hard-deletes Accounts, the other inserts Leads (global action stays insert)', async () => {
  const ids = fake.seed('Account', [{ Name: 'gone 1' }, { Name: 'gone 2' }, { Name: 'kept' }]);
  const messages: Msg[] = [
    record('purge', { Id: ids[0] }),
    record('prospects', { LastName: 'Lovelace', Company: 'Analytical' }),
    record('purge', { Id: ids[1] }),
    record('prospects', { LastName: 'Hopper', Company: 'Navy' }),
    streamState('purge', 1, 2),
    streamState('prospects', 1, 2),
  ];
  const run = await runWrite(fake, {
    config: {
      action: 'insert',
      stream_settings: [
        { stream: 'purge', object: 'Account', action: 'hard_delete' },
        { stream: 'prospects', object: 'Lead' }, // action falls back to the global insert
      ],
    },
    catalog: catalog(['purge', 'prospects']),
    messages,
  });
  expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
  expectStatesEchoed(run, messages);
  expect(fake.records('Account').map((r) => r.Name)).toEqual(['kept']);
  expect(fake.deletedIds('Account')).toEqual([]); // hard delete: not in the recycle bin
  expect(fake.records('Lead').map((r) => r.LastName).sort()).toEqual(['Hopper', 'Lovelace']);
  const jobs = fake.jobs().map((j) => `${j.object}:${j.operation}`).sort();
  expect(jobs).toEqual(['Account:hardDelete', 'Lead:insert']);
  expect(run.logs).toEqual(expect.arrayContaining([
    'Writing stream purge to Account (hardDelete).',
    'Writing stream prospects to Lead (insert).',
  ]));
});

test('two streams upsert on different external IDs; an entry without a key falls back to external_id_name', async () => {
  fake.seed('Account', [{ Name: 'Old name', Ext_Id__c: 'A-1' }]);
  fake.seed('Invoice__c', [{ Invoice_Number__c: 'INV-1', Amount__c: 1 }]);
  const messages: Msg[] = [
    record('accounts', { Ext_Id__c: 'A-1', Name: 'New name' }),
    record('accounts', { Ext_Id__c: 'A-2', Name: 'Second' }),
    record('invoices', { Invoice_Number__c: 'INV-1', Amount__c: 10 }),
    record('invoices', { Invoice_Number__c: 'INV-2', Amount__c: 20 }),
    streamState('accounts', 1, 2),
    streamState('invoices', 1, 2),
  ];
  const run = await runWrite(fake, {
    config: {
      action: 'insert',
      external_id_name: 'Ext_Id__c',
      stream_settings: [
        { stream: 'accounts', object: 'Account', action: 'upsert' },
        { stream: 'invoices', object: 'Invoice__c', action: 'upsert', external_id_name: 'Invoice_Number__c' },
      ],
    },
    catalog: catalog(['accounts', 'invoices']),
    messages,
  });
  expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
  expectStatesEchoed(run, messages);
  expect(fake.records('Account').map((r) => `${r.Ext_Id__c}=${r.Name}`).sort()).toEqual(['A-1=New name', 'A-2=Second']);
  expect(fake.records('Invoice__c').map((r) => `${r.Invoice_Number__c}=${r.Amount__c}`).sort()).toEqual(['INV-1=10', 'INV-2=20']);
  const jobs = fake.jobs().map((j) => `${j.object}:${j.operation}:${j.externalIdFieldName}`).sort();
  expect(jobs).toEqual(['Account:upsert:Ext_Id__c', 'Invoice__c:upsert:Invoice_Number__c']);
});

test('an action contradicting the sync mode is a config error saying what to change; no Salesforce call', async () => {
  const run = await runWrite(fake, {
    config: { stream_settings: [{ stream: 'Contact', action: 'hard_delete' }] },
    catalog: catalog([{ name: 'Contact', destination_sync_mode: 'update' }]),
    messages: [record('Contact', { Id: '003000000000001AAA', LastName: 'x' }), streamState('Contact', 1, 1)],
  });
  expect(run.result.code).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatchObject({ failure_type: 'config_error' });
  const message = String(run.errors[0]?.message);
  expect(message).toContain('stream_settings action "hard_delete"');
  expect(message).toContain('sync mode Update');
  expect(message).toMatch(/set the stream's sync mode to Append.*or set its stream_settings action to "update"/);
  expect(run.states).toEqual([]);
  expect(fake.requests()).toEqual([]);
});

test('an entry naming a stream that is not in the catalog is a config error; no Salesforce call', async () => {
  const run = await runWrite(fake, {
    config: { stream_settings: [{ stream: 'Acount', action: 'upsert' }] },
    catalog: catalog(['Account']),
    messages: [record('Account', { Name: 'x' }), streamState('Account', 1, 1)],
  });
  expect(run.result.code).toBe(1);
  expect(run.errors[0]).toMatchObject({ failure_type: 'config_error' });
  expect(String(run.errors[0]?.message)).toMatch(/stream_settings\[0\] names stream "Acount", which is not in this connection's catalog \(streams: Account\)/);
  expect(fake.requests()).toEqual([]);
});

test('a namespace in the entry picks one of two same-named streams; the other keeps the global settings', async () => {
  const messages: Msg[] = [
    record('people', { LastName: 'Crm', Company: 'C' }, 'crm'),
    record('people', { LastName: 'Erp' }, 'erp'),
  ];
  const run = await runWrite(fake, {
    config: { table_name: 'Contact', stream_settings: [{ stream: 'people', namespace: 'crm', object: 'Lead' }] },
    catalog: catalog([{ name: 'people', namespace: 'crm' }, { name: 'people', namespace: 'erp' }]),
    messages,
  });
  expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
  expect(fake.records('Lead').map((r) => r.LastName)).toEqual(['Crm']);
  expect(fake.records('Contact').map((r) => r.LastName)).toEqual(['Erp']);
});

test('check describes each entry\'s object: a missing object, a refused action or a non-External ID key fails it, naming the entry', async () => {
  const check = async (stream_settings: unknown[]) => {
    const r = await runCli(['check', '--config', writeTempJson({ ...fake.config, stream_settings }, 'config.json')]);
    expect(r.code).toBe(0);
    return ofType(r, 'CONNECTION_STATUS')[0]?.connectionStatus as { status: string; message?: string };
  };
  expect(await check([{ stream: 'a', object: 'Account', action: 'upsert', external_id_name: 'Ext_Id__c' }, { stream: 'b', object: 'Lead' }])).toEqual({ status: 'SUCCEEDED' });
  const missing = await check([{ stream: 'a', object: 'Acount' }]);
  expect(missing.status).toBe('FAILED');
  expect(missing.message).toContain("Salesforce object 'Acount' (stream_settings[0].object) does not exist");
  const refused = await check([{ stream: 'a', object: 'Account' }, { stream: 'logs', object: 'Audit_Log__c', action: 'insert' }]);
  expect(refused).toMatchObject({ status: 'FAILED', message: expect.stringContaining('Salesforce object Audit_Log__c does not allow insert') });
  const key = await check([{ stream: 'a', object: 'Account', action: 'upsert', external_id_name: 'Name' }]);
  expect(key).toMatchObject({ status: 'FAILED', message: expect.stringContaining('The upsert key Name of Salesforce object Account is neither an External ID') });
});
