/**
 * Stored records as the REST API shows them (single-record GET, query, Bulk query): audit fields filled from the
 * record's own timestamps, datetimes as `yyyy-MM-ddTHH:mm:ss.SSS+0000`, `attributes` first.
 */
import type { Org } from './org';
import type { FieldDef, ObjectDef } from './org-schema';
import type { FieldValue, StoredRecord } from './store';

const iso = (ms: number) => new Date(ms).toISOString();

/** The value a read returns for one field (audit fields computed, an unset boolean false, anything else unset null). */
export function fieldValue(org: Org, rec: StoredRecord, fd: FieldDef): FieldValue {
  const v = rec.values[fd.name];
  switch (fd.name) {
    case 'Id':
      return rec.id;
    case 'IsDeleted':
      return rec.deleted;
    case 'CreatedDate':
      return v ?? iso(rec.createdAt);
    case 'LastModifiedDate':
    case 'SystemModstamp':
      return v ?? iso(rec.modifiedAt);
    case 'CreatedById':
    case 'LastModifiedById':
      return v ?? org.userId;
  }
  if (v === undefined) return fd.type === 'boolean' ? false : null;
  return v;
}

/** JSON form of a value: datetimes with Salesforce's `+0000` offset [REAL §1.2]; everything else as stored. */
export function jsonValue(fd: FieldDef, v: FieldValue): FieldValue {
  if (fd.type === 'datetime' && typeof v === 'string' && !Number.isNaN(Date.parse(v))) {
    return new Date(v).toISOString().replace('Z', '+0000');
  }
  return v;
}

export function attributes(obj: ObjectDef, id: string, version: string): { type: string; url: string } {
  return { type: obj.name, url: `/services/data/v${version}/sobjects/${obj.name}/${id}` };
}

/** `{attributes, <field>: value…}` with the given fields in their API-name spelling. */
export function recordJson(org: Org, obj: ObjectDef, rec: StoredRecord, fields: FieldDef[], version: string): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: attributes(obj, rec.id, version) };
  for (const fd of fields) out[fd.name] = jsonValue(fd, fieldValue(org, rec, fd));
  return out;
}
