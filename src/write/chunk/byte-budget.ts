/**
 * One byte budget across every stream's open chunk. Each stream fills its own chunk up to the job limits;
 * without a shared budget, N interleaved streams could hold N full chunks at once. Here the chunks report
 * the bytes of memory they hold (csv-chunker.ts `memoryBytes`), and when the total reaches the budget the
 * LARGEST open chunk is named to be cut (sent as a job): the one that frees the most and makes the biggest
 * job, so jobs stay as large as the budget allows. A chunk alone is never named: one stream's chunk is cut
 * by the job limits only (bulk_job_max_mb of CSV, bulk_job_max_rows), as without the budget.
 *
 * Pure bookkeeping: the caller cuts the chunk and calls `release`.
 */

/**
 * The budget's ceiling (the pipeline takes the smaller of this and bulk_job_max_mb): 64 MiB of estimated
 * memory holds ~300,000–400,000 open rows on disk (150 B each plus half their CSV), so 20 interleaved
 * streams still cut jobs of 15,000–20,000 rows — more than one of Salesforce's 10,000-row batches — while
 * the open rows stay a small part of the 300 MB the connector aims to peak under (BENCHMARKS.md).
 */
export const OPEN_CHUNKS_MAX_BYTES = 64 * 1024 * 1024;
export class ByteBudget<K> {
  private readonly held = new Map<K, number>();
  private total = 0;

  constructor(readonly maxBytes: number) {
    if (!(maxBytes > 0)) throw new Error(`ByteBudget: maxBytes must be > 0, got ${maxBytes}`);
  }

  /** Bytes held by every open chunk together. */
  get heldBytes(): number {
    return this.total;
  }

  /**
   * Records that `key`'s open chunk now holds `bytes`. Returns the key of the chunk to cut when the
   * budget is reached (the largest one, which may be `key` itself), else undefined.
   */
  update(key: K, bytes: number): K | undefined {
    this.total += bytes - (this.held.get(key) ?? 0);
    this.held.set(key, bytes);
    return this.total >= this.maxBytes && this.holding() > 1 ? this.largest() : undefined;
  }

  /** The chunk of `key` was cut (or its stream ended): it holds nothing any more. */
  release(key: K): void {
    this.total -= this.held.get(key) ?? 0;
    this.held.delete(key);
  }

  private holding(): number {
    let n = 0;
    for (const b of this.held.values()) if (b > 0) n += 1;
    return n;
  }

  private largest(): K | undefined {
    let best: K | undefined;
    let bestBytes = -1;
    for (const [k, b] of this.held) {
      if (b > bestBytes) {
        best = k;
        bestBytes = b;
      }
    }
    return best;
  }
}
