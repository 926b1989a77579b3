/**
 * Section "rest": small loads by sObject Collections (api_mode rest) and by Bulk API 2.0 (api_mode bulk)
 * against the modeled org — wall time and API calls for 50 / 500 / 2,000 / 5,000 rows. Where REST stops
 * being faster is where the default of `rest_max_rows` comes from (README "Small loads", BENCHMARKS.md).
 *
 * The Bulk side runs on modeled-org.ts's org A (queue delay, slots × batch rate). The REST side on the
 * stand-in's collections cost model: every request held `collectionsRequestMs` + `collectionsRecordMs` ×
 * its records (GUESS: Salesforce documents no timing; the figures are of the order a plain Account insert
 * of 200 records takes on a real org, about a second). The connector keeps 4 requests of 200 in flight.
 */
import type { FakeSalesforceOptions } from '../integration_tests/fake-salesforce/types';
import type { BenchContext, Section } from './bench-context';
import { prepareInput } from './data';
import { measure, type RunResult } from './measured-run';
import { modelOptions, type OrgModel } from './modeled-org';
import { type Cell, fmt, mdTable, ratio, textTable } from './report';

interface RestModel {
  requestMs: number;
  recordMs: number;
}

const FULL = { sizes: [50, 500, 1000, 2000, 5000], bulk: { name: 'org A', queueMs: 1500, slots: 10, batchRowsPerS: 2000 }, rest: { requestMs: 150, recordMs: 4 } };
const SHORT = { sizes: [50, 500], bulk: { name: 'short', queueMs: 200, slots: 2, batchRowsPerS: 10_000 }, rest: { requestMs: 20, recordMs: 0.5 } };

function options(bulk: OrgModel, rest: RestModel): Partial<FakeSalesforceOptions> {
  return { ...modelOptions(bulk), collectionsRequestMs: rest.requestMs, collectionsRecordMs: rest.recordMs };
}

export const restVsBulkSection: Section = {
  id: 'rest',
  async run(ctx: BenchContext) {
    const plan = ctx.short ? SHORT : FULL;
    await ctx.fake.set(options(plan.bulk, plan.rest));
    const head = ['rows', 'REST wall s', 'REST API calls', 'Bulk wall s', 'Bulk API calls', 'REST ÷ Bulk wall'];
    const body: Cell[][] = [];
    const data: Array<{ rows: number; rest: RunResult; bulk: RunResult }> = [];
    const problems: string[] = [];
    for (const rows of plan.sizes) {
      const input = prepareInput(ctx.workDir, { rows, width: 'wide', streams: 1 });
      const run = async (mode: 'rest' | 'bulk') => {
        const r = await measure(ctx.fake, 'connector', input, { workDir: ctx.workDir, config: { ...ctx.connectorConfig, api_mode: mode }, label: `${rows} rows, ${mode}` });
        if (!r.ok) problems.push(`${r.label}: ${r.problems.join('; ')}`);
        process.stderr.write(`  rest-vs-bulk ${r.label}: ${fmt(r.wallS, 2)} s, ${r.apiCalls} API calls${r.ok ? '' : ' FAILED'}\n`);
        return r;
      };
      const rest = await run('rest');
      const bulk = await run('bulk');
      data.push({ rows, rest, bulk });
      body.push([fmt(rows), fmt(rest.wallS, 2), fmt(rest.apiCalls), fmt(bulk.wallS, 2), fmt(bulk.apiCalls), ratio(rest.wallS, bulk.wallS)]);
    }
    await ctx.fake.set({ processingDelayMs: 0, recordsPerSecond: undefined, collectionsRequestMs: 0, collectionsRecordMs: 0 });
    const faster = data.filter((d) => d.rest.wallS < d.bulk.wallS).map((d) => d.rows);
    const intro =
      `Wide rows, one stream, insert. Bulk on ${plan.bulk.name} (queue ${fmt(plan.bulk.queueMs)} ms, ${plan.bulk.slots} slots × ${fmt(plan.bulk.batchRowsPerS)} rows/s per batch); ` +
      `REST on the stand-in's collections model (${fmt(plan.rest.requestMs)} ms + ${fmt(plan.rest.recordMs, 1)} ms per record per request of ≤ 200, 4 in flight). ` +
      `API calls as the stand-in counted them (sign-in excluded). REST was faster for ${faster.length ? faster.map((n) => fmt(n)).join(', ') : 'none of the sizes'}.`;
    return {
      id: 'rest',
      title: 'Small loads: sObject Collections (REST) vs Bulk API 2.0',
      text: [intro, textTable(head, body), ...problems.map((p) => `  !! ${p}`)].join('\n'),
      markdown: [intro, '', mdTable(head, body), ...problems.map((p) => `\n**FAILED**: ${p}`)].join('\n'),
      data,
      ok: problems.length === 0,
    };
  },
};
