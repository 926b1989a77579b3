/**
 * Section "memory": the connector's peak RSS at its default settings (or BENCH_CONFIG) for small and large
 * inputs, narrow and wide rows, one stream and 20 interleaved streams (all loading Account), plus the idle
 * footprint (one row). The goal is a flat figure under 300 MB in every case.
 */
import type { BenchContext, Section } from './bench-context';
import { dropInput, type InputShape, prepareInput, shapeLabel, type Width } from './data';
import { measure, type RunResult } from './measured-run';
import { type Cell, fmt, mdTable, textTable } from './report';

const GOAL_MB = 300;

export const memorySection: Section = {
  id: 'memory',
  async run(ctx: BenchContext) {
    const small = ctx.size('BENCH_MEM_BASE_ROWS', 200_000, 2_000);
    const large = ctx.size('BENCH_MEM_ROWS', 1_000_000, 6_000);
    const streams = ctx.size('BENCH_MEM_STREAMS', 20, 20);
    await ctx.fake.set({ processingDelayMs: 0, recordsPerSecond: undefined });
    const shapes: InputShape[] = [{ rows: 1, width: 'narrow', streams: 1 }];
    for (const rows of [small, large]) {
      for (const width of ['narrow', 'wide'] as Width[]) for (const s of [1, streams]) shapes.push({ rows, width, streams: s });
    }
    // BENCH_MEM_SHAPES=large-narrow-20,small-wide-1: only those shapes (size-width-streams), for a quick look.
    const only = process.env.BENCH_MEM_SHAPES?.split(',').map((x) => x.trim());
    const picked = only ? shapes.filter((s) => only.includes(`${s.rows === large ? 'large' : 'small'}-${s.width}-${s.streams}`)) : shapes;
    const results: Array<{ shape: InputShape; run: RunResult }> = [];
    for (const shape of picked) {
      const input = prepareInput(ctx.workDir, shape);
      const run = await measure(ctx.fake, 'connector', input, { workDir: ctx.workDir, config: ctx.connectorConfig });
      if (shape.rows >= large) dropInput(input);
      results.push({ shape, run });
      process.stderr.write(`  memory ${shapeLabel(shape)}: ${fmt(run.peakRssMB)} MB, ${fmt(run.wallS, 1)} s${run.ok ? '' : ' FAILED'}\n`);
    }
    const head = ['input', 'MB of JSONL', 'peak RSS MB', '/proc VmHWM MB', 'wall s', 'rows/s', 'jobs', 'max rows in flight', `< ${GOAL_MB} MB`];
    const body: Cell[][] = results.map(({ shape, run }) => [
      shape.rows === 1 ? '1 row (idle footprint)' : shapeLabel(shape),
      fmt(run.inputMB, 1),
      fmt(run.peakRssMB),
      fmt(run.procPeakRssMB),
      fmt(run.wallS, 1),
      shape.rows >= 1000 ? fmt(run.rowsPerS) : '–',
      run.jobs.jobs,
      fmt(run.jobs.maxRowsInFlight),
      run.peakRssMB < GOAL_MB ? 'yes' : 'NO',
    ]);
    const worst = Math.max(...results.map((r) => r.run.peakRssMB));
    const configText = Object.keys(ctx.connectorConfig).length ? `config ${JSON.stringify(ctx.connectorConfig)}` : 'the connector\'s default settings';
    const intro = `Connector only, ${configText}, stand-in unlimited. Narrow = 3 columns (~25 B of CSV), wide = 12 columns (~320 B); the ${streams}-stream inputs deal rows round-robin to ${streams} streams that all load Account.`;
    const summary = `Highest peak RSS: ${fmt(worst)} MB (goal < ${GOAL_MB} MB in every case).`;
    const problems = results.filter((r) => !r.run.ok).map((r) => `${shapeLabel(r.shape)}: ${r.run.problems.join('; ')}`);
    return {
      id: 'memory',
      title: 'Memory: peak RSS by input size, row width and stream count',
      text: [intro, textTable(head, body), summary, ...problems.map((p) => `  !! ${p}`)].join('\n'),
      markdown: [intro, '', mdTable(head, body), '', summary, ...problems.map((p) => `\n**FAILED**: ${p}`)].join('\n'),
      data: results,
      ok: problems.length === 0,
    };
  },
};
