/** The org's records: live ones, the recycle bin (soft-deleted), and nothing for hard-deleted ones. */
import { newId } from './ids';
import { type FieldDef, type ObjectDef, fieldLists, findObject } from './org-schema';

export type FieldValue = string | number | boolean | null;

export interface StoredRecord {
  id: string;
  object: string;
  values: Record<string, FieldValue>;
  deleted: boolean;
  createdAt: number;
  modifiedAt: number;
}

/** Value index of one field of one object: normalised value → records holding it (deleted ones too). */
interface FieldIndex {
  field: string;
  caseSensitive: boolean;
  byValue: Map<string, StoredRecord | Set<StoredRecord>>;
}

function normalise(v: FieldValue | undefined, caseSensitive: boolean): string | undefined {
  if (v === null || v === undefined) return undefined;
  return caseSensitive ? String(v) : String(v).toLowerCase();
}

export class RecordStore {
  private readonly byObject = new Map<string, Map<string, StoredRecord>>();
  private autoNumbers = new Map<string, number>();
  /**
   * Lazily built value indexes for findBy (object → indexes), kept up to date by insert/update/hardDelete/restore and
   * dropped by clear/rollback. Performance only: findBy answers exactly as a scan of the table would.
   */
  private indexes = new Map<string, FieldIndex[]>();

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
    this.indexes.clear();
    this.byObject.clear();
    for (const [name, t] of snap) this.byObject.set(name, t);
  }

  clear(): void {
    this.indexes.clear();
    this.byObject.clear();
    this.autoNumbers.clear();
  }

  /**
   * Inserts with values already validated/typed; fills Id and autoNumber fields. `owned`: `values` was built for
   * this record alone and becomes the record's own (no copy: the stand-in shares the benchmark machine with the
   * loader it measures); otherwise it is copied.
   */
  insert(obj: ObjectDef, values: Record<string, FieldValue>, owned = false): StoredRecord {
    const id = newId(obj.keyPrefix);
    const now = Date.now();
    const vals = owned ? values : { ...values };
    // As if Id and the autoNumber fields were set first and `values` written over them.
    if (!('Id' in vals)) vals.Id = id;
    for (const fd of fieldLists(obj).autoNumber) {
      const next = this.nextAutoNumber(obj);
      if (!(fd.name in vals)) vals[fd.name] = next;
    }
    const rec: StoredRecord = { id, object: obj.name, values: vals, deleted: false, createdAt: now, modifiedAt: now };
    this.table(obj.name).set(id, rec);
    this.indexAdd(rec);
    return rec;
  }

  private nextAutoNumber(obj: ObjectDef): string {
    const n = (this.autoNumbers.get(obj.name) ?? 0) + 1;
    this.autoNumbers.set(obj.name, n);
    const prefix = obj.name === 'Invoice__c' ? 'INV-' : 'AL-';
    return prefix + String(n).padStart(6, '0');
  }

  update(rec: StoredRecord, values: Record<string, FieldValue>): void {
    const indexes = this.indexes.get(rec.object);
    const touched = indexes?.filter((ix) => ix.field in values) ?? [];
    for (const ix of touched) this.unindex(ix, rec);
    Object.assign(rec.values, values);
    for (const ix of touched) this.index(ix, rec);
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
    this.indexAdd(rec);
  }

  hardDelete(rec: StoredRecord): void {
    if (this.byObject.get(rec.object)?.delete(rec.id)) {
      for (const ix of this.indexes.get(rec.object) ?? []) this.unindex(ix, rec);
    }
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
    const hit = this.fieldIndex(obj.name, fd).byValue.get(needle);
    if (hit === undefined) return [];
    if (!(hit instanceof Set)) return this.matches(hit, fd, needle) ? [hit] : [];
    // Candidates are re-checked (live, still in the table, same value) so the answer is exactly the scan's.
    const found = [...hit].filter((r) => this.matches(r, fd, needle));
    // Several live matches: the table scan, which keeps the table's order.
    return found.length <= 1 ? found : this.scan(obj, fd, needle);
  }

  private matches(r: StoredRecord, fd: FieldDef, needle: string): boolean {
    return !r.deleted && normalise(r.values[fd.name], fd.caseSensitive) === needle && this.byObject.get(r.object)?.get(r.id) === r;
  }

  private scan(obj: ObjectDef, fd: FieldDef, needle: string): StoredRecord[] {
    return this.live(obj.name).filter((r) => {
      const v = r.values[fd.name];
      if (v === null || v === undefined) return false;
      return (fd.caseSensitive ? String(v) : String(v).toLowerCase()) === needle;
    });
  }

  private fieldIndex(object: string, fd: FieldDef): FieldIndex {
    let list = this.indexes.get(object);
    if (!list) {
      list = [];
      this.indexes.set(object, list);
    }
    for (const ix of list) if (ix.field === fd.name && ix.caseSensitive === fd.caseSensitive) return ix;
    const ix: FieldIndex = { field: fd.name, caseSensitive: fd.caseSensitive, byValue: new Map() };
    for (const rec of this.byObject.get(object)?.values() ?? []) this.index(ix, rec);
    list.push(ix);
    return ix;
  }

  private indexAdd(rec: StoredRecord): void {
    for (const ix of this.indexes.get(rec.object) ?? []) this.index(ix, rec);
  }

  private index(ix: FieldIndex, rec: StoredRecord): void {
    const key = normalise(rec.values[ix.field], ix.caseSensitive);
    if (key === undefined) return;
    const cur = ix.byValue.get(key);
    if (cur === undefined) ix.byValue.set(key, rec);
    else if (cur instanceof Set) cur.add(rec);
    else if (cur !== rec) ix.byValue.set(key, new Set([cur, rec]));
  }

  private unindex(ix: FieldIndex, rec: StoredRecord): void {
    const key = normalise(rec.values[ix.field], ix.caseSensitive);
    if (key === undefined) return;
    const cur = ix.byValue.get(key);
    if (cur === rec) ix.byValue.delete(key);
    else if (cur instanceof Set) {
      cur.delete(rec);
      if (cur.size === 1) ix.byValue.set(key, cur.values().next().value as StoredRecord);
      else if (cur.size === 0) ix.byValue.delete(key);
    }
  }
}
