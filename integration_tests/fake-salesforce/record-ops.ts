/**
 * One row of DML (insert / update / upsert / delete / hardDelete) against the store, shared by Bulk API 2.0
 * ingest and sObject Collections. Validation order and wording: reference §3, §4.4; see README for tags.
 */
import type { Column } from './columns';
import { type RowError, convertCell, malformedId } from './field-values';
import { to18 } from './ids';
import { type FieldDef, type FieldLists, type ObjectDef, fieldLists } from './org-schema';
import type { FieldValue, RecordStore, StoredRecord } from './store';

export type DmlOp = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

export interface RowOutcome {
  ok: boolean;
  /** Record id; '' when no record was created or matched. */
  id: string;
  created: boolean;
  error?: RowError;
}

export interface DmlContext {
  store: RecordStore;
  userId: string;
  /** Upsert key values present more than once in the same upload (lower-cased unless caseSensitive). */
  duplicateKeys?: Set<string>;
  /** Called right before a write commits; an error returned fails the row (injected lock errors). */
  beforeCommit?: (targetId: string) => RowError | undefined;
  /** What `#N/A` in a relationship column does (option relationshipNull). */
  relationshipNull?: 'clears' | 'not-found';
}

export type Cell = [Column, string];

const err = (code: string, message: string, fields: string[] = []): RowError => ({ code, message, fields });
const failed = (error: RowError, id = ''): RowOutcome => ({ ok: false, id, created: false, error });

function idCell(cells: Cell[]): string {
  for (const [col, raw] of cells) if (col.kind === 'field' && col.field.name === 'Id') return raw;
  return '';
}

type Lookup = { rec: StoredRecord } | { error: RowError };

/** Finds the record an Id cell names; errors per reference §1.9 / §4.4. */
function lookupById(ctx: DmlContext, obj: ObjectDef, raw: string, call: string): Lookup {
  const idField = obj.fields.find((f) => f.name === 'Id') as FieldDef;
  if (raw === '') return { error: err('MISSING_ARGUMENT', `Id not specified in ${call} call`) };
  const id = to18(raw);
  if (!id || id.slice(0, 3) !== obj.keyPrefix) return { error: malformedId(idField, raw) };
  const rec = ctx.store.get(obj.name, id);
  if (!rec) return { error: err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id') };
  if (rec.deleted) return { error: err('ENTITY_IS_DELETED', 'entity is deleted') };
  return { rec };
}

export function applyDelete(ctx: DmlContext, obj: ObjectDef, op: 'delete' | 'hardDelete', cells: Cell[]): RowOutcome {
  if (!obj.deletable) return failed(err('INVALID_TYPE_FOR_OPERATION', `entity type cannot be deleted: ${obj.label}`));
  const found = lookupById(ctx, obj, idCell(cells), 'a delete');
  if ('error' in found) return failed(found.error);
  const lock = ctx.beforeCommit?.(found.rec.id);
  if (lock) return failed(lock, found.rec.id);
  if (op === 'hardDelete') ctx.store.hardDelete(found.rec);
  else ctx.store.softDelete(found.rec);
  return { ok: true, id: found.rec.id, created: false };
}

/** Decides which record (if any) an insert/update/upsert row targets. */
function target(ctx: DmlContext, obj: ObjectDef, op: DmlOp, keyField: FieldDef | undefined, cells: Cell[]): Lookup | { insert: true } {
  if (op === 'insert') {
    if (idCell(cells) !== '') return { error: err('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']) };
    return { insert: true };
  }
  if (op === 'update') return lookupById(ctx, obj, idCell(cells), 'an update');
  const key = keyField as FieldDef;
  if (key.name === 'Id') {
    const raw = idCell(cells);
    return raw === '' ? { insert: true } : lookupById(ctx, obj, raw, 'an upsert');
  }
  const keyCell = cells.find(([col]) => col.kind === 'field' && col.field.name === key.name);
  const value = keyCell ? keyCell[1] : '';
  if (value === '' || value === '#N/A') return { error: err('MISSING_ARGUMENT', `${key.name} not specified`) };
  const norm = key.caseSensitive ? value : value.toLowerCase();
  if (ctx.duplicateKeys?.has(norm)) return { error: err('DUPLICATE_VALUE', `Duplicate external id specified: ${value}`) };
  const matches = ctx.store.findBy(obj, key, value);
  if (matches.length > 1) {
    return { error: err('DUPLICATE_EXTERNAL_ID', `${key.label}: more than one record found for external id field: [${matches.map((m) => m.id).join(', ')}]`) };
  }
  return matches[0] ? { rec: matches[0] } : { insert: true };
}

export function applyWrite(ctx: DmlContext, obj: ObjectDef, op: 'insert' | 'update' | 'upsert', keyField: FieldDef | undefined, cells: Cell[]): RowOutcome {
  const t = target(ctx, obj, op, keyField, cells);
  if ('error' in t) return failed(t.error);
  const existing = 'rec' in t ? t.rec : undefined;
  const sfId = existing?.id ?? '';
  if (!existing && !obj.createable) return failed(err('INVALID_TYPE_FOR_OPERATION', `entity type cannot be inserted: ${obj.label}`));
  if (existing && !obj.updateable) return failed(err('INVALID_TYPE_FOR_OPERATION', `entity type cannot be updated: ${obj.label}`), sfId);

  // Fields the profile may not write (non-empty cells only; the key columns are not written).
  const locked: string[] = [];
  for (const [col, raw] of cells) {
    if (raw === '' || col.field.name === 'Id') continue;
    if (existing && keyField && col.kind === 'field' && col.field.name === keyField.name) continue;
    const writable = existing ? col.field.updateable : col.field.createable;
    if (!writable && !locked.includes(col.field.name)) locked.push(col.field.name);
  }
  if (locked.length > 0) {
    return failed(err('INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${locked.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, locked), sfId);
  }

  const values: Record<string, FieldValue> = {};
  for (const [col, raw] of cells) {
    if (raw === '' || col.field.name === 'Id') continue; // empty: unchanged on update, default on insert
    if (raw === '#N/A') {
      if (col.kind === 'relation' && ctx.relationshipNull === 'not-found') {
        return failed(err('INVALID_FIELD', `Foreign key external ID: ${raw} not found for field ${col.targetField.name} in entity ${col.target.name}`), sfId);
      }
      values[col.field.name] = col.field.type === 'boolean' ? false : null;
      continue;
    }
    if (col.kind === 'relation') {
      const parents = ctx.store.findBy(col.target, col.targetField, raw);
      if (parents.length !== 1) {
        const what = parents.length === 0 ? 'not found' : 'matched more than one record';
        return failed(err('INVALID_FIELD', `Foreign key external ID: ${raw} ${what} for field ${col.targetField.name} in entity ${col.target.name}`), sfId);
      }
      values[col.field.name] = (parents[0] as StoredRecord).id;
      continue;
    }
    const conv = convertCell(col.field, raw);
    if (!conv.ok) return failed(conv.error, sfId);
    if (col.field.type === 'reference' && typeof conv.value === 'string') {
      const parent = ctx.store.getAnywhere(conv.value);
      if (!parent || parent.deleted) return failed(err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id'), sfId);
    }
    values[col.field.name] = conv.value;
  }

  const lists = fieldLists(obj);
  if (!existing) applyDefaults(ctx, lists, values);
  const missing = missingFields(obj, lists, values, existing);
  if (missing.length > 0) {
    return failed(err('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing), sfId);
  }

  for (const fd of lists.unique) {
    const v = values[fd.name];
    if (v === null || v === undefined) continue;
    const clash = otherThan(ctx.store.findBy(obj, fd, v), sfId);
    if (clash) return failed(err('DUPLICATE_VALUE', `duplicate value found: ${fd.name} duplicates value on record with id: ${clash.id}`), sfId);
  }

  const lock = ctx.beforeCommit?.(sfId);
  if (lock) return failed(lock, sfId);
  if (existing) {
    ctx.store.update(existing, values);
    return { ok: true, id: existing.id, created: false };
  }
  const rec = ctx.store.insert(obj, values, true);
  return { ok: true, id: rec.id, created: true };
}

function otherThan(records: StoredRecord[], id: string): StoredRecord | undefined {
  for (const r of records) if (r.id !== id) return r;
  return undefined;
}

/**
 * The fields REQUIRED_FIELD_MISSING names, in the object's field order: on insert a required field left
 * empty, and any non-nillable field set to null. Nothing is allocated for a row that has them all.
 */
function missingFields(obj: ObjectDef, lists: FieldLists, values: Record<string, FieldValue>, existing: StoredRecord | undefined): string[] {
  let missing: Set<string> | undefined;
  if (!existing) {
    for (const fd of lists.requiredOnInsert) {
      const v = values[fd.name];
      if (v === null || v === undefined) (missing ??= new Set()).add(fd.name);
    }
  }
  for (const name in values) {
    if (values[name] !== null) continue;
    const fd = lists.byName.get(name);
    if (fd && !fd.nillable) (missing ??= new Set()).add(name);
  }
  if (!missing) return [];
  const names = missing;
  return obj.fields.filter((fd) => names.has(fd.name)).map((fd) => fd.name);
}

function applyDefaults(ctx: DmlContext, lists: FieldLists, values: Record<string, FieldValue>): void {
  for (const fd of lists.defaulted) {
    if (fd.name in values) continue;
    if (fd.name === 'OwnerId') values[fd.name] = ctx.userId;
    else values[fd.name] = fd.defaultValue as FieldValue;
  }
}
