/**
 * One ingest job's CSV, and where its rows' cells are while the job runs.
 *
 * - **On disk** (a `ChunkFile` given, chunk-file.ts): the rows are written to the file, each row's
 *   `cells` is swapped for an empty array, and the upload streams the file (replayable: a failed
 *   upload goes to a new job from the same file). While Salesforce processes the job, its rows hold no
 *   cells. `restore` reads the file back into the rows — only when the job's results need the uploaded
 *   values (attribution) or rows go again in a later job; a job whose counters settle every row as
 *   loaded never reads it. The file is removed by `remove`.
 * - **In memory** (no file): the CSV as one Buffer (papaparse), cells kept; `restore` does nothing.
 */
import Papa from 'papaparse';
import { pipeline } from 'node:stream/promises';
import { systemError } from '../../errors';
import type { ReplayableBody } from '../../salesforce/salesforce-api';
import { chunkFileError, type ChunkFile } from '../chunk/chunk-file';
import { toCsv, type Row } from '../chunk/csv-text';

const NO_CELLS: Row = [];

export class JobCsv<R extends { cells: Row }> {
  readonly body: Buffer | ReplayableBody;
  private released: boolean;
  private readonly file: ChunkFile | undefined;

  /** Rows already on disk in `file` (chunk/csv-chunker.ts wrote them as they arrived; the rows hold no cells): uploaded as is. */
  static adopt<R extends { cells: Row }>(columns: string[], rows: R[], file: ChunkFile): JobCsv<R> {
    return new JobCsv(columns, rows, undefined, file);
  }

  constructor(
    private readonly columns: string[],
    private readonly rows: R[],
    newFile?: () => ChunkFile,
    written?: ChunkFile,
  ) {
    if (written) {
      this.file = written;
      this.body = written;
      this.released = true;
      return;
    }
    if (!newFile) {
      this.body = toCsv(columns, rows.map((r) => r.cells));
      this.released = false;
      return;
    }
    let file: ChunkFile | undefined;
    try {
      file = newFile();
      for (const row of rows) file.addRow(row.cells);
      file.finish(columns);
    } catch (err) {
      file?.remove();
      throw chunkFileError(rows.length, err);
    }
    for (const row of rows) row.cells = NO_CELLS;
    this.file = file;
    this.body = file;
    this.released = true;
  }

  /** Puts every row's uploaded cells back (read from the file, once). */
  async restore(): Promise<void> {
    if (!this.released || !this.file) return;
    const rows = this.rows;
    let k = -1; // the header comes first
    const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: false, newline: '\n', delimiter: ',', quoteChar: '"', skipEmptyLines: false, dynamicTyping: false });
    await pipeline(this.file.open(), parser, async (parsed: AsyncIterable<string[]>) => {
      for await (const cells of parsed) {
        if (k >= 0 && k < rows.length) (rows[k] as R).cells = cells.length === this.columns.length ? cells : padded(cells, this.columns.length);
        k += 1;
      }
    });
    // papaparse yields the empty line after the final '\n' as a row of its own, or not, by version.
    if (k < rows.length || k > rows.length + 1) {
      throw systemError(`A chunk file read back ${k} rows where ${rows.length} were written; the sync stopped without settling them.`);
    }
    this.released = false;
  }

  /** On disk: a row settled for good gives its cells up again (nothing reads them after). */
  drop(row: R): void {
    if (this.file) row.cells = NO_CELLS;
  }

  remove(): void {
    this.file?.remove();
  }
}

/** Puts the cells of rows the chunker wrote to `file` back into them (REST, or rows split into waves) and removes the file. */
export async function readCellsBack<R extends { cells: Row }>(columns: string[], rows: R[], file: ChunkFile): Promise<void> {
  const csv = JobCsv.adopt(columns, rows, file);
  try {
    await csv.restore();
  } finally {
    csv.remove();
  }
}

/** A row of one empty cell is an empty line in the file: papaparse gives it back as `['']`. */
function padded(cells: string[], width: number): string[] {
  const out = new Array<string>(width).fill('');
  for (let i = 0; i < Math.min(width, cells.length); i++) out[i] = cells[i] as string;
  return out;
}
