/**
 * What a cancelled sync tells the user about jobs it leaves behind in Salesforce (LOG lines).
 * Rows of a job Salesforce accepted but whose outcome was not read in time are not checkpointed, so
 * Airbyte sends them again: harmless for keyed operations, duplicates for insert.
 */
import type { TrackedJob } from './cancellable-bulk-client';

export interface CancelReport {
  level: 'INFO' | 'WARN';
  message: string;
}

export function cancelReport(still: TrackedJob[], open: TrackedJob[], graceSeconds: number): CancelReport[] {
  const out: CancelReport[] = [];
  for (const j of still) {
    const where = j.phase === 'finished' ? 'finished in Salesforce but its results were not read' : 'is still running in Salesforce';
    const insert = j.operation === 'insert' ? ` As an insert job, up to ${j.rows} duplicate ${j.object} record(s) can follow.` : '';
    out.push({
      level: 'WARN',
      message:
        `Ingest job ${j.id} (${j.object} ${j.operation}, ${j.rows} rows) ${where} when the ${graceSeconds} s cancel grace period ended; ` +
        `its rows were not checkpointed and the next sync sends them again.${insert}`,
    });
  }
  const inserts = still.filter((j) => j.operation === 'insert').reduce((n, j) => n + j.rows, 0);
  if (inserts > 0) {
    out.push({ level: 'WARN', message: `In total the next sync may insert up to ${inserts} row(s) a second time (jobs ${still.filter((j) => j.operation === 'insert').map((j) => j.id).join(', ')}).` });
  }
  for (const j of open) {
    out.push({ level: 'WARN', message: `Ingest job ${j.id} (${j.object} ${j.operation}) may still be Open: aborting it failed. It holds no processed row; Salesforce deletes it after 24 hours.` });
  }
  if (still.length === 0 && open.length === 0) {
    out.push({ level: 'INFO', message: 'Cancelled: no ingest job of this sync is left running or Open in Salesforce; no row can be written twice by the next sync.' });
  }
  return out;
}
