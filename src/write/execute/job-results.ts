/**
 * Count-first settlement of one finished ingest job: the job info's counters are facts, so result
 * CSVs are downloaded only when the counters cannot settle the rows on their own.
 *
 * - JobComplete, every uploaded row processed, none failed → every row loaded; nothing downloaded.
 * - Failed/Aborted with nothing processed → every row unprocessed; nothing downloaded.
 * - Otherwise `failedResults` (when rows failed) and `unprocessedrecords` (when rows were not
 *   processed) are streamed and attributed (result-attribution.ts); when they account for exactly
 *   the counted failed and unprocessed rows, the rest are loaded. Only when they do not (a result row
 *   that could not be attributed, counts that disagree) is `successfulResults` streamed as well;
 *   rows still unattributed then are `ambiguous` — never loaded.
 * A download broken half-way starts over (bounded); each set is read once per try.
 */
import { ConnectorError, transientError } from '../../errors';
import type { BulkIngestClient, ResultKind as ResultPath } from '../../salesforce/bulk-ingest-client';
import type { JobInfo } from '../../salesforce/types';
import { classifyHttp } from './failure-causes';
import { Attribution, type ResultKind, type RowOutcome, type UploadedJob } from './result-attribution';
import { readCsvStream } from './result-stream';

export type SettledOutcome = RowOutcome | { kind: 'ambiguous' };

const PATHS: Record<ResultKind, ResultPath> = { successful: 'successfulResults', failed: 'failedResults', unprocessed: 'unprocessedrecords' };
const DOWNLOAD_TRIES = 4;

export interface ResultOptions {
  sleep: (ms: number) => Promise<void>;
  /** Wait before the n-th try of a broken download: n × this. */
  retryWaitMs: number;
}

/** JobComplete, every one of the `rows` uploaded rows processed, none failed: all loaded, nothing to read. */
export function settledByCounters(info: JobInfo, rows: number): boolean {
  const processed = Math.min(rows, info.numberRecordsProcessed ?? 0);
  return info.state === 'JobComplete' && processed === rows && Math.min(processed, info.numberRecordsFailed ?? 0) === 0;
}

export async function settleJob(client: BulkIngestClient, info: JobInfo, job: UploadedJob, opts: ResultOptions): Promise<SettledOutcome[]> {
  const n = job.rows.length;
  const processed = Math.min(n, info.numberRecordsProcessed ?? 0);
  const failed = Math.min(processed, info.numberRecordsFailed ?? 0);
  const unprocessed = n - processed;
  if (settledByCounters(info, n)) return job.rows.map(() => ({ kind: 'loaded' }));
  if (processed === 0) return job.rows.map(() => ({ kind: 'unprocessed' }));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await attribute(client, info.id, job, { failed, unprocessed, successful: processed - failed });
    } catch (err) {
      const cause = classifyHttp(err, 'results');
      const retryable = cause ? cause.action === 'retry-call' : err instanceof ConnectorError && err.failureType === 'transient_error';
      if (!retryable || attempt >= DOWNLOAD_TRIES) {
        if (cause?.action === 'retry-call' || (!cause && !(err instanceof ConnectorError))) {
          throw transientError(`Could not download the results of ingest job ${info.id} (${info.object}); the sync stopped.`, String(err));
        }
        throw err;
      }
      await opts.sleep(opts.retryWaitMs * attempt);
    }
  }
}

async function attribute(
  client: BulkIngestClient,
  jobId: string,
  job: UploadedJob,
  expected: { failed: number; unprocessed: number; successful: number },
): Promise<SettledOutcome[]> {
  const attribution = new Attribution(job);
  const read = (kind: ResultKind) => client.streamResults(jobId, PATHS[kind], (body) => readCsvStream(body, (header) => attribution.begin(kind, header)));
  if (expected.failed > 0) await read('failed');
  if (expected.unprocessed > 0) await read('unprocessed');
  attribution.settleRelaxed();
  let t = attribution.tally();
  const accountedFor = t.failed === expected.failed && t.unprocessed === expected.unprocessed && t.unattributed === 0;
  if (!accountedFor && expected.successful > 0) {
    await read('successful');
    attribution.settleRelaxed();
    t = attribution.tally();
  }
  const rest: SettledOutcome = accountedFor ? { kind: 'loaded' } : { kind: 'ambiguous' };
  return attribution.result().map((o) => o ?? rest);
}
