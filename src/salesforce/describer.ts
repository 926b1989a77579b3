/**
 * Describer over REST (salesforce-api.md §6): the sObject list and per-object describes,
 * each fetched at most once (concurrent callers share the request).
 */
import type { SalesforceApi } from './salesforce-api';
import { SalesforceApiError } from './salesforce-errors';
import type { Describer, SObjectDescribe, SObjectSummary } from './types';

export class RestDescriber implements Describer {
  private list: Promise<SObjectSummary[]> | undefined;
  private readonly describes = new Map<string, Promise<SObjectDescribe | undefined>>();

  constructor(private readonly api: SalesforceApi) {}

  listSObjects(): Promise<SObjectSummary[]> {
    if (!this.list) {
      this.list = this.api.request({ method: 'GET', path: 'sobjects' }).then((res) => {
        const parsed = JSON.parse(res.body.toString('utf8')) as { sobjects?: SObjectSummary[] };
        return parsed.sobjects ?? [];
      });
      this.list.catch(() => (this.list = undefined)); // a failure is not cached
    }
    return this.list;
  }

  /** undefined when Salesforce has no such object (404 NOT_FOUND). Names are matched as given. */
  describe(name: string): Promise<SObjectDescribe | undefined> {
    const key = name.toLowerCase();
    let pending = this.describes.get(key);
    if (!pending) {
      pending = this.fetchDescribe(name);
      this.describes.set(key, pending);
      pending.catch(() => this.describes.delete(key));
    }
    return pending;
  }

  /**
   * The object's API name as Salesforce spells it (`account` → `Account`), from the sObject list;
   * undefined when the org has no such object.
   */
  async resolveName(name: string): Promise<string | undefined> {
    return resolveObjectName(await this.listSObjects(), name);
  }

  private async fetchDescribe(name: string): Promise<SObjectDescribe | undefined> {
    try {
      const res = await this.api.request({ method: 'GET', path: `sobjects/${encodeURIComponent(name)}/describe` });
      return JSON.parse(res.body.toString('utf8')) as SObjectDescribe;
    } catch (err) {
      if (err instanceof SalesforceApiError && err.status === 404) return undefined;
      throw err;
    }
  }
}

/** Case-insensitive lookup of a user-given object name in the sObject list. */
export function resolveObjectName(sobjects: SObjectSummary[], name: string): string | undefined {
  const wanted = name.trim().toLowerCase();
  return sobjects.find((s) => s.name.toLowerCase() === wanted)?.name;
}
