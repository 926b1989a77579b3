/**
 * `discover --config FILE` against the fake org: exactly one DESTINATION_CATALOG (every stdout line is
 * validated against the protocol schema by runCli) with the operations describe allows.
 */
import { ofType } from '../helpers/cli';
import { useFakeSalesforce } from '../helpers/test-env';
import { discover, modes, objectsOf, operation, properties, warnings } from './discover-helpers';

const sf = useFakeSalesforce();

describe('discover', () => {
  it('prints exactly one DESTINATION_CATALOG with operations for standard, custom and platform-event objects', async () => {
    const r = await discover(sf.config);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ofType(r, 'DESTINATION_CATALOG')).toHaveLength(1);
    expect(ofType(r, 'TRACE')).toHaveLength(0);
    const ops = r.operations;

    expect(objectsOf(ops).sort()).toEqual(['Account', 'Contact', 'Invoice__c', 'Lead', 'Order_Event__e']);
    expect(modes(ops, 'Account')).toEqual([['append', undefined], ['append_dedup', [['Ext_Id__c']]], ['overwrite', [['Ext_Id__c']]], ['update', [['Id']]], ['soft_delete', [['Id']]]]);
    expect(modes(ops, 'Contact')).toEqual([['append', undefined], ['append_dedup', [['Ext_Id__c']]], ['overwrite', [['Ext_Id__c']]], ['update', [['Id']]], ['soft_delete', [['Id']]]]);
    expect(modes(ops, 'Lead')).toEqual([['append', undefined], ['update', [['Id']]], ['soft_delete', [['Id']]]]);
    expect(modes(ops, 'Invoice__c')).toEqual([['append', undefined], ['append_dedup', [['Invoice_Number__c']]], ['overwrite', [['Invoice_Number__c']]], ['append_dedup', [['Legacy_Number__c']]], ['overwrite', [['Legacy_Number__c']]], ['update', [['Id']]], ['soft_delete', [['Id']]]]);
    expect(modes(ops, 'Order_Event__e')).toEqual([['append', undefined]]);
    expect(modes(ops, 'Audit_Log__c')).toEqual([]);
    expect(modes(ops, 'User')).toEqual([]);
  });

  it('maps describe fields to JSON Schema: types, formats, lengths, restricted picklists, required, read-only left out', async () => {
    const { operations: ops } = await discover(sf.config);
    const append = operation(ops, 'Account', 'append');
    expect(append.json_schema).toMatchObject({ type: 'object', additionalProperties: false, required: ['Name'] });
    const p = properties(append);
    expect(p.Name).toEqual({ type: 'string', maxLength: 255, description: 'Account Name' });
    expect(p.Rating).toMatchObject({ type: ['string', 'null'], enum: ['Hot', 'Warm', 'Cold', null] });
    expect(p.Industry).not.toHaveProperty('enum');
    expect(p.NumberOfEmployees).toMatchObject({ type: ['integer', 'null'] });
    expect(p.AnnualRevenue).toMatchObject({ type: ['number', 'null'] });
    expect(p.Discount__c).toMatchObject({ type: ['number', 'null'] });
    expect(p.Active__c).toMatchObject({ type: 'boolean' });
    expect(p.Founded__c).toMatchObject({ type: ['string', 'null'], format: 'date' });
    expect(p.Last_Synced__c).toMatchObject({ type: ['string', 'null'], format: 'date-time', airbyte_type: 'timestamp_with_timezone' });
    expect(p.BillingCity).toMatchObject({ maxLength: 40 });
    for (const readOnly of ['Id', 'CreatedDate', 'BillingAddress', 'SystemModstamp', 'CreatedById', 'IsDeleted']) expect(p).not.toHaveProperty(readOnly);

    const update = operation(ops, 'Account', 'update');
    expect(update.json_schema.required).toEqual(['Id']);
    expect(Object.keys(properties(update))[0]).toBe('Id');
    expect(operation(ops, 'Account', 'soft_delete').json_schema).toMatchObject({ properties: { Id: { type: 'string' } }, required: ['Id'] });

    const event = operation(ops, 'Order_Event__e', 'append');
    expect(Object.keys(properties(event))).toEqual(['Order_Number__c', 'Amount__c', 'Payload__c']);
    expect(event.json_schema.required).toEqual(['Order_Number__c']);
  });

  it('describes relationship external-ID paths', async () => {
    const { operations: ops } = await discover(sf.config);
    const contact = properties(operation(ops, 'Contact', 'append'));
    expect(contact['Account.Ext_Id__c']).toMatchObject({ type: ['string', 'null'], maxLength: 50 });
    expect(contact['Account.Ext_Id__c']?.description).toContain('Sets AccountId by matching Account.Ext_Id__c');
    const invoice = operation(ops, 'Invoice__c', 'append_dedup', 'Invoice_Number__c');
    expect(properties(invoice)).toHaveProperty(['Account__r.Ext_Id__c']);
    expect(invoice.json_schema.required).toEqual(['Invoice_Number__c']);
    expect(properties(invoice).Invoice_Number__c).toEqual({ type: 'string', maxLength: 30, description: 'Invoice Number' });
  });

  it('discover_objects narrows the catalog (names or prefixes, any case)', async () => {
    const r = await discover({ ...sf.config, discover_objects: ['contact', 'invoice'] });
    expect(r.code).toBe(0);
    expect(objectsOf(r.operations)).toEqual(['Contact', 'Invoice__c']);
    // Parents are still described so relationship paths are offered.
    expect(properties(operation(r.operations, 'Contact', 'append'))).toHaveProperty(['Account.Ext_Id__c']);
    const described = sf.requests().filter((q) => q.route === 'sobjects.describe').map((q) => q.path);
    expect(described.some((p) => p.includes('/Lead/'))).toBe(false);
  });

  it('skips an object whose describe fails, with a WARN naming it; the others are present', async () => {
    sf.injectFault({ route: 'sobjects.describe', nth: 1, times: 1, status: 400 });
    const r = await discover({ ...sf.config, discover_objects: ['Account', 'Contact', 'Invoice__c', 'Order_Event__e'] });
    expect(r.code).toBe(0);
    expect(ofType(r, 'DESTINATION_CATALOG')).toHaveLength(1);
    const warned = warnings(r).filter((w) => w.startsWith('Skipped sObject'));
    expect(warned).toHaveLength(1);
    const skipped = /Skipped sObject (\S+):/.exec(warned[0] ?? '')?.[1];
    const expected = ['Account', 'Contact', 'Invoice__c', 'Order_Event__e'].filter((o) => o !== skipped);
    expect(expected).toHaveLength(3);
    expect(objectsOf(r.operations).sort()).toEqual(expected);
  });

  it('a describe answered 503 is retried: every object is still there, no WARN', async () => {
    sf.injectFault({ route: 'sobjects.describe', nth: 2, times: 2, status: 503 });
    const r = await discover({ ...sf.config, discover_objects: ['Account', 'Contact', 'Invoice__c'] }, { DESTINATION_SALESFORCE_RETRY_BASE_MS: '5' });
    expect(r.code).toBe(0);
    expect(objectsOf(r.operations).sort()).toEqual(['Account', 'Contact', 'Invoice__c']);
    expect(warnings(r).filter((w) => w.startsWith('Skipped'))).toEqual([]);
    expect(sf.requests().filter((q) => q.route === 'sobjects.describe' && q.status === 503)).toHaveLength(2);
  });

  it('a bad config fails with a config_error TRACE and no catalog', async () => {
    const r = await discover({ ...sf.config, client_secret: 'wrong-secret-value' });
    expect(r.code).toBe(1);
    expect(ofType(r, 'DESTINATION_CATALOG')).toHaveLength(0);
    expect(ofType(r, 'TRACE')[0]?.trace.error.failure_type).toBe('config_error');
    expect(r.stdout).not.toContain('wrong-secret-value');
  });
});
