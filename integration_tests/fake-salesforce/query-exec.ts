/** Runs a compiled SOQL plan over the store: filter, order, offset/limit, and the JSON rows the REST API returns. */
import type { Org } from './org';
import { type FieldDef, type ObjectDef } from './org-schema';
import { attributes, fieldValue, jsonValue } from './record-view';
import type { Cond, FieldPath, Literal, SoqlPlan } from './soql';
import type { FieldValue, StoredRecord } from './store';

/** The record a path ends on (the queried record itself when it has no hops), or undefined when a parent is null. */
function endRecord(org: Org, rec: StoredRecord, hops: FieldDef[]): StoredRecord | undefined {
  let current: StoredRecord | undefined = rec;
  for (const hop of hops) {
    const id: FieldValue = current ? fieldValue(org, current, hop) : null;
    current = typeof id === 'string' ? org.store.getAnywhere(id) : undefined;
  }
  return current;
}

export function pathValue(org: Org, rec: StoredRecord, path: FieldPath): FieldValue {
  const end = endRecord(org, rec, path.hops);
  return end ? fieldValue(org, end, path.field) : null;
}

/** Comparable form: text lower-cased (SOQL compares text case-insensitively), datetimes in ms, the rest as is. */
function comparable(fd: FieldDef, v: FieldValue | Literal): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (fd.type === 'datetime' && typeof v === 'string' && v.length > 10) return Date.parse(v);
  if (typeof v === 'string' && fd.type !== 'id' && fd.type !== 'reference') return v.toLowerCase();
  return v;
}

function likeRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) source += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

function compare(a: string | number | boolean, b: string | number | boolean): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function test(org: Org, rec: StoredRecord, cond: Cond): boolean {
  if (cond.kind === 'and') return cond.parts.every((p) => test(org, rec, p));
  if (cond.kind === 'or') return cond.parts.some((p) => test(org, rec, p));
  if (cond.kind === 'not') return !test(org, rec, cond.part);
  const fd = cond.path.field;
  const raw = pathValue(org, rec, cond.path);
  // A day literal (TODAY, 2024-01-31) against a datetime compares the value's UTC day.
  const pair = (lit: Literal) => {
    const value = fd.type === 'datetime' && typeof lit === 'string' && typeof raw === 'string' ? raw.slice(0, 10) : raw;
    return [comparable(fd, value), comparable(fd, lit)] as const;
  };
  const matches = (lit: Literal): boolean => {
    const [a, b] = pair(lit);
    return a === null || b === null ? a === b : compare(a, b) === 0;
  };
  const order = (lit: Literal): number | undefined => {
    const [a, b] = pair(lit);
    return a === null || b === null ? undefined : compare(a, b);
  };
  const lit = cond.values[0] ?? null;
  switch (cond.op) {
    case '=':
      return matches(lit);
    case '!=':
      return !matches(lit);
    case 'IN':
      return cond.values.some(matches);
    case 'NOT IN':
      return !cond.values.some(matches);
    case 'LIKE':
      return typeof raw === 'string' && typeof lit === 'string' && likeRegex(lit).test(raw);
    default: {
      const c = order(lit);
      if (c === undefined) return false;
      return cond.op === '<' ? c < 0 : cond.op === '<=' ? c <= 0 : cond.op === '>' ? c > 0 : c >= 0;
    }
  }
}

/** Matching records in order; `includeDeleted` for queryAll (recycle bin too). */
export function runPlan(org: Org, plan: SoqlPlan, includeDeleted: boolean): StoredRecord[] {
  const pool = includeDeleted
    ? [...org.store.live(plan.object.name), ...org.store.deleted(plan.object.name)].sort((a, b) => a.createdAt - b.createdAt)
    : org.store.live(plan.object.name);
  const rows = plan.where ? pool.filter((r) => test(org, r, plan.where as Cond)) : [...pool];
  if (plan.orderBy.length > 0) {
    const keyed = rows.map((rec) => ({ rec, keys: plan.orderBy.map((o) => comparable(o.path.field, pathValue(org, rec, o.path))) }));
    keyed.sort((x, y) => {
      for (const [i, o] of plan.orderBy.entries()) {
        const a = x.keys[i] ?? null;
        const b = y.keys[i] ?? null;
        if (a === b) continue;
        if (a === null) return o.nullsFirst ? -1 : 1;
        if (b === null) return o.nullsFirst ? 1 : -1;
        const c = compare(a, b);
        if (c !== 0) return o.desc ? -c : c;
      }
      return 0;
    });
    rows.splice(0, rows.length, ...keyed.map((k) => k.rec));
  }
  const start = plan.offset ?? 0;
  return rows.slice(start, plan.limit === undefined ? undefined : start + plan.limit);
}

/** One query row: `attributes`, then each selected field; parent fields nest under their relationship name. */
export function rowJson(org: Org, plan: SoqlPlan, rec: StoredRecord, version: string): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: attributes(plan.object, rec.id, version) };
  for (const path of plan.fields) {
    let holder = out;
    let current: StoredRecord | undefined = rec;
    let broken = false;
    for (const [i, hop] of path.hops.entries()) {
      const key = hop.relationshipName as string;
      const parentId: FieldValue = current ? fieldValue(org, current, hop) : null;
      const parent: StoredRecord | undefined = typeof parentId === 'string' ? org.store.getAnywhere(parentId) : undefined;
      if (!parent) {
        holder[key] ??= null;
        broken = true;
        break;
      }
      if (!holder[key]) holder[key] = { attributes: attributes(path.targets[i] as ObjectDef, parent.id, version) };
      holder = holder[key] as Record<string, unknown>;
      current = parent;
    }
    if (!broken && current) holder[path.field.name] = jsonValue(path.field, fieldValue(org, current, path.field));
  }
  return out;
}
