/**
 * Section "modeled": a sync against the stand-in's model of how Salesforce processes Bulk API 2.0 jobs —
 * rows split into internal 10,000-row batches, batches of every job share an org-wide pool of parallel
 * slots, a job waits in the queue first, each batch runs at a fixed rate. It reports:
 *
 *   - wall time vs the ideal the model allows: the connector has described the object (it could create a
 *     job), then one queue delay, then every slot busy until the last batch is done
 *     (ideal = described + queue + makespan of the input's 10,000-row batches on the slots). Two ideals: with
 *     reading free (every batch there at once), and with each batch there no sooner than the floor (floor.ts,
 *     run just before on the same input) had read its rows — the first moment rows could be there;
 *   - API calls vs what the jobs need: one describe, and per job create, PUT, close and one status poll
 *     (plus the failed results of a job whose rows failed);
 *   - job sizes (a job costs at least one of the org's 15,000 daily batches, so none should be under 10,000
 *     rows unless the input or a checkpoint deadline forces it).
 *
 * jsforce's loader runs on the same model for reference (BENCH_MODEL_JSFORCE=0 leaves it out: the connector's
 * runs alone, e.g. to compare two builds of the connector).
 */
import type { FakeSalesforceOptions } from '../integration_tests/fake-salesforce/types';
import type { BenchContext, Section } from './bench-context';
import { prepareInput } from './data';
import { measure, type RunResult } from './measured-run';
import { type Cell, fmt, mdTable, ratio, textTable } from './report';

const BATCH_ROWS = 10_000;

export interface OrgModel {
  name: string;
  queueMs: number;
  slots: number;
  /** Rows per second of one batch in one slot. */
  batchRowsPerS: number;
}

/** The stand-in options for a model: its processing model (batch-pool.ts) with the model's knobs. */
export function modelOptions(m: OrgModel): Partial<FakeSalesforceOptions> {
  return { processingDelayMs: m.queueMs, batchSize: BATCH_ROWS, parallelBatches: m.slots, recordsPerSecond: m.batchRowsPerS };
}

/** The stand-in's defaults (README "Processing model"), restored after the section. */
const UNMODELED: Partial<FakeSalesforceOptions> = { processingDelayMs: 0, recordsPerSecond: undefined, batchSize: BATCH_ROWS, parallelBatches: 10 };

/**
 * Seconds until the input's 10,000-row batches are done on the model's slots, every slot kept busy: each
 * batch in input order (the last the only short one) on the slot free first, no sooner than `readyS[k]`
 * (when batch k's rows could be there; absent: at once).
 */
export function makespanS(rows: number, m: OrgModel, readyS: readonly number[] = []): number {
  const slots = new Array<number>(m.slots).fill(0);
  let k = 0;
  for (let left = rows; left > 0; left -= BATCH_ROWS, k++) {
    const i = slots.indexOf(Math.min(...slots));
    slots[i] = Math.max(slots[i] as number, readyS[k] ?? 0) + Math.min(BATCH_ROWS, left) / m.batchRowsPerS;
  }
  return Math.max(...slots);
}

/** API calls a run's jobs need: one describe, per job create + PUT + close + one poll, failed results when rows failed. */
export function callsNeeded(run: RunResult): number {
  return 1 + 4 * run.jobs.jobs + run.jobs.jobsWithFailures;
}

/** The ideals of one model for one run of the connector. */
interface Ideals {
  /** Every batch there at once (reading free). */
  idealS: number;
  /** Each batch there once the floor had read its rows. */
  readIdealS: number;
}

function describeRun(run: RunResult, ideals: Ideals): Cell[] {
  const sizes = run.jobs.sizes;
  return [
    run.label,
    fmt(run.wallS, 1),
    fmt(ideals.idealS, 1),
    ratio(run.wallS, ideals.idealS),
    fmt(ideals.readIdealS, 1),
    ratio(run.wallS, ideals.readIdealS),
    run.firstJobAfterMs !== undefined ? fmt(run.firstJobAfterMs / 1000, 1) : '–',
    run.tailMs !== undefined ? fmt(run.tailMs / 1000, 1) : '–',
    fmt(run.apiCalls),
    fmt(callsNeeded(run)),
    ratio(run.apiCalls, callsNeeded(run)),
    fmt(run.byRoute['ingest.info'] ?? 0),
    `${run.jobs.jobs}: ${sizes.length ? `${fmt(Math.min(...sizes))}–${fmt(Math.max(...sizes))}` : '–'}`,
    fmt(run.jobs.jobsUnder10k),
  ];
}

export const modeledOrgSection: Section = {
  id: 'modeled',
  async run(ctx: BenchContext) {
    const rows = ctx.size('BENCH_MODEL_ROWS', 200_000, 4_000);
    const models: OrgModel[] = ctx.short
      ? [{ name: 'short', queueMs: 200, slots: 2, batchRowsPerS: 10_000 }]
      : [
          { name: 'org A', queueMs: 1500, slots: 10, batchRowsPerS: 2000 },
          { name: 'org B', queueMs: 1500, slots: 4, batchRowsPerS: 1000 },
        ];
    const input = prepareInput(ctx.workDir, { rows, width: 'wide', streams: 1 });
    const head = ['run', 'wall s', 'ideal s', 'wall ÷ ideal', 'ideal at the floor\'s reading s', 'wall ÷ that', 'first job at s', 'last job done → exit s', 'API calls', 'jobs need', 'calls ÷ need', 'status polls', 'jobs: rows', 'jobs < 10k rows'];
    const body: Cell[][] = [];
    const runs: Array<{ model: OrgModel; run: RunResult } & Ideals> = [];
    const problems: string[] = [];
    for (const model of models) {
      // When each batch's rows could be there at the soonest: the floor's reading, just before the connector's run.
      const floor = await measure(ctx.fake, 'floor', input, { workDir: ctx.workDir, label: 'floor' });
      if (!floor.ok || !floor.readMs) problems.push(`floor: ${floor.problems.join('; ') || 'no read times'}`);
      const readyS = (floor.readMs ?? []).map((ms) => ms / 1000);
      await ctx.fake.set(modelOptions(model));
      // One ideal per model, from the connector's start-up (sign-in and describe): the loader is held to the same.
      let ideals: Ideals = { idealS: NaN, readIdealS: NaN };
      const tools = process.env.BENCH_MODEL_JSFORCE === '0' ? (['connector'] as const) : (['connector', 'jsforce'] as const);
      for (const tool of tools) {
        const label = `${model.name}, ${tool === 'connector' ? 'connector' : 'jsforce loader'}`;
        const run = await measure(ctx.fake, tool, input, { workDir: ctx.workDir, config: ctx.connectorConfig, label });
        if (tool === 'connector') {
          const startS = ((run.describedAfterMs ?? 0) + model.queueMs) / 1000;
          ideals = { idealS: startS + makespanS(rows, model), readIdealS: startS + makespanS(rows, model, readyS) };
        }
        runs.push({ model, run, ...ideals });
        body.push(describeRun(run, ideals));
        if (!run.ok) problems.push(`${label}: ${run.problems.join('; ')}`);
        process.stderr.write(`  modeled ${label}: ${fmt(run.wallS, 1)} s (ideal ${fmt(ideals.idealS, 1)} s, at the floor's reading ${fmt(ideals.readIdealS, 1)} s)${run.ok ? '' : ' FAILED'}\n`);
      }
    }
    await ctx.fake.set(UNMODELED);
    const intro =
      `${fmt(rows)} wide rows, one stream. Models: ` +
      models.map((m) => `${m.name} = queue ${fmt(m.queueMs)} ms, ${m.slots} slots × ${fmt(m.batchRowsPerS)} rows/s per 10,000-row batch`).join('; ') +
      '. Ideal = time until the object was described + one queue delay + every slot busy until the last batch, ' +
      'with reading free (every batch there at once); at the floor\'s reading: no batch before the floor, run just before on the same input, had read its rows (the first moment they could be there). ' +
      'Jobs need: 1 describe + 4 calls per job (create, PUT, close, one poll). ' +
      'First job at: when the first job was created (the org can work from then on); last job done → exit: how long after Salesforce finished the last job the run ended (polling and settling). ' +
      "The stand-in runs its processing model (batch-pool.ts: every job's 10,000-row batches share the org's slots, first come first served) with these knobs.";
    return {
      id: 'modeled',
      title: 'Modeled org: wall time vs ideal, API calls vs need, job sizes',
      text: [intro, textTable(head, body), ...problems.map((p) => `  !! ${p}`)].join('\n'),
      markdown: [intro, '', mdTable(head, body), ...problems.map((p) => `\n**FAILED**: ${p}`)].join('\n'),
      data: runs,
      ok: problems.length === 0,
    };
  },
};
