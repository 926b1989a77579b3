/** GET /services/data, sobjects, describe, limits (reference §6, §2). */
import type { IncomingMessage } from 'node:http';
import type { RequestContext } from './context';
import { describeObject, sobjectSummary } from './describe';
import { type Answer, errorAnswer, jsonAnswer } from './http-util';
import { ORG_SCHEMA, findObject } from './org-schema';

export const MIN_VERSION = 31;
export const MAX_VERSION = 66;

const SEASONS = ['Winter', 'Spring', 'Summer'];

/** v62.0 = Winter '25; three releases a year. */
export function releaseLabel(major: number): string {
  const k = major - 62;
  const season = SEASONS[((k % 3) + 3) % 3] as string;
  const year = 25 + Math.floor(k / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

export function versionsList(req: IncomingMessage): Answer {
  const list = [];
  for (let v = MIN_VERSION; v <= MAX_VERSION; v++) {
    list.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return jsonAnswer(req, 200, list);
}

export async function listSObjects(ctx: RequestContext): Promise<Answer> {
  return jsonAnswer(ctx.req, 200, {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: ORG_SCHEMA.map((o) => sobjectSummary(o, ctx.version)),
  });
}

export async function describeSObject(ctx: RequestContext): Promise<Answer> {
  const obj = findObject(ctx.params.object ?? '');
  if (!obj) return errorAnswer(ctx.req, 404, 'NOT_FOUND', 'The requested resource does not exist');
  return jsonAnswer(ctx.req, 200, describeObject(obj, ctx.version));
}

export async function limits(ctx: RequestContext): Promise<Answer> {
  const { org } = ctx;
  const max = org.options.dailyApiLimit;
  return jsonAnswer(ctx.req, 200, {
    DailyApiRequests: { Max: max, Remaining: Math.max(0, max - org.apiUsed) },
    DailyBulkApiBatches: { Max: org.options.dailyBulkBatchLimit, Remaining: Math.max(0, org.options.dailyBulkBatchLimit - org.bulkBatchesUsed) },
    DailyBulkV2QueryFileStorageMB: { Max: 976562, Remaining: 976562 },
    DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
  });
}
