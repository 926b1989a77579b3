/** sObject Collections and single-record create (reference §7, SaveResult §4.3). */
import { randomUUID } from 'node:crypto';
import type { RequestContext } from './context';
import { type Column, resolveColumn } from './columns';
import type { RowError } from './field-values';
import { type Answer, errorAnswer, jsonAnswer, readBody } from './http-util';
import { type ObjectDef, findField, findObject, objectByPrefix } from './org-schema';
import { type Cell, type DmlContext, type RowOutcome, applyDelete, applyWrite } from './record-ops';

const MAX_RECORDS = 200;
type Json = Record<string, unknown>;

interface SaveResult {
  id: string | null;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
  created?: boolean;
}

/** The collections cost model (collectionsRequestMs + collectionsRecordMs × records): the request is held first. */
async function hold(ctx: RequestContext, records: number): Promise<void> {
  const ms = ctx.org.options.collectionsRequestMs + ctx.org.options.collectionsRecordMs * records;
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

/** A published platform event's SaveResult per the eventSaveResult knob (reference §7). */
function eventResult(ctx: RequestContext, id: string): SaveResult {
  const mode = ctx.org.options.eventSaveResult;
  if (mode === 'plain') return { id, success: true, errors: [] };
  const errors = [{ statusCode: 'OPERATION_ENQUEUED', message: randomUUID(), fields: [] }];
  return { id, success: mode !== 'enqueued-unsuccessful', errors };
}

const toErrors = (e: RowError) => [{ statusCode: e.code, message: e.message, fields: e.fields }];

function cellText(v: unknown): string {
  if (v === null || v === '') return '#N/A';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** JSON record → cells; nested `{ "Account": { "Ext_Id__c": "x" } }` becomes the column `Account.Ext_Id__c`. */
export function toCells(obj: ObjectDef, rec: Json): { cells: Cell[]; flat: Record<string, string> } | { error: RowError } {
  const cells: Cell[] = [];
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(rec)) {
    if (key === 'attributes') continue;
    const name = key === 'id' ? 'Id' : key;
    // JSON names are field or relationship names: the CSV spelling `Account.Ext_Id__c` is no field here.
    if (name.includes('.')) return { error: { code: 'INVALID_FIELD', message: `No such column '${name}' on sobject of type ${obj.name}`, fields: [] } };
    let header = name;
    let text = cellText(value);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const inner = Object.entries(value as Json).find(([k]) => k !== 'attributes');
      if (!inner) continue;
      header = `${name}.${inner[0]}`;
      text = cellText(inner[1]);
    }
    const r = resolveColumn(obj, header);
    if (!r.ok) return { error: { code: 'INVALID_FIELD', message: `No such column '${header}' on sobject of type ${obj.name}`, fields: [] } };
    cells.push([r.column as Column, text]);
    flat[header] = text;
  }
  return { cells, flat };
}

export function context(ctx: RequestContext, flat: Record<string, string>): DmlContext {
  return { store: ctx.org.store, userId: ctx.org.userId, relationshipNull: ctx.org.options.relationshipNull, beforeCommit: (id) => ctx.org.lockRules.check(flat, id) };
}

async function readRequest(ctx: RequestContext): Promise<{ allOrNone: boolean; records: Json[] } | Answer> {
  const body = await readBody(ctx.req);
  ctx.bodyBytes = body.size;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.bytes.toString('utf8'));
  } catch {
    return errorAnswer(ctx.req, 400, 'JSON_PARSER_ERROR', 'Unexpected character: was expecting a JSON object');
  }
  const p = parsed as Json | null;
  if (!p || !Array.isArray(p.records)) return errorAnswer(ctx.req, 400, 'INVALID_FIELD', "Missing required parameter 'records'");
  if (p.records.length > MAX_RECORDS) {
    return errorAnswer(ctx.req, 400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
  }
  return { allOrNone: p.allOrNone === true, records: p.records as Json[] };
}

/** Runs every item; with allOrNone, any failure rolls all back (ALL_OR_NONE_OPERATION_ROLLED_BACK for the others). */
type ItemOutcome = RowOutcome & { event?: boolean };

function runAll(ctx: RequestContext, allOrNone: boolean, items: Array<() => ItemOutcome>, withCreated: boolean): SaveResult[] {
  const snap = allOrNone ? ctx.org.store.snapshot() : undefined;
  const outcomes = items.map((run) => run());
  const anyFailed = outcomes.some((o) => !o.ok);
  if (snap && anyFailed) ctx.org.store.rollback(snap);
  return outcomes.map((o) => {
    if (o.ok && snap && anyFailed) {
      return {
        id: null, success: false,
        errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }],
      };
    }
    if (o.ok && o.event) return eventResult(ctx, o.id);
    const r: SaveResult = o.ok ? { id: o.id, success: true, errors: [] } : { id: o.id || null, success: false, errors: toErrors(o.error as RowError) };
    if (withCreated && o.ok) r.created = o.created;
    return r;
  });
}

function writeItem(ctx: RequestContext, rec: Json, op: 'insert' | 'update' | 'upsert', fixedObject?: ObjectDef, key?: string): () => ItemOutcome {
  return () => {
    const type = (rec.attributes as Json | undefined)?.type;
    const obj = fixedObject ?? (typeof type === 'string' ? findObject(type) : undefined);
    const fail = (code: string, message: string): RowOutcome => ({ ok: false, id: '', created: false, error: { code, message, fields: [] } });
    if (!obj) return fail('INVALID_TYPE', `sObject type '${String(type)}' is not supported.`);
    const conv = toCells(obj, rec);
    if ('error' in conv) return { ok: false, id: '', created: false, error: conv.error };
    const out = applyWrite(context(ctx, conv.flat), obj, op, key ? findField(obj, key) : undefined, conv.cells);
    return obj.kind === 'event' ? { ...out, event: true } : out;
  };
}

export async function collectionsInsert(ctx: RequestContext): Promise<Answer> {
  const r = await readRequest(ctx);
  if ('status' in r) return r;
  await hold(ctx, r.records.length);
  return jsonAnswer(ctx.req, 200, runAll(ctx, r.allOrNone, r.records.map((rec) => writeItem(ctx, rec, 'insert')), false));
}

export async function collectionsUpdate(ctx: RequestContext): Promise<Answer> {
  const r = await readRequest(ctx);
  if ('status' in r) return r;
  await hold(ctx, r.records.length);
  return jsonAnswer(ctx.req, 200, runAll(ctx, r.allOrNone, r.records.map((rec) => writeItem(ctx, rec, 'update')), false));
}

export async function collectionsUpsert(ctx: RequestContext): Promise<Answer> {
  const r = await readRequest(ctx);
  if ('status' in r) return r;
  await hold(ctx, r.records.length);
  const obj = findObject(ctx.params.object ?? '');
  if (!obj) return errorAnswer(ctx.req, 404, 'NOT_FOUND', 'The requested resource does not exist');
  const key = findField(obj, ctx.params.field ?? '');
  if (!key || !(key.externalId || key.idLookup)) {
    return errorAnswer(ctx.req, 404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${ctx.params.field ?? ''}`);
  }
  return jsonAnswer(ctx.req, 200, runAll(ctx, r.allOrNone, r.records.map((rec) => writeItem(ctx, rec, 'upsert', obj, key.name)), true));
}

export async function collectionsDelete(ctx: RequestContext): Promise<Answer> {
  const ids = (ctx.query.get('ids') ?? '').split(',').filter((s) => s !== '');
  if (ids.length > MAX_RECORDS) {
    return errorAnswer(ctx.req, 400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
  }
  const allOrNone = ctx.query.get('allOrNone') === 'true';
  await hold(ctx, ids.length);
  const items = ids.map((id) => (): RowOutcome => {
    const obj = objectByPrefix(id.slice(0, 3));
    if (!obj) return { ok: false, id, created: false, error: { code: 'MALFORMED_ID', message: `malformed id ${id}`, fields: [] } };
    const idCol = resolveColumn(obj, 'Id');
    const cells: Cell[] = idCol.ok ? [[idCol.column, id]] : [];
    const out = applyDelete(context(ctx, { Id: id }), obj, 'delete', cells);
    return out.ok ? out : { ...out, id };
  });
  return jsonAnswer(ctx.req, 200, runAll(ctx, allOrNone, items, false));
}

/** POST /sobjects/{Object}/ — one record (also publishes platform events): 201 SaveResult + Location. */
export async function createSingle(ctx: RequestContext): Promise<Answer> {
  const body = await readBody(ctx.req);
  ctx.bodyBytes = body.size;
  const obj = findObject(ctx.params.object ?? '');
  if (!obj) return errorAnswer(ctx.req, 404, 'NOT_FOUND', 'The requested resource does not exist');
  let rec: Json;
  try {
    rec = JSON.parse(body.bytes.toString('utf8')) as Json;
  } catch {
    return errorAnswer(ctx.req, 400, 'JSON_PARSER_ERROR', 'Unexpected character: was expecting a JSON object');
  }
  const out = writeItem(ctx, rec, 'insert', obj)();
  if (!out.ok) {
    const e = out.error as RowError;
    return jsonAnswer(ctx.req, 400, [{ message: e.message, errorCode: e.code, fields: e.fields }]);
  }
  return jsonAnswer(ctx.req, 201, out.event ? eventResult(ctx, out.id) : { id: out.id, success: true, errors: [] }, {
    Location: `/services/data/v${ctx.version}/sobjects/${obj.name}/${out.id}`,
  });
}
