/** The org's records: live ones, the recycle bin (soft-deleted), and nothing for hard-deleted ones. */
import { newId } from './ids';
import { type FieldDef, type ObjectDef, findObject } from './org-schema';

export type FieldValue = string | number | boolean | null;

export interface StoredRecord {
  id: string;
  object: string;
  values: Record<string, FieldValue>;
  deleted: boolean;
  createdAt: number;
  modifiedAt: number;
}

export class RecordStore {
  private readonly byObject = new Map<string, Map<string, StoredRecord>>();
  private autoNumbers = new Map<string, number>();

  private table(object: string): Map<string, StoredRecord> {
    let t = this.byObject.get(object);
    if (!t) {
      t = new Map();
      this.byObject.set(object, t);
    }
    return t;
  }

  /** Copy of every table, for allOrNone rollback. */
  snapshot(): Map<string, Map<string, StoredRecord>> {
    const copy = new Map<string, Map<string, StoredRecord>>();
    for (const [name, t] of this.byObject) {
      copy.set(name, new Map([...t].map(([id, r]) => [id, { ...r, values: { ...r.values } }])));
    }
    return copy;
  }

  rollback(snap: Map<string, Map<string, StoredRecord>>): void {
    this.byObject.clear();
    for (const [name, t] of snap) this.byObject.set(name, t);
  }

  clear(): void {
    this.byObject.clear();
    this.autoNumbers.clear();
  }

  /** Inserts with values already validated/typed; fills autoNumber fields. */
  insert(obj: ObjectDef, values: Record<string, FieldValue>): StoredRecord {
    const id = newId(obj.keyPrefix);
    const now = Date.now();
    const vals: Record<string, FieldValue> = { Id: id };
    for (const fd of obj.fields) {
      if (fd.autoNumber) vals[fd.name] = this.nextAutoNumber(obj);
    }
    Object.assign(vals, values);
    const rec: StoredRecord = { id, object: obj.name, values: vals, deleted: false, createdAt: now, modifiedAt: now };
    this.table(obj.name).set(id, rec);
    return rec;
  }

  private nextAutoNumber(obj: ObjectDef): string {
    const n = (this.autoNumbers.get(obj.name) ?? 0) + 1;
    this.autoNumbers.set(obj.name, n);
    const prefix = obj.name === 'Invoice__c' ? 'INV-' : 'AL-';
    return prefix + String(n).padStart(6, '0');
  }

  update(rec: StoredRecord, values: Record<string, FieldValue>): void {
    Object.assign(rec.values, values);
    rec.modifiedAt = Date.now();
  }

  get(object: string, id: string): StoredRecord | undefined {
    return this.byObject.get(object)?.get(id);
  }

  /** Any object: the id prefix is not trusted, so every table is searched. */
  getAnywhere(id: string): StoredRecord | undefined {
    for (const t of this.byObject.values()) {
      const r = t.get(id);
      if (r) return r;
    }
    return undefined;
  }

  softDelete(rec: StoredRecord): void {
    rec.deleted = true;
  }

  /** Puts a record back under its (possibly changed) id. */
  restore(rec: StoredRecord): void {
    this.table(rec.object).set(rec.id, rec);
  }

  hardDelete(rec: StoredRecord): void {
    this.byObject.get(rec.object)?.delete(rec.id);
  }

  live(object: string): StoredRecord[] {
    const name = findObject(object)?.name ?? object;
    return [...(this.byObject.get(name)?.values() ?? [])].filter((r) => !r.deleted);
  }

  deleted(object: string): StoredRecord[] {
    const name = findObject(object)?.name ?? object;
    return [...(this.byObject.get(name)?.values() ?? [])].filter((r) => r.deleted);
  }

  /** Live records whose field equals value (case-insensitive unless the field is caseSensitive). */
  findBy(obj: ObjectDef, fd: FieldDef, value: FieldValue): StoredRecord[] {
    if (value === null || value === '') return [];
    const needle = fd.caseSensitive ? String(value) : String(value).toLowerCase();
    return this.live(obj.name).filter((r) => {
      const v = r.values[fd.name];
      if (v === null || v === undefined) return false;
      return (fd.caseSensitive ? String(v) : String(v).toLowerCase()) === needle;
    });
  }
}
