/**
 * A SalesforceApi that counts the requests made through it (the HTTP port's own retries are not
 * counted again), so the sync summary can say what each API cost.
 */
import type { ApiStats, SalesforceApi, SalesforceRequest, SalesforceResponse } from './salesforce-api';

export class CountedApi implements SalesforceApi {
  calls = 0;

  constructor(private readonly inner: SalesforceApi) {}

  get apiVersion(): string {
    return this.inner.apiVersion;
  }

  get instanceUrl(): string {
    return this.inner.instanceUrl;
  }

  request(req: SalesforceRequest): Promise<SalesforceResponse> {
    this.calls += 1;
    return this.inner.request(req);
  }

  stats(): ApiStats {
    return this.inner.stats();
  }
}
