/**
 * sObject Collections (salesforce-api.md §7, SaveResult §4.3) over the SalesforceApi port: one
 * request of at most 200 records, `allOrNone: false`, one SaveResult per record in the order sent.
 *
 * - insert `POST composite/sobjects` · update `PATCH composite/sobjects` · upsert
 *   `PATCH composite/sobjects/{Object}/{ExternalIdField}` · delete `DELETE composite/sobjects?ids=…`.
 * - An insert is sent WITHOUT the port's retries: a request whose answer is lost may have inserted
 *   its records, so it must not be repeated blindly (the REST executor decides, failure-causes.ts).
 *   Keyed operations (update, upsert, delete) write the same records again: the port retries them.
 * - `assignmentRuleId` → the `Sforce-Auto-Assign` header (Salesforce runs the default rule when it is absent).
 */
import type { SalesforceApi } from './salesforce-api';

export const COLLECTION_MAX_RECORDS = 200;

export type CollectionsOperation = 'insert' | 'update' | 'upsert' | 'delete';

export interface SaveResult {
  id: string | null;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields?: string[] }>;
  created?: boolean;
}

export interface CollectionsRequest {
  object: string;
  operation: CollectionsOperation;
  externalIdFieldName?: string;
  assignmentRuleId?: string;
  /** insert / update / upsert: the records (without `attributes`, added here). */
  records?: Array<Record<string, unknown>>;
  /** delete: the record ids. */
  ids?: string[];
}

export class CollectionsClient {
  constructor(private readonly api: SalesforceApi) {}

  /**
   * One request; the SaveResults in the order of the records (or ids) sent, or undefined when the
   * answer is not a list of results (the caller cannot tell what happened to the records).
   */
  async save(req: CollectionsRequest): Promise<SaveResult[] | undefined> {
    const headers = req.assignmentRuleId ? { headers: { 'Sforce-Auto-Assign': req.assignmentRuleId } } : {};
    const sent = req.operation === 'delete' ? (req.ids ?? []).length : (req.records ?? []).length;
    if (sent > COLLECTION_MAX_RECORDS) throw new RangeError(`at most ${COLLECTION_MAX_RECORDS} records per collections request`);
    let res;
    if (req.operation === 'delete') {
      const ids = (req.ids ?? []).map(encodeURIComponent).join(',');
      res = await this.api.request({ method: 'DELETE', path: `composite/sobjects?ids=${ids}&allOrNone=false`, ...headers });
    } else {
      const records = (req.records ?? []).map((r) => ({ attributes: { type: req.object }, ...r }));
      const json = { allOrNone: false, records };
      if (req.operation === 'insert') res = await this.api.request({ method: 'POST', path: 'composite/sobjects', json, retry: false, ...headers });
      else if (req.operation === 'update') res = await this.api.request({ method: 'PATCH', path: 'composite/sobjects', json, ...headers });
      else {
        const field = req.externalIdFieldName ?? 'Id';
        res = await this.api.request({ method: 'PATCH', path: `composite/sobjects/${encodeURIComponent(req.object)}/${encodeURIComponent(field)}`, json, ...headers });
      }
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    return Array.isArray(parsed) ? (parsed as SaveResult[]) : undefined;
  }
}
