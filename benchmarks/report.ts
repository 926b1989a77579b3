/** Formatting of the figures (console tables and Markdown) and the write of BENCHMARKS.md's measured part. */
import * as fs from 'node:fs';
import * as os from 'node:os';

export type Cell = string | number;

export const fmt = (n: number | undefined, digits = 0): string =>
  n !== undefined && Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';

export const ratio = (a: number, b: number): string => (b > 0 && Number.isFinite(a / b) ? `${fmt(a / b, 2)}×` : '–');

export function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function textTable(head: string[], rows: Cell[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c] as number) : v.padStart(widths[c] as number))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function mdTable(head: string[], rows: Cell[][]): string {
  const esc = (v: Cell) => String(v).replace(/\|/g, '\\|');
  return [
    `| ${head.map(esc).join(' | ')} |`,
    `|${head.map((_, c) => (c === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** What a section hands back: its console text, its Markdown, its raw figures, and whether every run checked out. */
export interface SectionReport {
  id: string;
  title: string;
  text: string;
  markdown: string;
  data: unknown;
  ok: boolean;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  node: string;
  platform: string;
  loadAverageAtStart: number[];
  at: string;
}

export function machine(): Machine {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '?',
    memoryGB: os.totalmem() / 2 ** 30,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg(),
    at: new Date().toISOString(),
  };
}

/** The command as run: `npm run bench` with the BENCH_* variables that were set. */
export function command(): string {
  const vars = Object.entries(process.env)
    .filter(([k, v]) => k.startsWith('BENCH_') && v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  return [...vars, 'npm run bench'].join(' ');
}

const BEGIN = '<!-- measured:begin (written by `npm run bench`; edit outside these markers) -->';
const END = '<!-- measured:end -->';

export function measuredMarkdown(m: Machine, loadAtEnd: number[], totalS: number, sections: SectionReport[]): string {
  const loaded = Math.max(...m.loadAverageAtStart.slice(0, 1), ...loadAtEnd.slice(0, 1)) > m.cpus * 0.75;
  return [
    BEGIN,
    '',
    `Measured ${m.at} with \`${command()}\` (${fmt(totalS)} s in total).`,
    `Machine: ${m.cpus} × ${m.cpuModel}, ${fmt(m.memoryGB, 1)} GB, ${m.platform}, Node ${m.node}. ` +
      `Load average (1 min) ${fmt(m.loadAverageAtStart[0], 1)} at the start and ${fmt(loadAtEnd[0], 1)} at the end` +
      (loaded ? ': **taken on a loaded machine** (other work shared the cores), so wall times are noisy; the medians of alternating rounds are what to compare.' : '.'),
    '',
    ...sections.flatMap((s) => [`### ${s.title}`, '', s.markdown, '']),
    END,
  ].join('\n');
}

/** Replaces the measured part of `file` (between the markers), keeping the hand-written text around it. */
export function writeMeasured(file: string, measured: string, titleIfNew: string): void {
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `# ${titleIfNew}\n\n${BEGIN}\n${END}\n`;
  const a = old.indexOf(BEGIN);
  const b = old.indexOf(END);
  const next = a >= 0 && b > a ? old.slice(0, a) + measured + old.slice(b + END.length) : `${old.trimEnd()}\n\n${measured}\n`;
  fs.writeFileSync(file, next);
}
