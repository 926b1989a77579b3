/**
 * storage_type None with allow_failures: rejected rows are counted per error code (one example
 * message each, record values masked) and summarised in a LOG on close(). Nothing is stored, and
 * no record data is ever logged.
 */
import { systemError } from '../errors';
import { RejectSummary } from './reject-summary';
import type { RejectedRow, RejectsSink } from './rejects-sink';
import type { RejectsLog } from './s3-rejects-sink';

export const NOT_STORED_NOTE =
  'storage_type is None: rejected rows are counted but not stored; set object_storage_config to S3 to keep them';

export class LogRejectsSink implements RejectsSink {
  readonly summary = new RejectSummary();
  private closed = false;

  constructor(private readonly log: RejectsLog) {}

  add(row: RejectedRow): void {
    if (this.closed) throw systemError('Internal error: a rejected row arrived after the rejects sink was closed.');
    this.summary.add(row.errorCode, row.errorMessage, row.record?.data);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const total = this.summary.total;
    if (total === 0) return;
    const head = `Rejected rows: ${total} (${NOT_STORED_NOTE}).`;
    this.log('WARN', [head, ...this.summary.summaryLines()].join('\n'));
  }

  location(): string {
    return `nowhere (${NOT_STORED_NOTE})`;
  }
}
