/**
 * Single-record REST (reference §7): `GET / PATCH / DELETE /sobjects/{Object}/{Id}` and upsert by external id
 * `PATCH /sobjects/{Object}/{Field}/{value}`. Writes go through the same row logic as Bulk and Collections.
 */
import { type Column, resolveColumn } from './columns';
import { context, toCells } from './collections-routes';
import type { RequestContext } from './context';
import type { RowError } from './field-values';
import { type Answer, errorAnswer, jsonAnswer } from './http-util';
import { readJson } from './ingest-routes';
import { to18 } from './ids';
import { type FieldDef, type ObjectDef, findField, findObject } from './org-schema';
import { recordJson } from './record-view';
import { type Cell, type RowOutcome, applyDelete, applyWrite } from './record-ops';
import type { StoredRecord } from './store';

const notFound = (ctx: RequestContext, message = 'The requested resource does not exist') => errorAnswer(ctx.req, 404, 'NOT_FOUND', message);
/** What Salesforce answers when the last path segment is neither an id of the object nor an external id field [GUESS]. */
const noExternalIdField = (ctx: RequestContext, name: string) =>
  notFound(ctx, `Provided external ID field does not exist or is not accessible: ${name}`);

/** REST DML error: `[{"message","errorCode","fields"}]` (reference §4.1); missing / deleted records are 404. */
function failure(ctx: RequestContext, error: RowError): Answer {
  if (error.code === 'INVALID_CROSS_REFERENCE_KEY' || error.code === 'MALFORMED_ID') return notFound(ctx);
  const status = error.code === 'ENTITY_IS_DELETED' ? 404 : 400;
  return jsonAnswer(ctx.req, status, [{ message: error.message, errorCode: error.code, fields: error.fields }]);
}

function idCell(obj: ObjectDef, id: string): Cell {
  return [(resolveColumn(obj, 'Id') as { column: Column }).column, id];
}

/** The object and a well-formed 18-char id of it, or the 404 Salesforce answers. */
function target(ctx: RequestContext): { obj: ObjectDef; id: string } | Answer {
  const obj = findObject(ctx.params.object ?? '');
  if (!obj) return notFound(ctx);
  const raw = ctx.params.id ?? '';
  const id = to18(raw);
  if (!id || id.slice(0, 3) !== obj.keyPrefix) return noExternalIdField(ctx, raw);
  return { obj, id };
}

/** GET: every field, or `?fields=A,B` (unknown → 400 INVALID_FIELD, reference §4.1). */
export async function getRecord(ctx: RequestContext): Promise<Answer> {
  const t = target(ctx);
  if ('status' in t) return t;
  const rec = ctx.org.store.get(t.obj.name, t.id);
  if (!rec || rec.deleted) return notFound(ctx);
  const wanted = ctx.query.get('fields');
  let fields: FieldDef[] = t.obj.fields;
  if (wanted !== null) {
    fields = [];
    for (const name of wanted.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
      const fd = findField(t.obj, name);
      if (!fd) return jsonAnswer(ctx.req, 400, [{ message: `No such column '${name}' on sobject of type ${t.obj.name}`, errorCode: 'INVALID_FIELD' }]);
      fields.push(fd);
    }
  }
  return jsonAnswer(ctx.req, 200, recordJson(ctx.org, t.obj, rec, fields, ctx.version));
}

/** PATCH by id → 204 empty. */
export async function updateRecord(ctx: RequestContext): Promise<Answer> {
  const body = await readJson(ctx);
  const t = target(ctx);
  if ('status' in t) return t;
  if ('answer' in body) return body.answer;
  const conv = toCells(t.obj, body.value);
  if ('error' in conv) return failure(ctx, conv.error);
  const out = applyWrite(context(ctx, conv.flat), t.obj, 'update', undefined, [idCell(t.obj, t.id), ...conv.cells.filter(([c]) => c.field.name !== 'Id')]);
  return out.ok ? { status: 204 } : failure(ctx, out.error as RowError);
}

/** DELETE by id → 204 (into the recycle bin); already deleted → 404 ENTITY_IS_DELETED (reference §4.1). */
export async function deleteRecord(ctx: RequestContext): Promise<Answer> {
  const t = target(ctx);
  if ('status' in t) return t;
  const out = applyDelete(context(ctx, { Id: t.id }), t.obj, 'delete', [idCell(t.obj, t.id)]);
  return out.ok ? { status: 204 } : failure(ctx, out.error as RowError);
}

/**
 * Upsert by external id (reference §7): no match → 201 created; one match → updated, 200 with the result body
 * from API 46.0 (204 before); several → 300 with the matching records' URLs.
 */
export async function upsertRecord(ctx: RequestContext): Promise<Answer> {
  const body = await readJson(ctx);
  const obj = findObject(ctx.params.object ?? '');
  if (!obj) return notFound(ctx);
  const key = findField(obj, ctx.params.field ?? '');
  if (!key || !(key.externalId || key.idLookup)) return noExternalIdField(ctx, ctx.params.field ?? '');
  if ('answer' in body) return body.answer;
  const value = ctx.params.value ?? '';
  const matches: StoredRecord[] = key.name === 'Id' ? [] : ctx.org.store.findBy(obj, key, value);
  if (matches.length > 1) return jsonAnswer(ctx.req, 300, matches.map((m) => `/services/data/v${ctx.version}/sobjects/${obj.name}/${m.id}`));
  const conv = toCells(obj, body.value);
  if ('error' in conv) return failure(ctx, conv.error);
  const keyCell: Cell = [(resolveColumn(obj, key.name) as { column: Column }).column, value];
  const cells = [keyCell, ...conv.cells.filter(([c]) => c.field.name !== key.name)];
  const out: RowOutcome = applyWrite(context(ctx, { ...conv.flat, [key.name]: value }), obj, 'upsert', key, cells);
  if (!out.ok) return failure(ctx, out.error as RowError);
  const withCreated = Number(ctx.version) >= 46;
  const result = { id: out.id, success: true, errors: [], ...(withCreated ? { created: out.created } : {}) };
  if (out.created) return jsonAnswer(ctx.req, 201, result, { Location: `/services/data/v${ctx.version}/sobjects/${obj.name}/${out.id}` });
  return withCreated ? jsonAnswer(ctx.req, 200, result) : { status: 204 };
}
