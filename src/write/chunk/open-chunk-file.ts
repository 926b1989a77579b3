/**
 * An open chunk's rows on disk (csv-chunker.ts's `newFile` mode): the chunk's file (chunk-file.ts) and, for
 * each row of the chunk, which line of the file holds it now and its parent key — all the chunker keeps
 * of a row's cells while the chunk fills.
 *
 * - A row is staged in the file first (its size is read off the bytes written) and kept only if the chunk
 *   has room (`commit`) — else dropped (`drop`) and the chunk cut before it.
 * - A later version of a record rewrites its row (`rewrite`): the earlier line becomes dead and is left out
 *   when the file is finished.
 * - At the cut (`finish`), rows pointing at the same parent are put next to each other (by the parent key
 *   each row kept: lookup values NUL-joined) and the file is rewritten only if lines died or the order
 *   changed.
 * Every failure to write or read the file is the chunk's `chunkFileError`.
 */
import { chunkFileError, type ChunkFile } from './chunk-file';
import type { Row } from './csv-text';
import { parentKey, parentOrder } from './parent-order';

export class OpenChunkFile {
  /** Line of the file that holds each row of the chunk (by the row's position in the chunk). */
  private readonly lines: number[] = [];
  /** Each row's parent key ('' without parent columns). */
  private readonly parents: string[] = [];
  /** Lines rewritten by a later version (left out at the cut). */
  private deadLines = 0;

  constructor(readonly file: ChunkFile) {}

  /** Writes a row (its values aligned to the chunk's columns so far) without keeping it; its bytes, newline included. */
  stage(values: Row): number {
    // try/catch here and in `commit`, not `guard`: these run for every row, and a closure per call is garbage.
    try {
      return this.file.stageRow(values);
    } catch (err) {
      this.file.dropRow();
      throw chunkFileError(this.lines.length, err);
    }
  }

  /** The staged row is dropped (the chunk has no room for it). */
  drop(): void {
    this.file.dropRow();
  }

  /** The staged row becomes row `at` of the chunk. */
  commit(at: number, width: number, values: Row, parentColumns: number[]): void {
    try {
      this.file.commitRow(width);
    } catch (err) {
      throw chunkFileError(this.lines.length, err);
    }
    this.place(at, values, parentColumns);
  }

  /** Row `at` again, as `values` (a later version merged into it): its earlier line is left out at the cut. */
  rewrite(at: number, values: Row, parentColumns: number[]): void {
    this.guard(() => this.file.addRow(values));
    this.deadLines += 1;
    this.place(at, values, parentColumns);
  }

  /** Row `at`'s cells as written (aligned to the columns of that moment). */
  readRow(at: number): Row {
    return this.guard(() => this.file.readRow(this.lines[at] as number));
  }

  /** Row `at`'s CSV line as written. */
  readLine(at: number): string {
    return this.guard(() => this.file.readLine(this.lines[at] as number));
  }

  /**
   * The file gets its header (`columns`) and holds the rows in the order returned (positions in the chunk):
   * grouped by parent when `grouped`, else as they came; rewritten only when needed. On failure the file is
   * removed.
   */
  finish(columns: string[], grouped: boolean): number[] {
    // Rows written before the first parent column have the key ''.
    const order = grouped ? parentOrder(this.lines.map((_, p) => this.parents[p] ?? '')) : this.lines.map((_, p) => p);
    const lines = order.map((p) => this.lines[p] as number);
    const inPlace = this.deadLines === 0 && lines.every((line, j) => line === j);
    try {
      this.file.finish(columns, inPlace ? undefined : lines);
    } catch (err) {
      this.file.remove();
      throw chunkFileError(this.lines.length, err);
    }
    return order;
  }

  private place(at: number, values: Row, parentColumns: number[]): void {
    this.lines[at] = this.file.rowCount - 1;
    if (parentColumns.length > 0) this.parents[at] = parentKey(parentColumns, values);
  }

  /** Rare paths (merges, look-alike collisions): a failure is the chunk's `chunkFileError`. */
  private guard<R>(work: () => R): R {
    try {
      return work();
    } catch (err) {
      throw chunkFileError(this.lines.length, err);
    }
  }
}
