/** Shapes of Salesforce REST / Bulk API 2.0 payloads we read (../shared/reference/salesforce-api.md §1, §6). */

export type BulkOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export interface JobInfo {
  id: string;
  operation: BulkOperation;
  object: string;
  state: JobState;
  externalIdFieldName?: string;
  lineEnding?: 'LF' | 'CRLF';
  columnDelimiter?: string;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  retries?: number;
  errorMessage?: string;
  contentUrl?: string;
  [key: string]: unknown;
}

export interface SObjectSummary {
  name: string;
  label?: string;
  custom?: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable?: boolean;
  [key: string]: unknown;
}

export interface PicklistValue {
  active: boolean;
  value: string;
  label?: string;
  defaultValue?: boolean;
}

export interface FieldDescribe {
  name: string;
  label: string;
  type: string;
  length: number;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  defaultedOnCreate: boolean;
  calculated?: boolean;
  autoNumber?: boolean;
  externalId: boolean;
  idLookup: boolean;
  unique?: boolean;
  precision?: number;
  scale?: number;
  digits?: number;
  referenceTo?: string[];
  relationshipName?: string | null;
  picklistValues?: PicklistValue[];
  restrictedPicklist?: boolean;
  compoundFieldName?: string | null;
  [key: string]: unknown;
}

export interface SObjectDescribe extends SObjectSummary {
  fields: FieldDescribe[];
}

/** Reads object metadata; implementations cache per object. */
export interface Describer {
  listSObjects(): Promise<SObjectSummary[]>;
  /** undefined when the object does not exist (404 NOT_FOUND). */
  describe(name: string): Promise<SObjectDescribe | undefined>;
}
