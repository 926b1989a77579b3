// STUB (owned by the foundation work): Describer over REST, cached per object.
import type { SalesforceApi } from './salesforce-api';
import type { Describer, SObjectDescribe, SObjectSummary } from './types';

export class RestDescriber implements Describer {
  constructor(private readonly api: SalesforceApi) {}
  async listSObjects(): Promise<SObjectSummary[]> {
    throw new Error(`not implemented yet (${this.api.instanceUrl})`);
  }
  async describe(_name: string): Promise<SObjectDescribe | undefined> {
    throw new Error('not implemented yet');
  }
}
