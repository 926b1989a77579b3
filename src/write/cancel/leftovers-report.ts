/**
 * What a cancelled or failed sync tells the user about rows the next sync may write twice (LOG lines).
 * Airbyte sends again every row after the last echoed STATE: harmless for keyed operations, a second
 * copy for insert. The counts are facts: Salesforce's job counters for the rows insert jobs wrote,
 * minus the loaded rows the echoed states covered; plus the rows of jobs still running (at most).
 */
import type { TrackedJob } from '../job-registry';

/** What the report says of a job. */
type LeftJob = Pick<TrackedJob, 'id' | 'object' | 'operation' | 'rows'>;

export interface ReportLine {
  level: 'INFO' | 'WARN';
  message: string;
}

export interface SyncLeftovers {
  /** Jobs Salesforce accepted that were not seen finished. */
  running: LeftJob[];
  /** Jobs this sync created that may still be Open (their abort failed). */
  open: LeftJob[];
  /** Per object, rows written by this sync's finished insert jobs. */
  inserted: Map<string, number>;
  /** Per stream: object, operation and the loaded rows covered by echoed states. */
  checkpointed: Array<{ object: string; operation: string; rows: number }>;
}

/** `graceSeconds`: set after a cancel (the wording says the grace period ended). */
export function leftoversReport(left: SyncLeftovers, graceSeconds?: number): ReportLine[] {
  const out: ReportLine[] = [];
  const when = graceSeconds !== undefined ? `when the ${graceSeconds} s cancel grace period ended` : 'when the sync stopped';
  for (const j of left.running) {
    const rows = j.rows ?? 'all its';
    const insert = j.operation === 'insert' ? ` As an insert job, up to ${rows} duplicate ${j.object} record(s) can follow.` : '';
    out.push({
      level: 'WARN',
      message:
        `Ingest job ${j.id} (${j.object} ${j.operation}, ${j.rows ?? 'uncounted'} rows) is still running in Salesforce ${when}; ` +
        `its rows were not checkpointed and the next sync sends them again.${insert}`,
    });
  }
  let total = left.running.filter((j) => j.operation === 'insert').reduce((n, j) => n + (j.rows ?? 0), 0);
  for (const [object, inserted] of left.inserted) {
    const covered = left.checkpointed.filter((c) => c.object === object && c.operation === 'insert').reduce((n, c) => n + c.rows, 0);
    const again = inserted - covered;
    if (again <= 0) continue;
    total += again;
    out.push({
      level: 'WARN',
      message: `${again} ${object} row(s) inserted by this sync are not covered by an echoed checkpoint: the next sync sends them again and inserts them a second time.`,
    });
  }
  if (total > 0) out.push({ level: 'WARN', message: `In total the next sync may insert up to ${total} row(s) a second time.` });
  for (const j of left.open) {
    out.push({ level: 'WARN', message: `Ingest job ${j.id} (${j.object} ${j.operation}) may still be Open: aborting it failed. It holds no processed row; Salesforce deletes it after 24 hours.` });
  }
  if (graceSeconds !== undefined && left.running.length === 0 && left.open.length === 0 && total === 0) {
    out.push({ level: 'INFO', message: 'Cancelled: no ingest job of this sync is left running or Open in Salesforce, and no row can be inserted twice by the next sync.' });
  }
  return out;
}
