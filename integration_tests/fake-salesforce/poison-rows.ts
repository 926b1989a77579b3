/**
 * Rows that make every job they are in fail (test control, `poisonRows`): as when a row's trigger
 * keeps a batch past Salesforce's time limit until its retries are exhausted. A job holding a
 * matching row turns Failed when processing reaches it: the rows before it keep their results, it
 * and the rest are unprocessed (reference §1.7). Alone in a job, it fails that job too.
 */
import type { JobFailure } from './types';

/** Guessed wording (reference §1.10: the retries-exhausted errorMessage is unconfirmed). */
export const RETRIES_EXHAUSTED = 'InternalServerError : Batch failed after the maximum number of processing retries';

interface PoisonRule {
  match: (row: Record<string, string>) => boolean;
  errorMessage: string;
}

export class PoisonRows {
  private rules: PoisonRule[] = [];

  add(match: (row: Record<string, string>) => boolean, errorMessage = RETRIES_EXHAUSTED): void {
    this.rules.push({ match, errorMessage });
  }

  clear(): void {
    this.rules = [];
  }

  /** The failure of a job with this upload (header + rows), if one of its rows is poisoned. */
  failureFor(header: string[], rows: string[][]): JobFailure | undefined {
    if (this.rules.length === 0) return undefined;
    for (let i = 0; i < rows.length; i++) {
      const asRecord: Record<string, string> = {};
      header.forEach((h, k) => (asRecord[h] = rows[i]?.[k] ?? ''));
      const rule = this.rules.find((r) => r.match(asRecord));
      if (rule) return { afterRows: i, errorMessage: rule.errorMessage };
    }
    return undefined;
  }
}
