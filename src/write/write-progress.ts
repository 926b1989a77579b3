/** Progress LOG lines while a sync runs (throttled) and the per-stream summary at the end. */
import type { StreamWriter } from './plan/stream-router';

export class WriteProgress {
  private lastAt: number;
  private lastLoaded = 0;
  private readonly startedAt: number;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly log: (message: string) => void,
    /** What the jobs in flight are doing in Salesforce (job-registry.ts), appended when there are any. */
    private readonly describeJobs: () => string | undefined = () => undefined,
  ) {
    this.startedAt = now();
    this.lastAt = this.startedAt;
  }

  /** Logs when the interval has passed since the last progress line (totals summed only then). */
  tick(writers: readonly StreamWriter[], jobsInFlight: number): void {
    const now = this.now();
    if (now - this.lastAt < this.intervalMs) return;
    const c = { read: 0, loaded: 0, rejected: 0, jobsInFlight, jobsCreated: 0 };
    for (const w of writers) {
      c.read += w.stats.read;
      c.loaded += w.stats.loaded;
      c.rejected += rejectedOf(w);
      c.jobsCreated += w.stats.jobs;
    }
    const rate = ((c.loaded - this.lastLoaded) * 1000) / Math.max(1, now - this.lastAt);
    this.lastAt = now;
    this.lastLoaded = c.loaded;
    const jobs = this.describeJobs();
    this.log(
      `Progress: ${c.read} rows read, ${c.loaded} loaded, ${c.rejected} rejected, ` +
        `${plural(c.jobsInFlight, 'chunk')} in flight (Bulk ingest jobs or sObject Collections requests; ${plural(c.jobsCreated, 'ingest job')} created), ` +
        `${rate.toFixed(0)} rows/s loaded.` +
        `${jobs ? ` ${jobs}` : ''}`,
    );
  }

  /** Per stream a line, then `executorSummary` (calls per API) when given, then the totals. */
  summary(writers: readonly StreamWriter[], apiCalls: number | undefined, rejectsLocation: string, executorSummary?: string): string[] {
    const seconds = Math.max(0.001, (this.now() - this.startedAt) / 1000);
    const lines = writers
      .filter((w) => w.stats.read > 0)
      .map((w) => {
        const rejected = rejectedOf(w);
        const codes = [...w.stats.rejectedByCode.entries()].map(([code, n]) => `${code}: ${n}`).join(', ');
        return (
          `Stream ${w.plan.key} → ${w.plan.object} (${w.plan.operation}): ${w.stats.read} read, ${w.stats.loaded} loaded, ` +
          `${rejected} rejected${codes ? ` (${codes})` : ''}, ${plural(w.stats.jobs, 'ingest job')}.${mergedNote(w)}`
        );
      });
    if (executorSummary !== undefined) lines.push(executorSummary);
    const total = writers.reduce((n, w) => n + w.stats.loaded, 0);
    lines.push(
      `Write finished in ${seconds.toFixed(1)} s: ${total} rows loaded (${(total / seconds).toFixed(0)} rows/s)` +
        `${apiCalls !== undefined ? `, ${apiCalls} Salesforce API calls` : ''}. Rejected rows: ${rejectsLocation}.`,
    );
    return lines;
  }
}

function rejectedOf(w: StreamWriter): number {
  let n = 0;
  for (const count of w.stats.rejectedByCode.values()) n += count;
  return n;
}

/** " 40 input rows were versions of 1 record and were merged …" when versions of a record shared a job. */
function mergedNote(w: StreamWriter): string {
  const { merged, mergedRecords } = w.stats;
  if (merged === 0) return '';
  const versions = merged + mergedRecords;
  return (
    ` ${versions} input rows were versions of ${plural(mergedRecords, 'record')} and were merged into ${plural(mergedRecords, 'row')}` +
    " (later values win), each counted with that row's outcome."
  );
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
