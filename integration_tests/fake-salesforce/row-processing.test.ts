/** Row-level processing of ingest jobs: sf__Error wording (reference §4.4), #N/A vs empty, lookups, upsert. */
import { checksum } from './ids';
import { lines, runJob, useFake } from './test-helpers';

const { fake, token } = useFake({ processingDelayMs: 5, resultOrder: 'upload' });
beforeEach(() => fake.set({ hardDeleteEnabled: false }));

const job = (object: string, operation: string, csv: string, extra: Record<string, unknown> = {}) =>
  runJob(fake, token(), { object, operation, ...extra }, csv);

/** sf__Error column of every failed row, in upload order. */
const errors = (csv: string) => lines(csv).slice(1).map((l) => l.split('","')[1]);

describe('update: #N/A sets null, empty leaves the value', () => {
  it('nulls with #N/A, keeps with empty, REQUIRED_FIELD_MISSING when #N/A hits a required field', async () => {
    const [id] = fake.seed('Account', [{ Name: 'A', AccountNumber: 'N1', Description: 'D' }]);
    const run = await job('Account', 'update', `Id,AccountNumber,Description\n${id},#N/A,\n`);
    expect(run.info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1, numberRecordsFailed: 0 });
    expect(fake.records('Account')[0]).toMatchObject({ Name: 'A', AccountNumber: null, Description: 'D' });
    const bad = await job('Account', 'update', `Id,Name\n${id},#N/A\n`);
    expect(lines(bad.failed)[1]).toBe(`"${id}","REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --","${id}","#N/A"`);
  });

  it('insert: empty cells take the default (checkbox false, picklist default, owner = running user)', async () => {
    await job('Lead', 'insert', 'LastName,Company,Status\nDoe,Acme,\n');
    const lead = fake.records('Lead')[0];
    expect(lead).toMatchObject({ LastName: 'Doe', Company: 'Acme', Status: 'Open - Not Contacted' });
    expect(lead?.OwnerId).toMatch(/^005/);
    await job('Account', 'insert', 'Name,Active__c\nA,\n');
    expect(fake.records('Account')[0]).toMatchObject({ Active__c: false });
  });
});

describe('relationship columns', () => {
  it('resolve parents by external id; a missing parent is INVALID_FIELD', async () => {
    const [acct] = fake.seed('Account', [{ Name: 'Parent', Ext_Id__c: 'E-1' }]);
    const run = await job('Contact', 'insert', 'LastName,Account.Ext_Id__c\nSmith,E-1\nJones,E-404\n');
    expect(fake.records('Contact')).toEqual([expect.objectContaining({ LastName: 'Smith', AccountId: acct })]);
    expect(errors(run.failed)).toEqual(['INVALID_FIELD:Foreign key external ID: E-404 not found for field Ext_Id__c in entity Account:--']);
    const inv = await job('Invoice__c', 'insert', 'Invoice_Number__c,Account__r.Ext_Id__c,Amount__c\nINV-1,e-1,10.5\n');
    expect(inv.failed).toBe('"sf__Id","sf__Error",Invoice_Number__c,Account__r.Ext_Id__c,Amount__c\n');
    expect(fake.records('Invoice__c')[0]).toMatchObject({ Account__c: acct, Amount__c: 10.5, Name: expect.stringMatching(/^INV-\d+$/) });
  });

  it('a type prefix on a non-polymorphic lookup fails the job', async () => {
    const run = await job('Contact', 'insert', 'LastName,Account:Account.Ext_Id__c\nSmith,E-1\n');
    expect(run.info.state).toBe('Failed');
    expect(String(run.info.errorMessage)).toContain('type is not needed for non polymorphic foreign key references');
  });
});

describe('types, picklists, lengths, permissions', () => {
  it('words each error as Salesforce does', async () => {
    const long = 'x'.repeat(41);
    const csv = [
      'Name,NumberOfEmployees,Active__c,Founded__c,Last_Synced__c,Rating,Industry,AccountNumber,AnnualRevenue',
      'ok,12,1,2024-01-31,2024-01-01T21:12:21.000+00:00,Hot,Space Travel,,1e3',
      'e1,abc,,,,,,,',
      'e2,,yes,,,,,,',
      'e3,,,2024/01/31,,,,,',
      'e4,,,,2024-01-01 21:12:21,,,,',
      'e5,,,,,Lukewarm,,,',
      `e6,,,,,,,${long},`,
      'e7,,,,,,,,12x',
      'ok2,,false,,2024-01-01T21:12:21Z,,,,',
    ].join('\n') + '\n';
    const run = await job('Account', 'insert', csv);
    expect(errors(run.failed)).toEqual([
      'INVALID_TYPE_ON_FIELD_IN_RECORD:Employees: value not of required type: abc:NumberOfEmployees --',
      'INVALID_TYPE_ON_FIELD_IN_RECORD:Active: value not of required type: yes:Active__c --',
      'INVALID_TYPE_ON_FIELD_IN_RECORD:Founded: value not of required type: 2024/01/31:Founded__c --',
      'INVALID_TYPE_ON_FIELD_IN_RECORD:Last Synced: value not of required type: 2024-01-01 21:12:21:Last_Synced__c --',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:Account Rating: bad value for restricted picklist field: Lukewarm:Rating --',
      `STRING_TOO_LONG:Account Number: data value too large: ${long} (max length=40):AccountNumber --`,
      'INVALID_TYPE_ON_FIELD_IN_RECORD:Annual Revenue: value not of required type: 12x:AnnualRevenue --',
    ]);
    const ok = fake.records('Account').find((r) => r.Name === 'ok');
    expect(ok).toMatchObject({
      NumberOfEmployees: 12, Active__c: true, Founded__c: '2024-01-31', Last_Synced__c: '2024-01-01T21:12:21.000Z',
      Rating: 'Hot', Industry: 'Space Travel', AnnualRevenue: 1000,
    });
    expect(fake.records('Account').find((r) => r.Name === 'ok2')).toMatchObject({ Active__c: false });
  });

  it('non-createable fields, Id on insert, invalid email, 131,072-char cap', async () => {
    const run = await job('Account', 'insert', 'Name,CreatedDate\nA,2024-01-01T00:00:00Z\n');
    expect(errors(run.failed)).toEqual([
      'INVALID_FIELD_FOR_INSERT_UPDATE:Unable to create/update fields: CreatedDate. Please check the security settings of this field and verify that it is read/write for your profile or permission set.:CreatedDate --',
    ]);
    const withId = await job('Account', 'insert', 'Id,Name\n001Hs0000000001AAA,A\n');
    expect(errors(withId.failed)).toEqual(['INVALID_FIELD_FOR_INSERT_UPDATE:cannot specify Id in an insert call:Id --']);
    const email = await job('Contact', 'insert', 'LastName,Email\nX,not-an-email\n');
    expect(errors(email.failed)).toEqual(['INVALID_EMAIL_ADDRESS:Email: invalid email address: not-an-email:Email --']);
    const huge = 'p'.repeat(131073);
    const ev = await job('Order_Event__e', 'insert', `Order_Number__c,Payload__c\nO-1,${huge}\nO-2,small\n`);
    expect(errors(ev.failed)).toEqual([`STRING_TOO_LONG:Payload: data value too large: ${huge} (max length=131072):Payload__c --`]);
    expect(lines(ev.success)[1]).toMatch(/^"e00\w{15}","true","O-2","small"$/);
    expect(fake.records('Order_Event__e')).toEqual([expect.objectContaining({ Order_Number__c: 'O-2' })]);
  });

  it('objects that cannot be written: platform-event update, Audit_Log__c insert', async () => {
    const run = await job('Audit_Log__c', 'insert', 'Message__c\nhello\n');
    expect(errors(run.failed)).toEqual(['INVALID_TYPE_FOR_OPERATION:entity type cannot be inserted: Audit Log:--']);
  });
});

describe('upsert', () => {
  it('duplicate external ids in one upload fail every occurrence; unique clash on insert', async () => {
    const run = await job('Account', 'upsert', 'Ext_Id__c,Name\nE-1,a\nE-2,b\ne-1,c\n', { externalIdFieldName: 'Ext_Id__c' });
    expect(errors(run.failed)).toEqual(['DUPLICATE_VALUE:Duplicate external id specified: E-1:--', 'DUPLICATE_VALUE:Duplicate external id specified: e-1:--']);
    expect(fake.records('Account').map((r) => r.Ext_Id__c)).toEqual(['E-2']);
    const existing = fake.records('Account')[0]?.Id;
    const clash = await job('Account', 'insert', 'Name,Ext_Id__c\nX,E-2\n');
    expect(errors(clash.failed)).toEqual([`DUPLICATE_VALUE:duplicate value found: Ext_Id__c duplicates value on record with id: ${String(existing)}:--`]);
  });

  it('Id as the upsert key: blank Id creates, a known Id updates', async () => {
    const [id] = fake.seed('Account', [{ Name: 'Old' }]);
    const run = await job('Account', 'upsert', `Id,Name\n${id},Renamed\n,Fresh\n`, { externalIdFieldName: 'Id' });
    expect(lines(run.success).slice(1)).toEqual([`"${id}","false","${id}","Renamed"`, expect.stringMatching(/^"001\w{15}","true","","Fresh"$/)]);
  });
});

describe('update / delete / hardDelete targets', () => {
  it('unknown, deleted and malformed ids', async () => {
    const [a, b] = fake.seed('Account', [{ Name: 'A' }, { Name: 'B' }]);
    await job('Account', 'delete', `Id\n${b}\n`);
    const unknown = '001Hs00000QQQQQ' + checksum('001Hs00000QQQQQ');
    const run = await job('Account', 'update', `Id,Name\n${unknown},x\n${b},y\nabc,z\n${a},ok\n`);
    expect(errors(run.failed)).toEqual([
      'INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--',
      'ENTITY_IS_DELETED:entity is deleted:--',
      'MALFORMED_ID:Account ID: id value of incorrect type: abc:Id --',
    ]);
    const del = await job('Account', 'delete', `Id\n${b}\n`);
    expect(errors(del.failed)).toEqual(['ENTITY_IS_DELETED:entity is deleted:--']);
  });

  it('hardDelete removes the record for good (not in the recycle bin)', async () => {
    fake.set({ hardDeleteEnabled: true });
    const [a] = fake.seed('Account', [{ Name: 'A' }]);
    const run = await job('Account', 'hardDelete', `Id\n${a}\n`);
    expect(run.info.state).toBe('JobComplete');
    expect(fake.records('Account')).toEqual([]);
    expect(fake.deletedIds('Account')).toEqual([]);
  });
});

describe('failRowsOnce', () => {
  it('matching rows fail with UNABLE_TO_LOCK_ROW once, then succeed on a later job', async () => {
    const [a] = fake.seed('Account', [{ Name: 'A' }]);
    fake.failRowsOnce((row) => row.Name === 'locked');
    const first = await job('Account', 'update', `Id,Name\n${a},locked\n`);
    expect(errors(first.failed)).toEqual([`UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record or 200 records: ${a}:--`]);
    expect(lines(first.failed)[1]?.startsWith(`"${a}"`)).toBe(true);
    const second = await job('Account', 'update', `Id,Name\n${a},locked\n`);
    expect(second.failed).toBe('"sf__Id","sf__Error",Id,Name\n');
    expect(fake.records('Account')[0]?.Name).toBe('locked');
  });
});
