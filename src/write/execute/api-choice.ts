/**
 * Which API a chunk goes through (config `api_mode`), and what each one carried (the summary).
 *
 * - `bulk`: every chunk through Bulk API 2.0 ingest jobs.
 * - `rest`: every chunk through sObject Collections.
 * - `auto`: a chunk of fewer than `rest_max_rows` rows through sObject Collections, a larger one
 *   through Bulk (the threshold's reason: README "Small loads", BENCHMARKS.md).
 * A hard delete always goes through Bulk (sObject Collections has no hard delete).
 */
import type { ApiMode, DestinationConfig } from '../../config/destination-config';
import type { BulkIngestClient } from '../../salesforce/bulk-ingest-client';
import { CollectionsClient } from '../../salesforce/collections-client';
import { CountedApi } from '../../salesforce/counted-api';
import type { SalesforceApi } from '../../salesforce/salesforce-api';
import type { Row } from '../chunk/csv-text';
import { BulkChunkExecutor, type BulkExecutorOptions } from './bulk-executor';
import type { ChunkExecutor, ChunkOutcome, ChunkWork } from './chunk-executor';
import { readCellsBack } from './job-csv';
import { RestChunkExecutor } from './rest-executor';

/** sObject Collections requests of one chunk in flight at once, and tries of one Salesforce refused unprocessed. */
const REST_REQUESTS_IN_FLIGHT = 4;
const REST_REQUEST_TRIES = 5;

export type Api = 'rest' | 'bulk';

/** Pure: the API for a chunk of `rows` rows of `operation`. */
export function chooseApi(mode: ApiMode, restMaxRows: number, operation: string, rows: number): Api {
  if (operation === 'hardDelete') return 'bulk';
  if (mode === 'auto') return rows < restMaxRows ? 'rest' : 'bulk';
  return mode;
}

export interface ApiTally {
  /** Rows sent (each row once, however many attempts it took). */
  rows: number;
  chunks: number;
}

export class ChosenApiExecutor implements ChunkExecutor {
  readonly tally: Record<Api, ApiTally> = { rest: { rows: 0, chunks: 0 }, bulk: { rows: 0, chunks: 0 } };

  constructor(
    private readonly mode: ApiMode,
    private readonly restMaxRows: number,
    private readonly executors: Record<Api, ChunkExecutor>,
    /** Requests each API made so far (REST counted here; Bulk by whoever built its client). */
    private readonly restCalls: () => number = () => 0,
  ) {}

  /** The summary line: rows and API calls of each API. */
  summary(bulkCalls: number | undefined): string {
    const { rest, bulk } = this.tally;
    return (
      `By API (api_mode ${this.mode}): sObject Collections (REST) ${rest.rows} rows in ${rest.chunks} chunk(s), ${this.restCalls()} API calls; ` +
      `Bulk API 2.0 ${bulk.rows} rows in ${bulk.chunks} chunk(s)${bulkCalls !== undefined ? `, ${bulkCalls} API calls` : ''}.`
    );
  }

  async run<R extends { cells: Row }>(work: ChunkWork<R>): Promise<ChunkOutcome<R>> {
    const api = chooseApi(this.mode, this.restMaxRows, work.operation, work.rows.length);
    this.tally[api].rows += work.rows.length;
    this.tally[api].chunks += 1;
    if (api === 'rest' && work.file) {
      // sObject Collections sends each row's values as JSON: a chunk the chunker wrote to disk is read back (< rest_max_rows rows).
      const { file, ...inMemory } = work;
      await readCellsBack(work.columns, work.rows, file);
      return this.executors.rest.run(inMemory);
    }
    return this.executors[api].run(work);
  }
}

/** Both executors over one session, behind the chooser. */
export function chosenApiExecutor(config: Pick<DestinationConfig, 'apiMode' | 'restMaxRows'>, session: { api: SalesforceApi; bulk: BulkIngestClient; beforeRestRequest?: () => void }, opts: BulkExecutorOptions): ChosenApiExecutor {
  const restApi = new CountedApi(session.api);
  const { rowAttempts, rowRetryBackoffMs, resendWaitMs, sleep, log } = opts;
  const rest = new RestChunkExecutor(new CollectionsClient(restApi), {
    rowAttempts, rowRetryBackoffMs, resendWaitMs, sleep, log, requestsInFlight: REST_REQUESTS_IN_FLIGHT, requestTries: REST_REQUEST_TRIES,
    ...(session.beforeRestRequest ? { beforeRequest: session.beforeRestRequest } : {}),
  });
  const bulk = new BulkChunkExecutor(session.bulk, opts);
  return new ChosenApiExecutor(config.apiMode, config.restMaxRows, { rest, bulk }, () => restApi.calls);
}
