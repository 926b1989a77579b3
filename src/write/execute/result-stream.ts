/**
 * Reads a result CSV as it arrives (papaparse's Node stream), one row at a time: a job's results are
 * never held whole in memory. The first row is the header; a leading BOM is dropped.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Papa from 'papaparse';

export type RowConsumer = (row: string[]) => void;

/** Streams `body` through the CSV parser: `onHeader(header)` returns the consumer of the data rows. */
export async function readCsvStream(body: AsyncIterable<Buffer>, onHeader: (header: string[]) => RowConsumer): Promise<void> {
  let consume: RowConsumer | undefined;
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: false, skipEmptyLines: true, dynamicTyping: false });
  await pipeline(body, stripBom(), parser, async (rows: AsyncIterable<string[]>) => {
    for await (const row of rows) {
      if (consume) consume(row);
      else consume = onHeader(row);
    }
  });
}

function stripBom(): Transform {
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      if (first) {
        first = false;
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      }
      done(null, chunk);
    },
  });
}
