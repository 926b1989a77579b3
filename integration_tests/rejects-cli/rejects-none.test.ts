/**
 * Issue 5: storage_type None with allow_failures true — rejected rows are counted in the state and
 * summarised per error code (one example each) in a LOG that never carries record values and says
 * the rows are not stored.
 */
import { catalog, expectNothingLost, expectStatesEchoed, explain, record, runWrite, startFake, streamState, type Msg } from '../write/write-helpers';
import { useFakeSalesforce } from '../helpers/test-env';

const fake = useFakeSalesforce({ start: () => startFake({ processingDelayMs: 150 }) });

// Distinctive values of the failing rows: none may appear on stdout or stderr.
const PII = ['zebra-pii-7719@example.com', 'Quokka-Purple-PII', 'PII-ACCT-NUMBER-Ocelot-123456789012345678', 'Tapir-PII-Desc'];

const messages: Msg[] = [
  record('Account', { Ext_Id__c: 'K-1', Name: 'fine one' }),
  record('Account', { Ext_Id__c: 'K-2', Description: PII[3], Website: PII[0] }), // no Name
  record('Account', { Ext_Id__c: 'K-3', Name: 'picky', Rating: PII[1] }), // Salesforce quotes the value in its message
  streamState('Account', 1, 3),
  record('Account', { Ext_Id__c: 'K-4', Name: 'long', AccountNumber: PII[2] }), // > 40 chars, rejected before upload
  record('Account', { Ext_Id__c: 'K-5', Description: 'another without name' }),
  record('Account', { Ext_Id__c: 'K-6', Name: 'fine two' }),
  streamState('Account', 2, 3),
];

test.each([
  ['object_storage_config {storage_type: None}', { object_storage_config: { storage_type: 'None' } }],
  ['no object_storage_config at all', {}],
])('%s: counted in state, summarised per code without values, says not stored', async (_name, storage) => {
  const run = await runWrite(fake, {
    config: { action: 'upsert', external_id_name: 'Ext_Id__c', ...storage },
    catalog: catalog(['Account']),
    messages,
  });
  expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
  expectStatesEchoed(run, messages);
  expect(run.states.map((s) => s.destinationStats)).toEqual([
    { recordCount: 1, rejectedRecordCount: 2 },
    { recordCount: 1, rejectedRecordCount: 2 },
  ]);
  const org = fake.records('Account');
  expect(org.map((r) => r.Ext_Id__c).sort()).toEqual(['K-1', 'K-6']);
  expectNothingLost(run, messages, org, { key: 'Ext_Id__c', expectRejected: 4 });

  // One summary LOG: total, a "not stored" note, one line per code with its count and one example.
  const summary = run.logs.find((l) => /^Rejected rows: 4 /.test(l));
  expect(summary).toBeDefined();
  expect(summary).toMatch(/not stored/);
  expect(summary).toMatch(/storage_type is None/);
  const lines = (summary as string).split('\n').slice(1);
  expect(lines).toHaveLength(3);
  expect(lines).toEqual(expect.arrayContaining([
    expect.stringMatching(/^REQUIRED_FIELD_MISSING: 2 rows \(e\.g\. "Required fields are missing: \[Name\]"\)$/),
    expect.stringMatching(/^INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 1 row \(e\.g\. ".*bad value for restricted picklist field: <value>"\)$/),
    expect.stringMatching(/^DESTINATION_FIELD_SIZE_LIMITATION: 1 row \(e\.g\. ".*AccountNumber.*"\)$/),
  ]));
  // The end-of-sync summary also says where rejected rows went (nowhere).
  expect(run.logs.some((l) => /Rejected rows: nowhere/.test(l))).toBe(true);

  // No record value of a failing row, anywhere.
  for (const value of PII) {
    expect({ value, inStdout: run.result.stdout.includes(value) }).toEqual({ value, inStdout: false });
    expect({ value, inStderr: run.result.stderr.includes(value) }).toEqual({ value, inStderr: false });
  }
});
