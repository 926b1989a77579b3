/**
 * SOQL for the fake's /query, /queryAll and Bulk query jobs: a documented subset, compiled against the org schema.
 *
 * Supported: field lists with parent relationship paths (`Account.Name`, `Account__r.Owner.Email`), `COUNT()`,
 * `WHERE` with `=`, `!=`, `<`, `<=`, `>`, `>=`, `IN`, `NOT IN`, `LIKE`, `AND`, `OR`, `NOT`, parentheses, `null`,
 * string / number / boolean / date / datetime literals and `TODAY` / `YESTERDAY` / `TOMORROW`; `ORDER BY` (ASC/DESC,
 * NULLS FIRST/LAST), `LIMIT`, `OFFSET`. Anything else (subqueries, aggregates other than COUNT(), GROUP BY,
 * TYPEOF, semi-joins, other date literals…) is refused with MALFORMED_QUERY naming what the fake lacks.
 *
 * Parsing uses @jetstreamapp/soql-parser-js (maintained, MIT, a full SOQL grammar) rather than a parser of our own.
 * It is lax where Salesforce is strict in one place, which we check here: AND and OR mixed without parentheses.
 * Its errors carry no position, so the `ERROR at Row:…:Column:…` of a syntax error points at the first occurrence
 * of the offending token (approximate); INVALID_FIELD / INVALID_TYPE positions point at the name.
 */
import { type Condition, type FieldType, type Query, type WhereClause, parseQuery } from '@jetstreamapp/soql-parser-js';
import { to18 } from './ids';
import { type FieldDef, type ObjectDef, findObject } from './org-schema';

export class SoqlError extends Error {
  constructor(readonly errorCode: string, message: string) {
    super(message);
  }
}

/** A field reached from the queried object through zero or more parent relationships. */
export interface FieldPath {
  /** Reference fields followed, in order (`Contact.AccountId` for `Account.Name` on Contact). */
  hops: FieldDef[];
  /** Object at the end of each hop. */
  targets: ObjectDef[];
  field: FieldDef;
}

export type Literal = string | number | boolean | null;

export type Cond =
  | { kind: 'and'; parts: Cond[] }
  | { kind: 'or'; parts: Cond[] }
  | { kind: 'not'; part: Cond }
  | { kind: 'cmp'; path: FieldPath; op: string; values: Literal[] };

export interface OrderKey {
  path: FieldPath;
  desc: boolean;
  nullsFirst: boolean;
}

export interface SoqlPlan {
  object: ObjectDef;
  /** Empty for `SELECT COUNT()`. */
  fields: FieldPath[];
  count: boolean;
  where?: Cond;
  orderBy: OrderKey[];
  limit?: number;
  offset?: number;
}

const STRING_TYPES = new Set(['string', 'textarea', 'picklist', 'multipicklist', 'email', 'phone', 'url', 'address']);
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);

/** Salesforce's located message: the query, a caret under the column, `ERROR at Row:r:Column:c`, then the text [REAL]. */
function located(q: string, index: number, text: string): string {
  const before = q.slice(0, Math.max(0, index));
  const row = before.split('\n').length;
  const col = before.length - before.lastIndexOf('\n');
  return `\n${q}\n${' '.repeat(col - 1)}^\nERROR at Row:${row}:Column:${col}\n${text}`;
}

function find(q: string, word: string, from = 0): number {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(^|[^\\w])(${escaped})(?![\\w])`, 'i').exec(q.slice(from));
  return m ? from + m.index + (m[1] as string).length : from;
}

const malformed = (q: string, index: number, text: string) => new SoqlError('MALFORMED_QUERY', located(q, index, text));
const unsupported = (what: string) => new SoqlError('MALFORMED_QUERY', `fake-salesforce does not support ${what} in SOQL`);

export function compileSoql(q: string): SoqlPlan {
  let parsed: Query;
  try {
    parsed = parseQuery(q);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const token = /found(?: -->)? '([^']*)'/.exec(msg)?.[1] ?? '';
    throw malformed(q, token ? find(q, token) : q.length, `unexpected token: ${token ? `'${token}'` : '<EOF>'}`);
  }
  const fromAt = find(q, 'FROM');
  const objectName = parsed.sObject ?? '';
  const object = findObject(objectName);
  if (!object || !object.queryable) {
    throw new SoqlError('INVALID_TYPE', located(q, find(q, objectName, fromAt),
      `sObject type '${objectName}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`));
  }
  if (parsed.groupBy || parsed.having || parsed.for || parsed.update || parsed.withDataCategory || parsed.usingScope) {
    throw unsupported('GROUP BY / HAVING / FOR / UPDATE / WITH DATA CATEGORY / USING SCOPE');
  }
  const resolve = (name: string, from = 0) => resolvePath(q, object, name.split('.'), find(q, name, from));
  const { fields, count } = selectList(parsed.fields ?? [], resolve);
  const where = parsed.where ? buildWhere(q, parsed.where, (name) => resolve(name, find(q, 'WHERE'))) : undefined;
  const orderAt = find(q, 'ORDER');
  const orderBy = (parsed.orderBy === undefined ? [] : Array.isArray(parsed.orderBy) ? parsed.orderBy : [parsed.orderBy]).map((o) => {
    if (!('field' in o)) throw unsupported('ORDER BY a function');
    const desc = o.order === 'DESC';
    return { path: resolve(o.field, orderAt), desc, nullsFirst: o.nulls ? o.nulls === 'FIRST' : true };
  });
  if (parsed.offset !== undefined && parsed.offset > 2000) {
    throw new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is 2000`);
  }
  return { object, fields, count, where, orderBy, limit: parsed.limit, offset: parsed.offset };
}

function selectList(items: FieldType[], resolve: (name: string) => FieldPath): { fields: FieldPath[]; count: boolean } {
  if (items.length === 1 && items[0]?.type === 'FieldFunctionExpression' && items[0].functionName.toUpperCase() === 'COUNT' && items[0].parameters.length === 0) {
    return { fields: [], count: true };
  }
  const fields = items.map((item) => {
    if (item.type === 'Field' && !('alias' in item && item.alias)) return resolve(item.field);
    if (item.type === 'FieldRelationship') return resolve([...item.relationships, item.field].join('.'));
    throw unsupported(item.type === 'FieldSubquery' ? 'subqueries' : item.type === 'FieldTypeof' ? 'TYPEOF' : 'functions or aliases');
  });
  return { fields, count: false };
}

/** `Account.Owner.Email` from Contact: every segment but the last is a relationship name (`…__r` for custom ones). */
function resolvePath(q: string, object: ObjectDef, segments: string[], at: number): FieldPath {
  let segs = segments;
  // `SELECT Account.Name FROM Account` is allowed: a leading segment naming the queried object itself.
  if (segs.length > 1 && segs[0]?.toLowerCase() === object.name.toLowerCase() && !relationship(object, segs[0])) segs = segs.slice(1);
  const hops: FieldDef[] = [];
  const targets: ObjectDef[] = [];
  let current = object;
  for (const rel of segs.slice(0, -1)) {
    const fd = relationship(current, rel);
    const target = fd ? findObject(fd.referenceTo[0] ?? '') : undefined;
    if (!fd || !target) {
      throw new SoqlError('INVALID_FIELD', located(q, at,
        `Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`));
    }
    hops.push(fd);
    targets.push(target);
    current = target;
  }
  const name = segs[segs.length - 1] as string;
  const field = current.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
  if (!field) {
    throw new SoqlError('INVALID_FIELD', located(q, at,
      `No such column '${name}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`));
  }
  return { hops, targets, field };
}

function relationship(obj: ObjectDef, name: string): FieldDef | undefined {
  return obj.fields.find((f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === name.toLowerCase());
}

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | { cond: Condition };

/** The parser's WHERE is a right-leaning list with parenthesis counts; it becomes tokens, then a tree. */
function buildWhere(q: string, where: WhereClause, resolve: (name: string) => FieldPath): Cond {
  const tokens: Token[] = [];
  let node: WhereClause | undefined = where;
  while (node) {
    if ('operator' in node && node.operator === 'NOT') {
      for (let i = 0; i < (node.left?.openParen ?? 0); i++) tokens.push('(');
      tokens.push('NOT');
      node = node.right;
      continue;
    }
    const left = node.left as Condition & { openParen?: number; closeParen?: number };
    for (let i = 0; i < (left.openParen ?? 0); i++) tokens.push('(');
    tokens.push({ cond: left });
    for (let i = 0; i < (left.closeParen ?? 0); i++) tokens.push(')');
    if ('operator' in node && 'right' in node) {
      tokens.push(node.operator);
      node = node.right;
    } else node = undefined;
  }
  let pos = 0;
  const expr = (): Cond => {
    const parts = [term()];
    let op: 'AND' | 'OR' | undefined;
    while (tokens[pos] === 'AND' || tokens[pos] === 'OR') {
      const next = tokens[pos] as 'AND' | 'OR';
      // Salesforce requires parentheses when AND and OR are mixed [DOC: SOQL "Logical operators"].
      if (op && op !== next) throw malformed(q, find(q, next, find(q, op, find(q, 'WHERE')) + op.length), `unexpected token: '${next}'`);
      op = next;
      pos += 1;
      parts.push(term());
    }
    if (parts.length === 1) return parts[0] as Cond;
    return op === 'OR' ? { kind: 'or', parts } : { kind: 'and', parts };
  };
  const term = (): Cond => {
    const t = tokens[pos++];
    if (t === 'NOT') return { kind: 'not', part: term() };
    if (t === '(') {
      const inner = expr();
      pos += 1; // ')'
      return inner;
    }
    if (t && typeof t === 'object') return comparison(q, t.cond, resolve);
    throw malformed(q, q.length, 'unexpected token: <EOF>');
  };
  return expr();
}

function comparison(q: string, c: Condition, resolve: (name: string) => FieldPath): Cond {
  if (!('field' in c) || 'valueQuery' in c) throw unsupported('functions or semi-joins in WHERE');
  const cond = c as { field: string; operator: string; value: string | string[]; literalType?: string | string[] };
  const path = resolve(cond.field);
  const raw = Array.isArray(cond.value) ? cond.value : [cond.value];
  const types = Array.isArray(cond.literalType) ? cond.literalType : raw.map(() => cond.literalType ?? 'STRING');
  const values = raw.map((v, i) => literal(q, path.field, v, String(types[i] ?? 'STRING')));
  if (cond.operator === 'INCLUDES' || cond.operator === 'EXCLUDES') throw unsupported('INCLUDES / EXCLUDES');
  if (cond.operator === 'LIKE' && !STRING_TYPES.has(path.field.type)) {
    throw new SoqlError('INVALID_FIELD', located(q, find(q, cond.field), `invalid operator on ${path.field.type} field: LIKE`));
  }
  return { kind: 'cmp', path, op: cond.operator, values };
}

function literal(q: string, fd: FieldDef, raw: string, type: string): Literal {
  const wrongType = (want: string, quoted: boolean) =>
    new SoqlError('INVALID_FIELD', located(q, find(q, raw),
      `value of filter criterion for field '${fd.name}' must be of type ${want} and should ${quoted ? '' : 'not '}be enclosed in quotes`));
  if (type === 'NULL') return null;
  if (type === 'STRING') {
    const text = raw.slice(1, -1).replace(/\\(.)/g, (_, ch: string) => ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[ch] ?? `\\${ch}`);
    if (NUMBER_TYPES.has(fd.type)) throw wrongType(fd.type === 'int' ? 'integer' : 'double', false);
    if (fd.type === 'boolean') throw wrongType('boolean', false);
    if (fd.type === 'date' || fd.type === 'datetime') throw wrongType(fd.type === 'date' ? 'date' : 'dateTime', false);
    if (fd.type === 'id' || fd.type === 'reference') {
      const id = to18(text);
      if (!id) throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', located(q, find(q, raw), `invalid ID field: ${text}`));
      return id;
    }
    return text.replace(/\\\\/g, '\\');
  }
  if (STRING_TYPES.has(fd.type) || fd.type === 'id' || fd.type === 'reference') throw wrongType(fd.type === 'id' || fd.type === 'reference' ? 'id' : 'string', true);
  switch (type) {
    case 'INTEGER':
    case 'DECIMAL':
      if (!NUMBER_TYPES.has(fd.type)) throw wrongType(fd.type, false);
      return Number(raw);
    case 'BOOLEAN':
      if (fd.type !== 'boolean') throw wrongType(fd.type, false);
      return raw.toUpperCase() === 'TRUE';
    case 'DATE':
      if (fd.type !== 'date') throw wrongType(fd.type === 'datetime' ? 'dateTime' : fd.type, false);
      return raw;
    case 'DATETIME':
      if (fd.type !== 'datetime') throw wrongType(fd.type, false);
      return Date.parse(raw);
    case 'DATE_LITERAL': {
      const days = { YESTERDAY: -1, TODAY: 0, TOMORROW: 1 }[raw.toUpperCase()];
      if (days === undefined) throw unsupported(`the date literal ${raw}`);
      if (fd.type !== 'date' && fd.type !== 'datetime') throw wrongType(fd.type, false);
      // A day (UTC); a datetime field matches it when its value falls on that day.
      return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    }
    default:
      throw unsupported(`${type} literals`);
  }
}
