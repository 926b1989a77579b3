/** Values through the CLI: every type, unicode, CSV-special characters, relationships, mapping, pre-upload rejects. */
import { catalog, expectNothingLost, expectStatesEchoed, record, runWrite, startFake, streamState, RESULT_ECHOES } from './write-helpers';
import { useFakeSalesforce } from '../helpers/test-env';

const fake = useFakeSalesforce({ start: startFake });

describe.each(RESULT_ECHOES)('result echo %s', (resultEcho) => {
  beforeAll(() => fake.set({ resultEcho }));

  test('every type, unicode, commas, quotes and newlines round-trip into the org', async () => {
    const tricky = 'He said "hi", then left,\nnew line\r\nCRLF line; tab\there; 日本語 😀 é';
    const messages = [
      record('Account', {
        Name: 'Ünïcödé, "Quoted" 😀',
        Description: tricky,
        NumberOfEmployees: 123456,
        AnnualRevenue: 912260031,
        Discount__c: 12.5,
        Active__c: true,
        Founded__c: '1999-12-31',
        Last_Synced__c: '2024-01-01T10:00:00+02:00',
        Website: 'https://example.com/a?b=c,d',
        Industry: 'Technology',
        Rating: 'Hot',
        BillingCity: ' leading space',
      }),
      record('Account', { Name: 'json', Description: { nested: [1, 'two'] }, Active__c: 'false', AnnualRevenue: '1,234.5', NumberOfEmployees: 1e3 }),
      streamState('Account', 1, 2),
    ];
    const run = await runWrite(fake, { catalog: catalog(['Account']), messages });
    expect(run.result.code).toBe(0);
    expect(run.errors).toEqual([]);
    const org = fake.records('Account');
    const a = org.find((r) => r.Name === 'Ünïcödé, "Quoted" 😀');
    expect(a).toMatchObject({
      Description: tricky.replace(/\r\n/g, '\n'),
      NumberOfEmployees: 123456,
      AnnualRevenue: 912260031,
      Discount__c: 12.5,
      Active__c: true,
      Founded__c: '1999-12-31',
      Website: 'https://example.com/a?b=c,d',
      Industry: 'Technology',
      Rating: 'Hot',
      BillingCity: ' leading space',
    });
    expect(Date.parse(String(a?.Last_Synced__c))).toBe(Date.parse('2024-01-01T08:00:00Z'));
    expect(org.find((r) => r.Name === 'json')).toMatchObject({ Description: '{"nested":[1,"two"]}', Active__c: false, AnnualRevenue: 1234.5, NumberOfEmployees: 1000 });
    expectStatesEchoed(run, messages);
    expectNothingLost(run, messages, org, { key: 'Name', expectRejected: 0 });
  });

  test('rows Salesforce or our checks reject are counted as rejected; the rest load (allow_failures true)', async () => {
    const messages = [
      record('Account', { Name: 'good 1' }),
      record('Account', { Name: 'x'.repeat(256) }), // over describe length → ours
      record('Account', { Name: 'bad number', NumberOfEmployees: 'many' }), // typecast → ours
      record('Account', { Name: 'bad picklist', Rating: 'Terrible' }), // Salesforce: restricted picklist
      record('Account', { Description: 'no name' }), // Salesforce: REQUIRED_FIELD_MISSING
      record('Account', { Name: 'good 2', Unknown_Field__c: 'dropped with a warning' }),
      streamState('Account', 1, 6),
    ];
    const run = await runWrite(fake, { catalog: catalog(['Account']), messages });
    expect(run.result.code).toBe(0);
    const org = fake.records('Account');
    expect(org.map((r) => r.Name).sort()).toEqual(['good 1', 'good 2']);
    expect(run.states[0]?.destinationStats).toEqual({ recordCount: 2, rejectedRecordCount: 4 });
    expectStatesEchoed(run, messages);
    expect(run.logs.filter((l) => l.includes('Unknown_Field__c'))).toHaveLength(1);
    const summary = run.logs.find((l) => l.startsWith('Stream Account → Account'));
    expect(summary).toMatch(/DESTINATION_FIELD_SIZE_LIMITATION: 1/);
    expect(summary).toMatch(/DESTINATION_TYPECAST_ERROR: 1/);
    expect(summary).toMatch(/INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 1/);
    expect(summary).toMatch(/REQUIRED_FIELD_MISSING: 1/);
    // no record value is ever logged
    expect(run.result.stdout).not.toContain('x'.repeat(256));
  });

  test('relationship columns by parent external id (Account.Ext_Id__c, Account__r.Ext_Id__c)', async () => {
    const [parentId] = fake.seed('Account', [{ Name: 'Parent', Ext_Id__c: 'P-1' }]);
    const messages = [
      record('Contact', { LastName: 'Child', 'Account.Ext_Id__c': 'P-1' }),
      record('Invoice__c', { Invoice_Number__c: 'INV-1', 'account__r.ext_id__c': 'P-1', Amount__c: 10.25, Status__c: 'Draft', Quantity__c: 1.5e-7 }),
      record('Contact', { LastName: 'Orphan', 'Account.Ext_Id__c': 'NOPE' }),
      streamState('Contact', 1, 2),
      streamState('Invoice__c', 1, 1),
    ];
    const run = await runWrite(fake, { catalog: catalog(['Contact', 'Invoice__c']), messages });
    expect(run.result.code).toBe(0);
    expect(fake.records('Contact')).toEqual([expect.objectContaining({ LastName: 'Child', AccountId: parentId })]);
    expect(fake.records('Invoice__c')).toEqual([expect.objectContaining({ Invoice_Number__c: 'INV-1', Account__c: parentId, Amount__c: 10.25 })]);
    expect(run.states.map((s) => s.destinationStats)).toEqual([
      { recordCount: 1, rejectedRecordCount: 1 },
      { recordCount: 1, rejectedRecordCount: 0 },
    ]);
    expectStatesEchoed(run, messages);
  });

  test('table_name and column_mapping: any stream name writes to the configured object, fields renamed', async () => {
    const messages = [
      record('customers', { surname: 'Lovelace', mail: 'ada@example.com', first_name: 'Ada' }),
      record('customers', { surname: 'Hopper', mail: null }),
      streamState('customers', 1, 2),
    ];
    const run = await runWrite(fake, {
      config: { table_name: 'contact', column_mapping: { customers: { surname: 'LastName', mail: 'Email', first_name: 'FirstName' } } },
      catalog: catalog(['customers']),
      messages,
    });
    expect(run.result.code).toBe(0);
    const org = fake.records('Contact');
    expect(org.find((r) => r.LastName === 'Lovelace')).toMatchObject({ Email: 'ada@example.com', FirstName: 'Ada' });
    expect(org.find((r) => r.LastName === 'Hopper')).toMatchObject({ Email: null });
    expectStatesEchoed(run, messages);
    expectNothingLost(run, messages, org, { key: 'surname', orgKey: 'LastName', expectRejected: 0 });
  });

  test('values Salesforce may echo rewritten (15-char ids, picklist case, #N/A, numbers, booleans) settle each row by its outcome', async () => {
    const ids = fake.seed('Account', [{ Name: 'A' }, { Name: 'B' }, { Name: 'C' }, { Name: 'D' }]).map((id) => id.slice(0, 15));
    const messages = [
      record('Account', { Id: ids[0], Industry: 'technology', NumberOfEmployees: 7, Active__c: 1 }),
      record('Account', { Id: ids[1], Rating: 'Terrible', Industry: 'technology', NumberOfEmployees: 7 }),
      record('Account', { Id: ids[2], Description: null, AnnualRevenue: 912260031 }),
      record('Account', { Id: ids[3], Name: null, AnnualRevenue: 912260031 }),
      streamState('Account', 1, 4),
    ];
    const run = await runWrite(fake, { config: { action: 'update' }, catalog: catalog(['Account']), messages });
    expect(run.result.code).toBe(0);
    expect(run.states.map((s) => s.destinationStats)).toEqual([{ recordCount: 2, rejectedRecordCount: 2 }]);
    const org = fake.records('Account');
    expect(org.find((r) => r.Name === 'A')).toMatchObject({ Industry: 'technology', NumberOfEmployees: 7, Active__c: true });
    expect(org.find((r) => r.Name === 'B')?.Industry ?? null).toBeNull();
    expect(org.find((r) => r.Name === 'C')).toMatchObject({ AnnualRevenue: 912260031, Description: null });
    expect(org.find((r) => r.Name === 'D')?.AnnualRevenue ?? null).toBeNull();
    const summary = run.logs.find((l) => l.startsWith('Stream Account → Account'));
    expect(summary).toMatch(/INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 1/);
    expect(summary).toMatch(/REQUIRED_FIELD_MISSING: 1/);
    expectStatesEchoed(run, messages);
  });
});

/** Salesforce does not document `#N/A` in a relationship column: the connector clears the lookup field itself. */
describe.each([
  ['clears', 'bulk'],
  ['clears', 'rest'],
  ['not-found', 'bulk'],
  ['not-found', 'rest'],
] as const)('a null relationship column (stand-in relationshipNull %s, api_mode %s)', (relationshipNull, apiMode) => {
  beforeAll(() => fake.set({ relationshipNull, resultEcho: 'as-uploaded' }));
  afterAll(() => fake.set({ relationshipNull: 'clears' }));

  test('clears the lookup (AccountId), on update and on upsert; an empty string too', async () => {
    const [parentId] = fake.seed('Account', [{ Name: 'Parent', Ext_Id__c: 'P-1' }]);
    const [a, b] = fake.seed('Contact', [
      { LastName: 'A', AccountId: parentId },
      { LastName: 'B', AccountId: parentId },
    ]);
    const [c] = fake.seed('Contact', [{ LastName: 'C', AccountId: parentId, Ext_Id__c: 'C-1' }]);
    const messages = [
      record('contacts', { Id: a, 'Account.Ext_Id__c': null }),
      record('contacts', { Id: b, 'Account.Ext_Id__c': '' }),
      streamState('contacts', 1, 2),
      record('upserts', { Ext_Id__c: 'C-1', 'Account.Ext_Id__c': null, LastName: 'C2' }),
      streamState('upserts', 1, 1),
    ];
    const run = await runWrite(fake, {
      config: {
        api_mode: apiMode,
        stream_settings: [
          { stream: 'contacts', object: 'Contact', action: 'update' },
          { stream: 'upserts', object: 'Contact', action: 'upsert', external_id_name: 'Ext_Id__c' },
        ],
      },
      catalog: catalog([{ name: 'contacts', destination_sync_mode: 'update' }, { name: 'upserts', destination_sync_mode: 'append_dedup' }]),
      messages,
    });
    expect(run.result.code).toBe(0);
    expect(run.states.map((s) => s.destinationStats)).toEqual([
      { recordCount: 2, rejectedRecordCount: 0 },
      { recordCount: 1, rejectedRecordCount: 0 },
    ]);
    const byId = new Map(fake.records('Contact').map((r) => [r.Id, r]));
    expect([a, b, c].map((id) => byId.get(id)?.AccountId ?? null)).toEqual([null, null, null]);
    expect(byId.get(c)?.LastName).toBe('C2');
  });
});
