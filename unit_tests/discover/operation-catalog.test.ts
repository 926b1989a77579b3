import { operationsFor, referencedObjects, relationshipPaths } from '../../src/discover/operation-catalog';
import type { DestinationOperation } from '../../src/protocol/types';
import type { SObjectDescribe } from '../../src/salesforce/types';
import { account, all, auditLog, contact, invoice, orderEvent, user } from './fixtures';

const byName = new Map<string, SObjectDescribe>(all().map((d) => [d.name, d]));
const lookup = (n: string) => byName.get(n);
const summary = (ops: DestinationOperation[]) => ops.map((o) => [o.sync_mode, o.matching_keys]);
const props = (o: DestinationOperation | undefined) => Object.keys((o?.json_schema.properties ?? {}) as object);
const find = (ops: DestinationOperation[], mode: string) => ops.find((o) => o.sync_mode === mode);

describe('operationsFor', () => {
  it('standard object: append, one append_dedup and one overwrite (mirror) per external ID, update by Id, soft_delete by Id', () => {
    const ops = operationsFor(account(), lookup);
    expect(summary(ops)).toEqual([
      ['append', undefined],
      ['append_dedup', [['Ext_Id__c']]],
      ['overwrite', [['Ext_Id__c']]],
      ['update', [['Id']]],
      ['soft_delete', [['Id']]],
    ]);
    for (const o of ops) expect(o.object_name).toBe('Account');
  });

  it('append: createable fields only, required on insert listed, additionalProperties false', () => {
    const append = find(operationsFor(account(), lookup), 'append');
    expect(append?.json_schema).toMatchObject({ type: 'object', additionalProperties: false, required: ['Name'] });
    const p = props(append);
    expect(p).toEqual(expect.arrayContaining(['Name', 'Ext_Id__c', 'Rating', 'BillingCity', 'OwnerId', 'Active__c']));
    for (const gone of ['Id', 'CreatedDate', 'BillingAddress', 'Score__c', 'Geo__c']) expect(p).not.toContain(gone);
  });

  it('append_dedup: the key first, non-null and required', () => {
    const dedup = find(operationsFor(account(), lookup), 'append_dedup');
    expect(props(dedup)[0]).toBe('Ext_Id__c');
    expect(dedup?.json_schema.required).toEqual(['Ext_Id__c', 'Name']);
    expect((dedup?.json_schema.properties as any).Ext_Id__c).toEqual({ type: 'string', maxLength: 40, description: 'External Id' });
  });

  it('update: Id required plus updateable fields', () => {
    const update = find(operationsFor(account(), lookup), 'update');
    expect(update?.json_schema.required).toEqual(['Id']);
    expect((update?.json_schema.properties as any).Id).toMatchObject({ type: 'string', maxLength: 18 });
    expect(props(update)).toContain('Name');
    expect(props(update)).not.toContain('CreatedDate');
  });

  it('soft_delete: Id only', () => {
    const del = find(operationsFor(account(), lookup), 'soft_delete');
    expect(del?.json_schema).toEqual({
      type: 'object', additionalProperties: false, properties: { Id: expect.objectContaining({ type: 'string' }) }, required: ['Id'],
    });
  });

  it('describes relationship external-ID paths, polymorphic ones with the type prefix', () => {
    const append = find(operationsFor(contact(), lookup), 'append');
    const path = (append?.json_schema.properties as any)['Account.Ext_Id__c'];
    expect(path).toMatchObject({ type: ['string', 'null'], maxLength: 40 });
    expect(path.description).toContain('Sets AccountId by matching Account.Ext_Id__c');
    expect(props(find(operationsFor(account(), lookup), 'append'))).toContain('User:Owner.Ext_Id__c');
    // Group is not described here: no paths for it, and nothing breaks.
    expect(props(find(operationsFor(account(), lookup), 'append')).filter((p) => p.startsWith('Group:'))).toEqual([]);
    expect(relationshipPaths(contact().fields[4]!, () => undefined)).toEqual([]);
    expect(referencedObjects(account()).sort()).toEqual(['Group', 'User']);
  });

  it('custom object: Invoice_Number__c dedup; a required lookup can be met by Id or external-ID path', () => {
    const ops = operationsFor(invoice(), lookup);
    expect(summary(ops)).toEqual([
      ['append', undefined],
      ['append_dedup', [['Invoice_Number__c']]],
      ['overwrite', [['Invoice_Number__c']]],
      ['update', [['Id']]],
      ['soft_delete', [['Id']]],
    ]);
    const append = find(ops, 'append');
    expect(props(append)).toEqual(['Invoice_Number__c', 'Status__c', 'Amount__c', 'Account__c', 'Account__r.Ext_Id__c']);
    expect(append?.json_schema.required).toBeUndefined();
    expect(append?.json_schema.anyOf).toEqual([{ required: ['Account__c'] }, { required: ['Account__r.Ext_Id__c'] }]);
    expect((append?.json_schema.properties as any).Status__c.enum).toEqual(['Draft', 'Paid', null]);
    // Account__c is not updateable (master-detail, not reparentable): not in update or upsert.
    expect(props(find(ops, 'update'))).not.toContain('Account__c');
    expect(props(find(ops, 'append_dedup'))).not.toContain('Account__r.Ext_Id__c');
    expect(find(ops, 'append_dedup')?.json_schema.required).toEqual(['Invoice_Number__c']);
  });

  it('platform event: append only', () => {
    const ops = operationsFor({ ...orderEvent(), updateable: true, deletable: true }, lookup);
    expect(summary(ops)).toEqual([['append', undefined]]);
    expect(ops[0]?.json_schema.required).toEqual(['Order_Number__c']);
    expect(props(ops[0])).toEqual(['Order_Number__c', 'Amount__c']);
  });

  it('nothing writable: no operations; an object without updateable fields gets no update', () => {
    expect(operationsFor(auditLog(), lookup)).toEqual([]);
    expect(summary(operationsFor(user(), lookup))).toEqual([['append', undefined], ['append_dedup', [['Ext_Id__c']]], ['update', [['Id']]]]);
  });

  it('output validates as JSON: every schema is a plain object', () => {
    for (const d of all()) for (const o of operationsFor(d, lookup)) expect(JSON.parse(JSON.stringify(o))).toEqual(o);
  });
});
