/**
 * A full sync with the committed sample files, the way Airbyte runs a destination:
 * `write --config <file> --catalog integration_tests/configured_catalog.json < integration_tests/sample_messages.jsonl`
 * (in image mode the files are mounted with -v and the messages go in on stdin). Run twice: the dedup
 * streams are idempotent, the platform-event stream appends.
 */
import * as fs from 'node:fs';
import { ofType, runCli, writeTempJson } from '../helpers/cli';
import { useFakeSalesforce } from '../helpers/test-env';
import { CLI_TIMEOUT_MS, countRecords, expectCleanExit, expectNothingLost, expectStatesEchoed, repoFile, TEST_TIMEOUT_MS } from './acceptance-helpers';

jest.setTimeout(TEST_TIMEOUT_MS);

const sf = useFakeSalesforce({ reset: false });

const CATALOG = repoFile('integration_tests/configured_catalog.json');
const MESSAGES = fs.readFileSync(repoFile('integration_tests/sample_messages.jsonl'), 'utf8');
const inputs = MESSAGES.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, any>);
const inputStates = inputs.filter((m) => m.type === 'STATE');
const sent = countRecords(inputs);

const sync = async (): Promise<Awaited<ReturnType<typeof runCli>>> => {
  const config = writeTempJson({ ...sf.config, object_storage_config: { storage_type: 'None' } }, 'config.json');
  return runCli(['write', '--config', config, '--catalog', CATALOG], { stdin: MESSAGES, timeoutMs: CLI_TIMEOUT_MS });
};

const expectEchoes = (r: Awaited<ReturnType<typeof runCli>>): void =>
  expectStatesEchoed(
    r,
    inputStates.map((input) => ({ input, recordCount: input.state.sourceStats.recordCount as number })),
  );

describe('write with integration_tests/configured_catalog.json and sample_messages.jsonl', () => {
  it('first sync: every STATE echoed with its records counted, every row in the org', async () => {
    const r = await sync();
    expectCleanExit(r);
    expectEchoes(r);
    expect(ofType(r, 'RECORD')).toEqual([]);
    const accounts = sf.records('Account');
    const invoices = sf.records('Invoice__c');
    const events = sf.records('Order_Event__e');
    expect(accounts.map((a) => a.Ext_Id__c).sort()).toEqual(['CAT-ACC-1', 'CAT-ACC-2', 'CAT-ACC-3']);
    expect(accounts.find((a) => a.Ext_Id__c === 'CAT-ACC-2')).toMatchObject({ Name: 'Zürich Café, "Ltd"', Active__c: false, Industry: null });
    expect(accounts.find((a) => a.Ext_Id__c === 'CAT-ACC-3')).toMatchObject({ Name: '東京 Trading 🚀', Description: '=1+1', NumberOfEmployees: 12 });
    expect(accounts.find((a) => a.Ext_Id__c === 'CAT-ACC-1')).toMatchObject({ Description: 'Sample account, line one\nline two', AnnualRevenue: 1250000.5 });
    expect(invoices.map((i) => i.Invoice_Number__c).sort()).toEqual(['CAT-INV-1', 'CAT-INV-2']);
    expect(invoices.find((i) => i.Invoice_Number__c === 'CAT-INV-2')).toMatchObject({ Status__c: 'Paid', Paid_On__c: '2024-02-29', Amount__c: 42 });
    expect(events.map((e) => e.Order_Number__c).sort()).toEqual(['CAT-ORD-1', 'CAT-ORD-2']);
    expectNothingLost(r, sent, accounts.length + invoices.length + events.length);
  });

  it('second sync of the same messages: the upserted objects keep one row per key, events are appended', async () => {
    const accountIds = sf.records('Account').map((a) => a.Id).sort();
    const r = await sync();
    expectCleanExit(r);
    expectEchoes(r);
    expect(sf.records('Account').map((a) => a.Id).sort()).toEqual(accountIds);
    expect(sf.records('Invoice__c')).toHaveLength(2);
    expect(sf.records('Order_Event__e')).toHaveLength(4);
    expectNothingLost(r, sent, 3 + 2 + 2);
  });
});
