import type { SalesforceApi, SalesforceRequest, SalesforceResponse } from '../../src/salesforce/salesforce-api';
import { RestDescriber, resolveObjectName } from '../../src/salesforce/describer';
import { SalesforceApiError } from '../../src/salesforce/salesforce-errors';

function fakeApi(answer: (req: SalesforceRequest) => SalesforceResponse | Error): SalesforceApi & { paths: string[] } {
  const paths: string[] = [];
  return {
    apiVersion: '62.0',
    instanceUrl: 'http://127.0.0.1:1',
    paths,
    stats: () => ({ calls: paths.length }),
    request: async (req) => {
      paths.push(req.path);
      const a = answer(req);
      if (a instanceof Error) throw a;
      return a;
    },
  };
}

const ok = (body: unknown): SalesforceResponse => ({ status: 200, headers: {}, body: Buffer.from(JSON.stringify(body)) });
const notFound = () => new SalesforceApiError({ message: 'not found', failureType: 'config_error', status: 404, errorCode: 'NOT_FOUND' });
const summary = (name: string) => ({ name, createable: true, updateable: true, deletable: true });

describe('RestDescriber', () => {
  it('given an object then describe is fetched once and cached, case-insensitively', async () => {
    const api = fakeApi(() => ok({ ...summary('Account'), fields: [] }));
    const d = new RestDescriber(api);
    const [a, b] = await Promise.all([d.describe('Account'), d.describe('Account')]);
    await d.describe('account');
    expect(a?.name).toBe('Account');
    expect(b).toBe(a);
    expect(api.paths).toEqual(['sobjects/Account/describe']);
  });

  it('given an unknown object then describe resolves undefined', async () => {
    const d = new RestDescriber(fakeApi(() => notFound()));
    expect(await d.describe('Nope__c')).toBeUndefined();
  });

  it('given another failure then it is thrown and not cached', async () => {
    let n = 0;
    const api = fakeApi(() => (++n === 1 ? new SalesforceApiError({ message: 'boom', failureType: 'transient_error', status: 503 }) : ok({ ...summary('Lead'), fields: [] })));
    const d = new RestDescriber(api);
    await expect(d.describe('Lead')).rejects.toThrow('boom');
    expect((await d.describe('Lead'))?.name).toBe('Lead');
  });

  it('given the sObject list then names resolve to Salesforce spelling', async () => {
    const api = fakeApi(() => ok({ encoding: 'UTF-8', sobjects: [summary('Account'), summary('Invoice__c')] }));
    const d = new RestDescriber(api);
    expect(await d.resolveName('invoice__C')).toBe('Invoice__c');
    expect(await d.resolveName(' account ')).toBe('Account');
    expect(await d.resolveName('Nope')).toBeUndefined();
    expect(api.paths).toEqual(['sobjects']);
    expect(resolveObjectName([], 'x')).toBeUndefined();
  });
});
