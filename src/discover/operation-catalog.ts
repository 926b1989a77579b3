/**
 * SObjectDescribe → the DestinationOperations this destination can perform on it (pure).
 *
 *   append        createable                 Bulk insert; createable fields; required = required on insert
 *   append_dedup  createable && updateable   Bulk upsert, one operation per External ID field (its matching key);
 *                                            fields both createable and updateable (an upsert may do either)
 *   update        updateable                 Bulk update by Id; updateable fields + Id (required)
 *   overwrite     append_dedup && deletable  a mirror: upsert on the External ID, then the records of the
 *                                            stream's mirror_scope the source did not send are deleted
 *   soft_delete   deletable                  Bulk delete (recycle bin) by Id; Id only
 *   Platform events (`__e`) are publish-only: append.
 *
 * Every json_schema has `additionalProperties: false`: the properties are exactly the columns Salesforce
 * accepts for that operation (a column outside them fails the whole Bulk job with InvalidBatch), so the
 * Airbyte platform is told to reject a mapping onto a field that does not exist or is read-only before
 * the sync starts instead of at load time.
 *
 * Lookups can also be set through a parent's External ID (Bulk API relationship columns):
 * `Account.Ext_Id__c`, `Account__r.Ext_Id__c`, and for polymorphic lookups `User:Owner.Ext_Id__c`.
 * A required lookup that has such alternatives moves from `required` into an `anyOf` of alternatives
 * (the platform's FieldGenerator reads only the top-level `required`, so it will not demand the Id).
 * Nillable fields are `[type, "null"]` (null clears the field); the platform strips "null" when typing.
 */
import type { DestinationOperation, DestinationSyncMode } from '../protocol/types';
import type { FieldDescribe, SObjectDescribe } from '../salesforce/types';
import { fieldSchema, isNeverWritable, isRequiredOnCreate, relationshipPathSchema, type JsonSchema } from './field-schema';

/** Looks up an already-fetched describe (parents of lookups); undefined when unknown or not fetched. */
export type DescribeLookup = (objectName: string) => SObjectDescribe | undefined;

export interface RelationshipPath {
  /** Column name, e.g. `Account.Ext_Id__c` or `User:Owner.Ext_Id__c`. */
  name: string;
  /** The lookup field it sets, e.g. `AccountId`. */
  field: string;
  schema: JsonSchema;
}

const ID_SCHEMA: JsonSchema = { type: 'string', minLength: 15, maxLength: 18, description: 'Record ID' };

export function isPlatformEvent(objectName: string): boolean {
  return objectName.toLowerCase().endsWith('__e');
}

/** Objects named in a lookup's referenceTo whose describe is needed for relationship paths. */
export function referencedObjects(d: SObjectDescribe): string[] {
  const names = new Set<string>();
  for (const f of d.fields) {
    if (f.type === 'reference' && f.relationshipName && (f.createable || f.updateable)) {
      for (const p of f.referenceTo ?? []) names.add(p);
    }
  }
  return [...names];
}

/** Relationship columns that set lookup `f` by a parent's External ID field. */
export function relationshipPaths(f: FieldDescribe, lookup: DescribeLookup): RelationshipPath[] {
  const parents = f.referenceTo ?? [];
  if (f.type !== 'reference' || !f.relationshipName || parents.length === 0) return [];
  const polymorphic = parents.length > 1;
  const paths: RelationshipPath[] = [];
  for (const parentName of parents) {
    const parent = lookup(parentName);
    for (const key of parent?.fields ?? []) {
      if (!key.externalId) continue;
      const name = `${polymorphic ? `${parentName}:` : ''}${f.relationshipName}.${key.name}`;
      const description = `Sets ${f.name} by matching ${parentName}.${key.name} (${key.label || key.name}): the ${parentName} record whose ${key.name} equals this value. Use instead of ${f.name}.`;
      paths.push({ name, field: f.name, schema: relationshipPathSchema(key, description, f.nillable) });
    }
  }
  return paths;
}

interface ObjectSchemaInput {
  fields: FieldDescribe[];
  lookup: DescribeLookup;
  /** Field names that must be present (before lookups with alternatives are relaxed). */
  required: Set<string>;
  /** Properties placed first, with their schema (Id, the matching key). */
  leading?: Array<[string, JsonSchema]>;
}

function objectSchema(input: ObjectSchemaInput): { schema: JsonSchema; fieldCount: number } {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, s] of input.leading ?? []) properties[name] = s;
  const required: string[] = [...(input.leading ?? [])].map(([n]) => n).filter((n) => input.required.has(n));
  const anyOf: JsonSchema[] = [];
  let fieldCount = 0;
  for (const f of input.fields) {
    if (properties[f.name]) continue;
    const s = fieldSchema(f);
    if (!s) continue;
    properties[f.name] = s;
    fieldCount++;
    const paths = relationshipPaths(f, input.lookup);
    for (const p of paths) properties[p.name] = p.schema;
    if (!input.required.has(f.name)) continue;
    if (paths.length === 0) required.push(f.name);
    else anyOf.push({ anyOf: [f.name, ...paths.map((p) => p.name)].map((n) => ({ required: [n] })) });
  }
  const schema: JsonSchema = { type: 'object', additionalProperties: false, properties };
  if (required.length > 0) schema.required = required;
  if (anyOf.length === 1) Object.assign(schema, anyOf[0]);
  else if (anyOf.length > 1) schema.allOf = anyOf;
  return { schema, fieldCount: fieldCount + (input.leading?.length ?? 0) };
}

function op(object: string, mode: DestinationSyncMode, json_schema: JsonSchema, matching_keys?: string[][]): DestinationOperation {
  return matching_keys ? { object_name: object, sync_mode: mode, json_schema, matching_keys } : { object_name: object, sync_mode: mode, json_schema };
}

function idSchema(d: SObjectDescribe): JsonSchema {
  const id = d.fields.find((f) => f.name === 'Id');
  return { ...ID_SCHEMA, description: id?.label || 'Record ID' };
}

/** A matching key is never null, whatever the field's nillability. */
function keySchema(f: FieldDescribe): JsonSchema {
  const s = fieldSchema(f) ?? {};
  const type = s.type;
  const out: JsonSchema = { ...s, type: Array.isArray(type) ? type.filter((t) => t !== 'null') : type };
  if (Array.isArray(out.type) && out.type.length === 1) out.type = out.type[0];
  if (Array.isArray(out.enum)) out.enum = out.enum.filter((v) => v !== null);
  return out;
}

export function operationsFor(d: SObjectDescribe, lookup: DescribeLookup = () => undefined): DestinationOperation[] {
  const ops: DestinationOperation[] = [];
  const event = isPlatformEvent(d.name);
  const createable = d.fields.filter((f) => f.createable && !isNeverWritable(f));
  const requiredOnCreate = new Set(createable.filter(isRequiredOnCreate).map((f) => f.name));

  if (d.createable) {
    const { schema, fieldCount } = objectSchema({ fields: createable, lookup, required: requiredOnCreate });
    if (fieldCount > 0) ops.push(op(d.name, 'append', schema));
  }
  if (event) return ops;

  if (d.createable && d.updateable) {
    const both = createable.filter((f) => f.updateable);
    for (const key of createable.filter((f) => f.externalId)) {
      const required = new Set([key.name, ...[...requiredOnCreate].filter((n) => both.some((f) => f.name === n))]);
      const { schema } = objectSchema({ fields: both, lookup, required, leading: [[key.name, keySchema(key)]] });
      ops.push(op(d.name, 'append_dedup', schema, [[key.name]]));
      // A mirror (stream_settings mirror_scope): upserts on the key, then deletes in-scope records the source no longer has.
      if (d.deletable) ops.push(op(d.name, 'overwrite', schema, [[key.name]]));
    }
  }
  if (d.updateable) {
    const updateable = d.fields.filter((f) => f.updateable && !isNeverWritable(f) && f.name !== 'Id');
    if (updateable.length > 0) {
      const { schema } = objectSchema({ fields: updateable, lookup, required: new Set(['Id']), leading: [['Id', idSchema(d)]] });
      ops.push(op(d.name, 'update', schema, [['Id']]));
    }
  }
  if (d.deletable) {
    const schema = { type: 'object', additionalProperties: false, properties: { Id: idSchema(d) }, required: ['Id'] };
    ops.push(op(d.name, 'soft_delete', schema, [['Id']]));
  }
  return ops;
}
