/**
 * Counts rejected rows per error code, keeping one example message per code (values masked),
 * for the LOG summaries of both sinks and the end-of-sync summary.
 */
import { maskValues } from './mask-values';

export interface RejectCount {
  code: string;
  count: number;
  /** The first message seen for this code, with record values masked. */
  example: string;
}

export class RejectSummary {
  private readonly byCode = new Map<string, RejectCount>();
  private totalCount = 0;

  /** Counts one rejected row; `data` is the record's data, used to mask values in the example. */
  add(code: string, message: string, data?: unknown): void {
    this.totalCount += 1;
    const entry = this.byCode.get(code);
    if (entry) {
      entry.count += 1;
      return;
    }
    this.byCode.set(code, { code, count: 1, example: maskValues(message, data) });
  }

  get total(): number {
    return this.totalCount;
  }

  /** Per-code counts, most frequent first (ties by code). */
  counts(): RejectCount[] {
    return [...this.byCode.values()]
      .map((c) => ({ ...c }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  }

  /** e.g. `REQUIRED_FIELD_MISSING: 3 rows (e.g. "Required fields are missing: [Name]")`. */
  summaryLines(): string[] {
    return this.counts().map(
      (c) => `${c.code}: ${c.count} row${c.count === 1 ? '' : 's'} (e.g. ${JSON.stringify(truncate(c.example, 300))})`,
    );
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
