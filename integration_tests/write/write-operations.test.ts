/** Each operation through the CLI against the fake (async processing on); nothing lost in any. */
import { catalog, expectNothingLost, expectStatesEchoed, explain, record, runWrite, startFake, streamState, type Msg, RESULT_ECHOES } from './write-helpers';
import { useFakeSalesforce } from '../helpers/test-env';

const fake = useFakeSalesforce({ start: startFake });

describe.each(RESULT_ECHOES)('result echo %s', (resultEcho) => {
  beforeAll(() => fake.set({ resultEcho }));

  test('insert: rows land in the org, one job for the whole input, states echoed in order with ids and counts', async () => {
    const messages: Msg[] = [];
    for (let i = 0; i < 25; i++) {
      messages.push(record('Account', { Name: `Acme ${i}`, NumberOfEmployees: i, Ext_Id__c: `E-${i}` }));
      if (i % 10 === 9) messages.push(streamState('Account', i, 10));
    }
    messages.push(streamState('Account', 'end', 5));
    const run = await runWrite(fake, { catalog: catalog(['Account']), messages });
    expect(run.result.code).toBe(0);
    expect(run.errors).toEqual([]);
    const org = fake.records('Account');
    expect(org).toHaveLength(25);
    expect(org.find((r) => r.Name === 'Acme 7')).toMatchObject({ NumberOfEmployees: 7, Ext_Id__c: 'E-7' });
    expectStatesEchoed(run, messages);
    expectNothingLost(run, messages, org, { key: 'Name', expectRejected: 0 });
    expect(fake.jobs()).toHaveLength(1);
    expect(fake.jobs()[0]).toMatchObject({ object: 'Account', operation: 'insert', lineEnding: 'LF', puts: 1, state: 'JobComplete' });
    expect(run.logs.some((l) => /Stream Account → Account \(insert\): 25 read, 25 loaded, 0 rejected/.test(l))).toBe(true);
    expect(run.logs.some((l) => /Salesforce API calls/.test(l))).toBe(true);
    // The login host (the config's domain) only signs in; every data call went to the token's instance_url.
    expect(fake.requests().filter((r) => r.host === 'login').map((r) => r.route)).toEqual(['oauth.token']);
    expect(fake.requests().filter((r) => r.route === 'login.data')).toEqual([]);
  });

  test('update: null clears a field (#N/A), an absent key leaves it unchanged', async () => {
    const [id1, id2] = fake.seed('Account', [
      { Name: 'One', Description: 'keep me', Website: 'https://one.example' },
      { Name: 'Two', Description: 'clear me', Website: 'https://two.example' },
    ]);
    const messages = [
      record('Account', { Id: id1, Name: 'One v2' }),
      record('Account', { Id: id2, Description: null }),
      streamState('Account', 1, 2),
    ];
    const run = await runWrite(fake, { catalog: catalog([{ name: 'Account', destination_sync_mode: 'update' }]), messages });
    expect(run.result.code).toBe(0);
    const org = fake.records('Account');
    expect(org.find((r) => r.Id === id1)).toMatchObject({ Name: 'One v2', Description: 'keep me', Website: 'https://one.example' });
    expect(org.find((r) => r.Id === id2)).toMatchObject({ Name: 'Two', Description: null, Website: 'https://two.example' });
    expect(fake.jobs()[0]).toMatchObject({ operation: 'update' });
    expectStatesEchoed(run, messages);
    expect(run.states[0]?.destinationStats).toEqual({ recordCount: 2, rejectedRecordCount: 0 });
  });

  test('upsert by external id (data activation: destination_object_name + append_dedup + primary_key)', async () => {
    fake.seed('Account', [{ Name: 'Old', Ext_Id__c: 'X-1', NumberOfEmployees: 1 }]);
    const messages = [
      record('crm_accounts', { Ext_Id__c: 'X-1', Name: 'Updated', NumberOfEmployees: 2 }),
      record('crm_accounts', { Ext_Id__c: 'X-2', Name: 'Created' }),
      streamState('crm_accounts', 1, 2),
    ];
    const run = await runWrite(fake, {
      catalog: catalog([{ name: 'crm_accounts', destination_object_name: 'account', destination_sync_mode: 'append_dedup', primary_key: [['Ext_Id__c']] }]),
      messages,
    });
    expect(run.result.code).toBe(0);
    const org = fake.records('Account');
    expect(org).toHaveLength(2);
    expect(org.find((r) => r.Ext_Id__c === 'X-1')).toMatchObject({ Name: 'Updated', NumberOfEmployees: 2 });
    expect(org.find((r) => r.Ext_Id__c === 'X-2')).toMatchObject({ Name: 'Created' });
    expect(fake.jobs()[0]).toMatchObject({ object: 'Account', operation: 'upsert', externalIdFieldName: 'Ext_Id__c' });
    expectStatesEchoed(run, messages);
    expectNothingLost(run, messages, org, { key: 'Ext_Id__c', expectRejected: 0 });
  });

  test('upsert by Id (action upsert, external_id_name Id)', async () => {
    const [id1] = fake.seed('Account', [{ Name: 'Before' }]);
    const messages = [record('Account', { Id: id1, Name: 'After' }), streamState('Account', 1, 1)];
    const run = await runWrite(fake, { config: { action: 'upsert', external_id_name: 'Id' }, catalog: catalog(['Account']), messages });
    expect(run.result.code).toBe(0);
    expect(fake.records('Account')).toEqual([expect.objectContaining({ Id: id1, Name: 'After' })]);
    expect(fake.jobs()[0]).toMatchObject({ operation: 'upsert', externalIdFieldName: 'Id' });
    expectStatesEchoed(run, messages);
  });

  test('delete (soft_delete): only the Id column is sent; rows without Id are rejected by us', async () => {
    const ids = fake.seed('Account', [{ Name: 'a' }, { Name: 'b' }, { Name: 'c' }]);
    const messages = [
      record('Account', { Id: ids[0], Name: 'ignored' }),
      record('Account', { id: ids[1] }),
      record('Account', { Name: 'no id' }),
      streamState('Account', 1, 3),
    ];
    const run = await runWrite(fake, { catalog: catalog([{ name: 'Account', destination_sync_mode: 'soft_delete' }]), messages });
    expect(run.result.code).toBe(0);
    expect(fake.records('Account').map((r) => r.Id)).toEqual([ids[2]]);
    expect(fake.deletedIds('Account').sort()).toEqual([ids[0], ids[1]].sort());
    expect(fake.jobs()[0]).toMatchObject({ operation: 'delete' });
    expect(run.states[0]?.destinationStats).toEqual({ recordCount: 2, rejectedRecordCount: 1 });
    expectStatesEchoed(run, messages);
  });

  test('hard_delete with the permission: records are gone, not in the recycle bin', async () => {
    fake.set({ hardDeleteEnabled: true });
    try {
      const ids = fake.seed('Account', [{ Name: 'a' }, { Name: 'b' }]);
      const messages = [record('Account', { Id: ids[0] }), record('Account', { Id: ids[1] }), streamState('Account', 1, 2)];
      const run = await runWrite(fake, { config: { action: 'hard_delete' }, catalog: catalog(['Account']), messages });
      expect(run.result.code).toBe(0);
      expect(fake.records('Account')).toEqual([]);
      expect(fake.deletedIds('Account')).toEqual([]);
      expect(fake.jobs()[0]).toMatchObject({ operation: 'hardDelete' });
      expectStatesEchoed(run, messages);
    } finally {
      fake.set({ hardDeleteEnabled: false });
    }
  });

  test('hard_delete without the permission: config_error naming it, no state, nothing deleted', async () => {
    const ids = fake.seed('Account', [{ Name: 'a' }]);
    const messages = [record('Account', { Id: ids[0] }), streamState('Account', 1, 1)];
    const run = await runWrite(fake, { config: { action: 'hard_delete' }, catalog: catalog(['Account']), messages });
    expect(run.result.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatchObject({ failure_type: 'config_error' });
    expect(String(run.errors[0]?.message)).toMatch(/Bulk API Hard Delete/);
    expect(run.states).toEqual([]);
    expect(fake.records('Account')).toHaveLength(1);
    expect(fake.jobs().filter((j) => j.state === 'Open')).toEqual([]);
    void explain;
  });

  test('platform event insert (Order_Event__e)', async () => {
    const messages = [record('Order_Event__e', { Order_Number__c: 'O-1', Amount__c: 12.5 }), streamState('Order_Event__e', 1, 1)];
    const run = await runWrite(fake, { catalog: catalog(['Order_Event__e']), messages });
    expect(run.result.code).toBe(0);
    expect(run.states[0]?.destinationStats).toEqual({ recordCount: 1, rejectedRecordCount: 0 });
  });

  test('upsert with the same external id several times in one sync: every version applied in order, none rejected', async () => {
    fake.seed('Account', [{ Name: 'Seeded', Ext_Id__c: 'D-1', NumberOfEmployees: 1 }]);
    const messages = [
      record('Account', { Ext_Id__c: 'D-1', Name: 'v1', NumberOfEmployees: 10 }),
      record('Account', { Ext_Id__c: 'D-2', Name: 'only version' }),
      record('Account', { Ext_Id__c: 'd-1', Name: 'v2' }),
      record('Account', { Ext_Id__c: 'D-3', Name: 'D-3 v1' }),
      record('Account', { Ext_Id__c: 'D-1', Name: 'v3', Description: 'last' }),
      record('Account', { Ext_Id__c: 'D-3', Name: 'D-3 v2' }),
      streamState('Account', 1, 6),
    ];
    const run = await runWrite(fake, {
      config: { action: 'upsert', external_id_name: 'Ext_Id__c' },
      catalog: catalog(['Account']),
      messages,
    });
    expect(run.result.code).toBe(0);
    expect(run.errors).toEqual([]);
    const org = fake.records('Account');
    expect(org).toHaveLength(3);
    // The last version of each key wins; fields only an earlier version set stay set.
    expect(org.find((r) => String(r.Ext_Id__c).toLowerCase() === 'd-1')).toMatchObject({ Name: 'v3', NumberOfEmployees: 10, Description: 'last' });
    expect(org.find((r) => r.Ext_Id__c === 'D-3')).toMatchObject({ Name: 'D-3 v2' });
    // Versions of a record are merged into one row: one job, no key twice in it.
    expect(fake.jobs().map((j) => j.numberRecordsProcessed)).toEqual([3]);
    // The end-of-sync summary says so: D-1's three versions and D-3's two are five rows merged into two.
    expect(run.logs).toContainEqual(expect.stringMatching(/\(upsert\): 6 read, 6 loaded, 0 rejected, 1 ingest job\. 5 input rows were versions of 2 records and were merged into 2 rows \(later values win\)/));
    expect(fake.jobs().every((j) => j.numberRecordsFailed === 0)).toBe(true);
    expectStatesEchoed(run, messages);
    expect(run.states[0]?.destinationStats).toEqual({ recordCount: 6, rejectedRecordCount: 0 });
  });

  test('assignment_rule_id goes on the ingest job (Lead)', async () => {
    const messages = [record('Lead', { LastName: 'Lovelace', Company: 'Analytical Engines' }), streamState('Lead', 1, 1)];
    const run = await runWrite(fake, { config: { assignment_rule_id: '01QHs000000AbCdMAK' }, catalog: catalog(['Lead']), messages });
    expect(run.result.code).toBe(0);
    expect(fake.jobs()).toHaveLength(1);
    expect(fake.jobs()[0]).toMatchObject({ object: 'Lead', operation: 'insert', assignmentRuleId: '01QHs000000AbCdMAK' });
    expect(fake.records('Lead')).toEqual([expect.objectContaining({ LastName: 'Lovelace', Company: 'Analytical Engines' })]);
    expectStatesEchoed(run, messages);
  });

  test('upsert: two versions of a Contact under different parents land in input order (parent grouping keeps versions ordered)', async () => {
    const [accA, accB] = fake.seed('Account', [{ Name: 'A', Ext_Id__c: 'ACC-A' }, { Name: 'B', Ext_Id__c: 'ACC-B' }]);
    const messages = [
      record('Contact', { Ext_Id__c: 'C-1', LastName: 'v1', 'Account.Ext_Id__c': 'ACC-B' }),
      record('Contact', { Ext_Id__c: 'C-2', LastName: 'other', 'Account.Ext_Id__c': 'ACC-B' }),
      record('Contact', { Ext_Id__c: 'C-1', LastName: 'v2', 'Account.Ext_Id__c': 'ACC-A' }),
      streamState('Contact', 1, 3),
    ];
    const run = await runWrite(fake, {
      catalog: catalog([{ name: 'Contact', destination_sync_mode: 'append_dedup', primary_key: [['Ext_Id__c']] }]),
      messages,
    });
    expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
    const org = fake.records('Contact');
    expect(org.find((r) => r.Ext_Id__c === 'C-1')).toMatchObject({ LastName: 'v2', AccountId: accA });
    expect(org.find((r) => r.Ext_Id__c === 'C-2')).toMatchObject({ AccountId: accB });
    expect(run.states[0]?.destinationStats).toEqual({ recordCount: 3, rejectedRecordCount: 0 });
  });

  test('upsert: versions of one record in different chunks apply in input order, even when the first is retried after a lock error', async () => {
    // v1 fails once with UNABLE_TO_LOCK_ROW and is retried ~1 s later; v2 is in the next chunk. Without
    // ordering across chunks, v2's job would finish first and the retried v1 would land last.
    fake.failRowsOnce((row) => row.Name === 'v1');
    const messages = [
      record('Account', { Ext_Id__c: 'K-1', Name: 'v1' }),
      record('Account', { Ext_Id__c: 'K-1', Name: 'v2' }),
      record('Account', { Ext_Id__c: 'K-2', Name: 'independent' }),
      streamState('Account', 1, 3),
    ];
    const run = await runWrite(fake, {
      config: { action: 'upsert', external_id_name: 'Ext_Id__c', bulk_job_max_rows: 1, max_jobs_in_flight: 3 },
      catalog: catalog(['Account']),
      messages,
      env: { DESTINATION_SALESFORCE_ROW_RETRY_SECONDS: '1' },
    });
    expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
    const org = fake.records('Account');
    expect(org.find((r) => r.Ext_Id__c === 'K-1')).toMatchObject({ Name: 'v2' });
    expect(org).toHaveLength(2);
    expect(run.states[0]?.destinationStats).toEqual({ recordCount: 3, rejectedRecordCount: 0 });
  });
});
