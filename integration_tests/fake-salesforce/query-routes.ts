/** REST query: `GET /query?q=…`, `/queryAll?q=…` and their `nextRecordsUrl` pages (README: "REST reads"). */
import type { RequestContext } from './context';
import { type Answer, jsonAnswer, messageFirstError } from './http-util';
import { newId } from './ids';
import { rowJson, runPlan } from './query-exec';
import { SoqlError, compileSoql } from './soql';

/** Rows of one query, kept for its `nextRecordsUrl` pages (cleared by reset). */
export interface QueryCursor {
  rows: Array<Record<string, unknown>>;
  batch: number;
}

/** Salesforce's default page is 2,000 rows; `Sforce-Query-Options: batchSize=N` asks for 200…2,000 [DOC]. */
export const DEFAULT_BATCH = 2000;

export function batchSize(header: string | string[] | undefined): number {
  const m = /batchSize\s*=\s*(\d+)/i.exec(String(header ?? ''));
  return m ? Math.min(2000, Math.max(200, Number(m[1]))) : DEFAULT_BATCH;
}

function page(ctx: RequestContext, kind: string, locator: string, cursor: QueryCursor, offset: number): Answer {
  const end = Math.min(offset + cursor.batch, cursor.rows.length);
  const done = end >= cursor.rows.length;
  return jsonAnswer(ctx.req, 200, {
    totalSize: cursor.rows.length,
    done,
    ...(done ? {} : { nextRecordsUrl: `/services/data/v${ctx.version}/${kind}/${locator}-${end}` }),
    records: cursor.rows.slice(offset, end),
  });
}

export function queryHandler(all: boolean) {
  return async (ctx: RequestContext): Promise<Answer> => {
    const q = ctx.query.get('q');
    if (q === null || q.trim() === '') return messageFirstError(ctx.req, 400, 'MALFORMED_QUERY', 'A query string has to be specified');
    try {
      const plan = compileSoql(q);
      const records = runPlan(ctx.org, plan, all);
      if (plan.count) return jsonAnswer(ctx.req, 200, { totalSize: records.length, done: true, records: [] });
      const cursor = { rows: records.map((r) => rowJson(ctx.org, plan, r, ctx.version)), batch: batchSize(ctx.req.headers['sforce-query-options']) };
      const locator = newId('01g');
      ctx.org.queryCursors.set(locator, cursor);
      return page(ctx, all ? 'queryAll' : 'query', locator, cursor, 0);
    } catch (e) {
      if (e instanceof SoqlError) return messageFirstError(ctx.req, 400, e.errorCode, e.message);
      throw e;
    }
  };
}

/** `GET /query/{locator}-{offset}` (and `/queryAll/…`): the next page. */
export function queryMoreHandler(all: boolean) {
  return async (ctx: RequestContext): Promise<Answer> => {
    const m = /^(\w{18})-(\d+)$/.exec(ctx.params.locator ?? '');
    const cursor = m ? ctx.org.queryCursors.get(m[1] as string) : undefined;
    if (!m || !cursor || Number(m[2]) > cursor.rows.length) {
      return messageFirstError(ctx.req, 400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    return page(ctx, all ? 'queryAll' : 'query', m[1] as string, cursor, Number(m[2]));
  };
}
