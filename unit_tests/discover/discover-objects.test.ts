import { discoverOperations, matchesObjectFilter } from '../../src/discover/discover-objects';
import { ConnectorError } from '../../src/errors';
import type { Describer, SObjectDescribe, SObjectSummary } from '../../src/salesforce/types';
import { all } from './fixtures';

function fakeDescriber(objects: SObjectDescribe[], failing: Set<string> = new Set()) {
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const describer: Describer = {
    async listSObjects(): Promise<SObjectSummary[]> {
      return objects.map(({ fields: _f, ...s }) => s);
    },
    async describe(name) {
      calls.push(name);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      if (failing.has(name)) throw new ConnectorError(`Salesforce answered 500 for ${name}`, 'transient_error');
      return objects.find((o) => o.name === name);
    },
  };
  return { describer, calls, maxInFlight: () => maxInFlight };
}

function logger() {
  const lines: string[] = [];
  return { lines, warn: (m: string) => lines.push(`WARN ${m}`), info: (m: string) => lines.push(`INFO ${m}`) };
}

const objects = (ops: Array<{ object_name: string }>) => [...new Set(ops.map((o) => o.object_name))];

describe('discoverOperations', () => {
  it('describes every writable object, plus lookup parents, in org order', async () => {
    const f = fakeDescriber(all());
    const ops = await discoverOperations({ describer: f.describer, logger: logger() });
    expect(objects(ops)).toEqual(['Account', 'Contact', 'Invoice__c', 'Order_Event__e', 'User']);
    expect(f.calls).not.toContain('Audit_Log__c');
    expect(f.calls.filter((c) => c === 'Account')).toHaveLength(1);
  });

  it('narrows by names or prefixes, case-insensitive, and still describes parents for paths', async () => {
    const f = fakeDescriber(all());
    const log = logger();
    const ops = await discoverOperations({ describer: f.describer, logger: log, discoverObjects: ['contact', 'INVOICE*', 'Nope'] });
    expect(objects(ops)).toEqual(['Contact', 'Invoice__c']);
    expect(f.calls).toContain('Account');
    expect(Object.keys(ops.find((o) => o.object_name === 'Contact')?.json_schema.properties as object)).toContain('Account.Ext_Id__c');
    expect(log.lines.some((l) => l.startsWith('WARN') && l.includes('"Nope"'))).toBe(true);
  });

  it('skips an object whose describe fails, with a WARN naming it', async () => {
    const f = fakeDescriber(all(), new Set(['Contact']));
    const log = logger();
    const ops = await discoverOperations({ describer: f.describer, logger: log });
    expect(objects(ops)).toEqual(['Account', 'Invoice__c', 'Order_Event__e', 'User']);
    expect(log.lines.filter((l) => l.startsWith('WARN'))).toEqual([expect.stringContaining('Skipped sObject Contact')]);
  });

  it('fails when every describe fails', async () => {
    const f = fakeDescriber(all(), new Set(all().map((o) => o.name)));
    await expect(discoverOperations({ describer: f.describer, logger: logger() })).rejects.toMatchObject({ failureType: 'transient_error' });
  });

  it('bounds describe concurrency', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ ...all()[0]!, name: `Obj${i}__c` }));
    const f = fakeDescriber(many);
    await discoverOperations({ describer: f.describer, logger: logger(), concurrency: 4 });
    expect(f.maxInFlight()).toBe(4);
    expect(f.calls.length).toBeGreaterThanOrEqual(30);
  });

  it('matchesObjectFilter', () => {
    expect(matchesObjectFilter('Invoice__c', ['invoice'])).toBe(true);
    expect(matchesObjectFilter('Account', ['ACCOUNT'])).toBe(true);
    expect(matchesObjectFilter('Account', ['Contact', '*'])).toBe(false);
    expect(matchesObjectFilter('Account', [' '])).toBe(false);
  });
});
