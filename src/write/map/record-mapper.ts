/**
 * One stream's RECORD data → the CSV cells of one row (pure; describe data is handed in, and
 * `mapLoadingParents` is handed the describe call).
 *
 * - column_mapping first, then names matched to describe case-insensitively and written as
 *   describe spells them. Unknown fields, and fields the operation cannot write, are dropped with
 *   one WARN per stream and field.
 * - Relationship columns `Rel.ExtField` / `Type:Rel.ExtField` pass through when the relationship
 *   exists and the parent field is an External ID or idLookup (the parent's describe is needed
 *   first: see `mapOrNeed` / `parentsNeeded`).
 * - JSON null → `#N/A` (clears the field); `""` too wherever the field can be empty (nillable, not a
 *   checkbox, not the record key): Salesforce stores no empty strings, and an empty cell would mean
 *   "leave unchanged". An absent key → no cell (left unchanged). A null (or `""`) relationship
 *   column clears its lookup field (`Account.Ext_Id__c: null` → `AccountId` = `#N/A`).
 * - Any field name works (`constructor`, `__proto__`, …): names are looked up in Maps and own
 *   properties only, and cells are a prototype-less object.
 * - A value nested too deep or that cannot be serialised rejects the row (DESTINATION_ codes).
 * - CR and CRLF inside values become LF: jobs declare lineEnding LF, and a CR inside a quoted
 *   value reportedly fails an LF job (salesforce-api.md §1.10).
 * - delete / hardDelete: only the Id column.
 * - Rows Salesforce would refuse for limits we know are rejected here (DESTINATION_ codes).
 */
import type { FieldDescribe, SObjectDescribe } from '../../salesforce/types';
import { NULL_CELL } from '../chunk/record-key';
import type { StreamPlan } from '../plan/stream-plan';
import { charCount, columnOf, type Column } from './column';
import { formatValue } from './value-format';

export const NULL_VALUE = NULL_CELL;
export const MAX_RECORD_CHARS = 400_000;

export const FIELD_SIZE_ERROR = 'DESTINATION_FIELD_SIZE_LIMITATION';
export const RECORD_SIZE_ERROR = 'DESTINATION_RECORD_SIZE_LIMITATION';
export const TYPECAST_ERROR = 'DESTINATION_TYPECAST_ERROR';
export const ID_MISSING_ERROR = 'DESTINATION_ID_MISSING';
export const NO_FIELDS_ERROR = 'DESTINATION_SERIALIZATION_ERROR';

/** Column → CSV text; created with `newCells()` (nothing inherited, so any column name is an own key). */
export type Cells = Record<string, string>;

/**
 * What `newCells()` makes: an object whose prototype is an empty null-prototype object, so it inherits no
 * name at all (no `constructor`, `toString` or `__proto__` accessor). Not `Object.create(null)`: V8 keeps
 * those in dictionary mode, a hash table per row; these stay in fast mode, and setting and enumerating a
 * row's 12 cells takes ~330 ns instead of ~750 (BENCHMARKS.md, session 6).
 */
const CellsObject = function () {} as unknown as { new (): Cells; prototype: object };
CellsObject.prototype = Object.create(null) as object;

export const newCells = (): Cells => new CellsObject();
export type MapResult =
  | { ok: true; cells: Cells }
  | { ok: false; code: string; message: string; fields: string[] };

/** Where one source key goes: a column (column.ts), or nowhere. */
type Resolution = Column | { dropped: string } | { pending: string };

export class RecordMapper {
  private readonly fields = new Map<string, FieldDescribe>();
  private readonly relationships = new Map<string, FieldDescribe>();
  private readonly parents = new Map<string, SObjectDescribe | null>();
  private readonly resolved = new Map<string, Resolution>();
  private readonly warned = new Set<string>();
  private readonly isDelete: boolean;
  /** Salesforce type of every column produced so far (for matching results back). */
  readonly columnTypes = new Map<string, string>();

  constructor(
    private readonly plan: StreamPlan,
    private readonly warn: (message: string) => void,
  ) {
    for (const f of plan.describe.fields) {
      this.fields.set(f.name.toLowerCase(), f);
      if (f.relationshipName) this.relationships.set(f.relationshipName.toLowerCase(), f);
    }
    this.isDelete = plan.operation === 'delete' || plan.operation === 'hardDelete';
  }

  /** Parent objects whose describe is needed before `map(data)` can place every relationship column. */
  parentsNeeded(data: Record<string, unknown>): string[] {
    const out: string[] = [];
    for (const key of Object.keys(data)) {
      const r = this.resolve(key);
      if ('pending' in r && !out.includes(r.pending)) out.push(r.pending);
    }
    return out;
  }

  /** Registers a parent object's describe (undefined: it does not exist). */
  addParent(name: string, describe: SObjectDescribe | undefined): void {
    this.parents.set(name.toLowerCase(), describe ?? null);
  }

  map(data: Record<string, unknown>): MapResult {
    return this.mapRow(data, false) as MapResult;
  }

  /**
   * `map` for a caller that can load parent describes, in one pass: when a relationship column waits
   * for its parent's describe, the parents to `addParent` first (what `parentsNeeded` gives) instead
   * of a result; then call it again.
   */
  mapOrNeed(data: Record<string, unknown>): MapResult | { need: string[] } {
    return this.mapRow(data, true);
  }

  /** With `collect`, a column waiting for a parent's describe is not warned about: the parents are returned. */
  private mapRow(data: Record<string, unknown>, collect: boolean): MapResult | { need: string[] } {
    const cells = newCells();
    let total = 0;
    let any = false;
    let pending = false;
    for (const key in data) {
      const value = data[key];
      if (value === undefined) continue;
      const r = this.resolve(key);
      if (!('column' in r)) {
        if ('pending' in r) {
          if (collect) pending = true;
          else this.dropOnce(key, `the describe of ${r.pending} was not loaded`);
        }
        continue;
      }
      let text: string;
      if (r.lookup && (value === null || value === '')) {
        // Clearing a lookup: `#N/A` in the lookup field itself — documented for every field, while a
        // null parent key in a relationship column is not (Salesforce may look for a parent keyed "#N/A").
        if (value === null || r.lookup.nillable) {
          cells[r.lookup.name] = NULL_VALUE;
          this.columnTypes.set(r.lookup.name, r.lookup.type);
          total += NULL_VALUE.length;
          any = true;
        }
        continue;
      }
      if (value === null || (value === '' && r.clearable)) {
        text = NULL_VALUE;
      } else {
        let formatted = r.format(value);
        if (formatted === undefined) {
          const f = formatValue(r.field.type, value, r.column);
          if (!f.ok) {
            return this.orNeed(data, collect, { ok: false, code: f.code ?? TYPECAST_ERROR, message: `Value of ${f.message} (type ${r.field.type}).`, fields: [r.column] });
          }
          formatted = f.text;
        }
        text = formatted.includes('\r') ? formatted.replace(/\r\n?/g, '\n') : formatted;
        const limit = r.limit;
        const chars = charCount(text, limit);
        if (chars > limit) {
          return this.orNeed(data, collect, {
            ok: false,
            code: FIELD_SIZE_ERROR,
            message: `Value of ${r.column} has ${chars} characters; the limit is ${limit}. Not truncated; the row was not sent.`,
            fields: [r.column],
          });
        }
      }
      total += text.length;
      cells[r.column] = text;
      any = true;
    }
    if (pending) return { need: this.parentsNeeded(data) };
    if (total > MAX_RECORD_CHARS) {
      return {
        ok: false,
        code: RECORD_SIZE_ERROR,
        message: `The row has ${total} characters; Salesforce accepts at most ${MAX_RECORD_CHARS} per record. The row was not sent.`,
        fields: [],
      };
    }
    if (this.isDelete && (cells.Id === undefined || cells.Id === NULL_VALUE || cells.Id === '')) {
      return { ok: false, code: ID_MISSING_ERROR, message: `A ${this.plan.operation} needs the record's Id; this record has none.`, fields: ['Id'] };
    }
    if (!any) {
      return {
        ok: false,
        code: NO_FIELDS_ERROR,
        message: `No field of this record is a writable field of ${this.plan.object}; nothing to send.`,
        fields: [],
      };
    }
    return { ok: true, cells };
  }

  private column(column: string, field: FieldDescribe, lookup?: FieldDescribe): Column {
    return columnOf(column, field, this.isKey(field), lookup);
  }

  /** A row stopped early: with `collect`, the keys after the failing one may still need a parent first. */
  private orNeed(data: Record<string, unknown>, collect: boolean, failed: MapResult): MapResult | { need: string[] } {
    const need = collect ? this.parentsNeeded(data) : [];
    return need.length > 0 ? { need } : failed;
  }

  private resolve(key: string): Resolution {
    const cached = this.resolved.get(key);
    if (cached) return cached;
    const r = this.resolveUncached(key);
    if (!('pending' in r)) this.resolved.set(key, r);
    if ('column' in r) this.columnTypes.set(r.column, r.field.type);
    return r;
  }

  private resolveUncached(key: string): Resolution {
    const name = Object.hasOwn(this.plan.columnMapping, key) ? (this.plan.columnMapping[key] as string) : key;
    if (this.isDelete) return name.toLowerCase() === 'id' ? this.column('Id', this.idField()) : { dropped: key };
    return name.includes('.') ? this.resolveRelationship(key, name) : this.resolveField(key, name);
  }

  private resolveField(key: string, name: string): Resolution {
    const field = this.fields.get(name.toLowerCase());
    if (!field) return this.drop(key, `${this.plan.object} has no field ${name}`);
    if (!this.isKey(field) && !this.writable(field)) {
      return this.drop(key, `${this.plan.object}.${field.name} is not writable for ${this.plan.operation}`);
    }
    return this.column(field.name, field);
  }

  private resolveRelationship(key: string, name: string): Resolution {
    const colon = name.indexOf(':');
    const typePrefix = colon > 0 ? name.slice(0, colon) : undefined;
    const path = colon > 0 ? name.slice(colon + 1) : name;
    const [relName = '', parentFieldName = '', ...rest] = path.split('.');
    const ref = this.relationships.get(relName.toLowerCase());
    if (!ref || rest.length > 0 || !parentFieldName) return this.drop(key, `${this.plan.object} has no relationship ${relName}`);
    const targets = ref.referenceTo ?? [];
    const parentName = typePrefix
      ? targets.find((t) => t.toLowerCase() === typePrefix.toLowerCase())
      : targets.length === 1 ? targets[0] : undefined;
    if (!parentName) return this.drop(key, `${ref.relationshipName} needs one of ${targets.join(', ')} as type prefix`);
    if (!this.writable(ref)) return this.drop(key, `${this.plan.object}.${ref.name} is not writable for ${this.plan.operation}`);
    const parent = this.parents.get(parentName.toLowerCase());
    if (parent === undefined) return { pending: parentName };
    if (parent === null) return this.drop(key, `the parent object ${parentName} is not visible`);
    const parentField = parent.fields.find((f) => f.name.toLowerCase() === parentFieldName.toLowerCase());
    if (!parentField || (!parentField.externalId && !parentField.idLookup)) {
      return this.drop(key, `${parentName}.${parentFieldName} is not an External ID or idLookup field`);
    }
    // Salesforce fails the whole job on a type prefix for a lookup that points at one object only.
    const prefix = typePrefix && targets.length > 1 ? `${parentName}:` : '';
    return this.column(`${prefix}${ref.relationshipName}.${parentField.name}`, parentField, ref);
  }

  private isKey(field: FieldDescribe): boolean {
    const { operation, externalIdFieldName } = this.plan;
    if (field.name === 'Id') return operation === 'update' || (operation === 'upsert' && externalIdFieldName === 'Id');
    return operation === 'upsert' && field.name === externalIdFieldName;
  }

  private writable(field: FieldDescribe): boolean {
    switch (this.plan.operation) {
      case 'insert':
        return field.createable;
      case 'update':
        return field.updateable;
      default:
        return field.createable || field.updateable;
    }
  }

  private idField(): FieldDescribe {
    return (
      this.fields.get('id') ?? {
        name: 'Id', label: 'Record ID', type: 'id', length: 18, createable: false, updateable: false,
        nillable: false, defaultedOnCreate: true, externalId: false, idLookup: true,
      }
    );
  }

  private drop(key: string, why: string): Resolution {
    this.dropOnce(key, why);
    return { dropped: key };
  }

  private dropOnce(key: string, why: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warn(`Stream ${this.plan.key}: field "${key}" is not written (${why}); it is dropped from every row.`);
  }
}

/**
 * `mapOrNeed` again until every relationship column is placed, loading the parents' describes it asked
 * for (`need`) first. Only the first row with a new relationship column waits for this.
 */
export async function mapLoadingParents(
  mapper: RecordMapper,
  data: Record<string, unknown>,
  need: string[],
  describe: (parent: string) => Promise<SObjectDescribe | undefined>,
): Promise<MapResult> {
  let mapped: MapResult | { need: string[] } = { need };
  while ('need' in mapped) {
    for (const parent of mapped.need) mapper.addParent(parent, await describe(parent));
    mapped = mapper.mapOrNeed(data);
  }
  return mapped;
}
