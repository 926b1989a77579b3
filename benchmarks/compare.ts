/**
 * Section "compare": the connector, jsforce's bulk2 loader and the floor on the same input, same stand-in (no
 * processing delay, unlimited rate), same Node, in alternating rounds (the order rotates every round so none
 * always runs first on a warm or cold machine); the medians are reported, with the connector's ratios.
 */
import type { BenchContext, Section } from './bench-context';
import { prepareInput } from './data';
import { measure, type RunResult, type Tool } from './measured-run';
import { type Cell, fmt, mdTable, median, ratio, textTable } from './report';

const TOOLS: Array<{ tool: Tool; name: string }> = [
  { tool: 'connector', name: 'connector (CLI write)' },
  { tool: 'jsforce', name: 'jsforce bulk2.loadAndWaitForResults' },
  { tool: 'floor', name: 'floor (JSON lines → CSV only)' },
];

/** Medians of one program's runs. */
export type CompareMedians = { tool: Tool; runs: number; jobs: number } & Pick<RunResult, 'wallS' | 'rowsPerS' | 'mbPerS' | 'cpuS' | 'usPerRow' | 'peakRssMB' | 'apiCalls'>;

function medians(tool: Tool, runs: RunResult[]): CompareMedians {
  const m = (f: (r: RunResult) => number) => median(runs.map(f));
  return {
    tool,
    runs: runs.length,
    wallS: m((r) => r.wallS),
    rowsPerS: m((r) => r.rowsPerS),
    mbPerS: m((r) => r.mbPerS),
    cpuS: m((r) => r.cpuS),
    usPerRow: m((r) => r.usPerRow),
    peakRssMB: m((r) => r.peakRssMB),
    jobs: m((r) => r.jobs.jobs),
    apiCalls: m((r) => r.apiCalls),
  };
}

export const compareSection: Section = {
  id: 'compare',
  async run(ctx: BenchContext) {
    const rows = ctx.size('BENCH_ROWS', 200_000, 3_000);
    const rounds = ctx.size('BENCH_ROUNDS', 3, 1);
    await ctx.fake.set({ processingDelayMs: 0, recordsPerSecond: undefined });
    const input = prepareInput(ctx.workDir, { rows, width: 'wide', streams: 1 });
    const runs = new Map<Tool, RunResult[]>(TOOLS.map((t) => [t.tool, []]));
    const problems: string[] = [];
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < TOOLS.length; k++) {
        const { tool } = TOOLS[(r + k) % TOOLS.length] as (typeof TOOLS)[number];
        const res = await measure(ctx.fake, tool, input, { workDir: ctx.workDir, config: ctx.connectorConfig });
        if (!res.ok) problems.push(`${tool} round ${r + 1}: ${res.problems.join('; ')}`);
        runs.get(tool)?.push(res);
        process.stderr.write(`  compare round ${r + 1}/${rounds}: ${tool} ${fmt(res.wallS, 2)} s, ${fmt(res.peakRssMB)} MB${res.ok ? '' : ' FAILED'}\n`);
      }
    }
    const med = TOOLS.map((t) => medians(t.tool, runs.get(t.tool) ?? []));
    const [c, j, f] = med as [CompareMedians, CompareMedians, CompareMedians];
    const head = ['', 'rows/s', 'MB/s', 'wall s', 'CPU s', 'CPU µs/row', 'peak RSS MB', 'jobs', 'API calls', 'connector wall ÷ this'];
    const body: Cell[][] = med.map((m, i) => [
      TOOLS[i]?.name ?? m.tool,
      fmt(m.rowsPerS),
      fmt(m.mbPerS, 1),
      fmt(m.wallS, 2),
      fmt(m.cpuS, 2),
      fmt(m.usPerRow, 1),
      fmt(m.peakRssMB),
      m.tool === 'floor' ? '–' : fmt(m.jobs),
      m.tool === 'floor' ? '–' : fmt(m.apiCalls),
      m.tool === 'connector' ? '1.00×' : ratio(c.wallS, m.wallS),
    ]);
    const intro =
      `${fmt(rows)} wide Account rows (${fmt(input.bytes / rows)} B of JSONL each, ${fmt(input.bytes / 1e6, 1)} MB), one stream, ` +
      `stand-in unlimited (no queue delay, no rate limit); medians of ${rounds} alternating round(s).`;
    const goals =
      `Connector wall time: ${ratio(c.wallS, j.wallS)} jsforce's loader (goal ≤ 0.5×), ${ratio(c.wallS, f.wallS)} the floor (goal ≤ 2×); ` +
      `CPU ${ratio(c.cpuS, f.cpuS)} the floor's.`;
    return {
      id: 'compare',
      title: 'Connector vs jsforce loader vs floor',
      text: [intro, textTable(head, body), goals, ...problems.map((p) => `  !! ${p}`)].join('\n'),
      markdown: [intro, '', mdTable(head, body), '', goals, ...problems.map((p) => `\n**FAILED**: ${p}`)].join('\n'),
      data: { rows, rounds, inputBytes: input.bytes, medians: med, runs: Object.fromEntries(runs) },
      ok: problems.length === 0,
    };
  },
};
