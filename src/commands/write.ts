/**
 * `write --config F --catalog F`: wires the write pipeline by hand (config, catalog, rejects sink,
 * a lazily opened Salesforce session) and runs it over stdin.
 */
import { setFlagsFromString } from 'node:v8';
import type { DestinationConfig } from '../config/destination-config';
import { loadCatalog } from '../config/load-catalog';
import { loadConfig } from '../config/load-config';
import { ConnectorError } from '../errors';
import { checkStreamSettings, settingFor } from '../config/stream-settings';
import type { Emitter } from '../protocol/emitter';
import { readMessageBatches, readMessages } from '../protocol/message-reader';
import type { ConfiguredCatalog } from '../protocol/types';
import { createRejectsSink } from '../rejects/create-rejects-sink';
import { createDeletionLog } from '../rejects/deletion-log';
import { runSegment } from '../rejects/reject-paths';
import { connect } from '../salesforce/connect';
import { RestDescriber } from '../salesforce/describer';
import { leftoversReport } from '../write/cancel/leftovers-report';
import { CountedApi } from '../salesforce/counted-api';
import { CancellableBulkClient } from '../write/cancel/cancellable-bulk-client';
import { Cancellation, SyncCancelledError } from '../write/cancel/cancellation';
import { ChunkDir } from '../write/chunk/chunk-dir';
import type { RejectsSink } from '../rejects/rejects-sink';
import { DryRun } from '../write/dry-run/dry-run';
import { JobRegistry } from '../write/job-registry';
import { targetOperation } from '../write/plan/stream-plan';
import { WritePipeline } from '../write/write-pipeline';
import type { CancelSignals } from './write-signals';

export interface WriteCommandOptions {
  configPath: string;
  catalogPath: string;
  emitter: Emitter;
  input: NodeJS.ReadableStream;
  /** SIGTERM / SIGINT, installed by main before this module loaded. */
  signals: CancelSignals;
}

/** Seconds from the environment (tests shorten the job deadline), else the default. */
function envSeconds(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return process.env[name] && Number.isFinite(v) && v > 0 ? v : fallback;
}

/** The Airbyte sync id names the rejects folder: the catalog's sync_id, else the platform's job id. */
function syncIdOf(catalog: ConfiguredCatalog): string | number | undefined {
  const fromCatalog = catalog.streams.find((s) => s.sync_id !== undefined && s.sync_id !== null)?.sync_id;
  return fromCatalog ?? process.env.WORKER_JOB_ID ?? undefined;
}

/** Runs a whole sync; throws a ConnectorError on failure (main prints it as a TRACE and exits 1). */
/**
 * Under its multi-GB default limit V8 lets the old generation grow to 2–4× what is live before a full
 * collection, and a write makes garbage at the rate it reads (lines, records, CSV lines): peak RSS was
 * mostly garbage. Growing it by 30 % at most keeps the peak near what is live (BENCHMARKS.md "Open chunks
 * on disk": 1,000,000 rows in 20 streams 458 → 283 MB, same wall time). A V8 flag set at run time: a V8
 * without it says so on stderr and runs on as before.
 */
const HEAP_GROWING_FLAG = '--heap-growing-percent=30';

export async function writeCommand(opts: WriteCommandOptions): Promise<void> {
  const { emitter } = opts;
  setFlagsFromString(HEAP_GROWING_FLAG);
  const config = loadConfig(opts.configPath, emitter);
  const catalog = loadCatalog(opts.catalogPath);
  // stream_settings mistakes are refused before any Salesforce call, even when no record comes.
  checkStreamSettings(config.streamSettings, catalog.streams);
  for (const cs of catalog.streams) {
    if (settingFor(config.streamSettings, cs.stream) || cs.destination_sync_mode === 'overwrite') targetOperation(config, cs);
  }
  const syncId = syncIdOf(catalog);
  const startedAt = new Date();
  const rejects = await createRejectsSink(config.storage, {
    ...(syncId !== undefined ? { syncId } : {}),
    startedAt,
    log: (level, message) => emitter.log(level, message),
  });
  if (config.dryRun) return dryRunCommand(opts, config, catalog, rejects);
  // Mirror deletions are logged next to the rejected rows (same sync folder).
  const deletionLog = await createDeletionLog(config.storage, runSegment(syncId, startedAt), (level, message) => emitter.log(level, message));
  const cancellation = new Cancellation(envSeconds('DESTINATION_SALESFORCE_CANCEL_GRACE_SECONDS', config.cancelGraceSeconds) * 1000);
  const jobs = new JobRegistry();
  let bulk: CancellableBulkClient | undefined;
  // Bulk jobs' CSV files (job-csv.ts) and the records of rows in flight (record-spool.ts): one folder
  // under the temp folder, made on first use, removed at the end.
  let chunkDir: ChunkDir | undefined;
  const tempDir = (): ChunkDir => (chunkDir ??= ChunkDir.create());
  const removeChunkDir = (): void => chunkDir?.remove();
  const pipeline = new WritePipeline({
    config,
    catalog,
    emitter,
    rejects,
    deletionLog,
    openSalesforce: async () => {
      const api = await connect(config, emitter);
      const bulkApi = new CountedApi(api);
      bulk = new CancellableBulkClient(bulkApi, jobs, cancellation, (m) => emitter.warn(m));
      return { api, describer: new RestDescriber(api), bulk, bulkCalls: () => bulkApi.calls, beforeRestRequest: () => cancellation.throwIfRequested() };
    },
    runner: {
      pollInitialMs: 250,
      pollMaxMs: 10_000,
      deadlineMs: envSeconds('DESTINATION_SALESFORCE_JOB_DEADLINE_SECONDS', 24 * 3600) * 1000,
      jobAttempts: 3,
      rowAttempts: 3,
      rowRetryBackoffMs: envSeconds('DESTINATION_SALESFORCE_ROW_RETRY_SECONDS', 2) * 1000,
      resendWaitMs: envSeconds('DESTINATION_SALESFORCE_RESEND_WAIT_SECONDS', 5) * 1000,
      sleep: cancellation.sleep,
      now: () => Date.now(),
      chunkFile: () => tempDir().newFile(),
    },
    progressIntervalMs: envSeconds('DESTINATION_SALESFORCE_PROGRESS_SECONDS', 10) * 1000,
    describeJobs: () => jobs.summary(),
    spoolFolder: () => tempDir().path,
  });
  const stop = new AbortController();
  /** After a cancel or a failure: what the next sync may write twice, and any job left behind. */
  const report = (): void => {
    if (!bulk) return; // never connected: no job
    const left = { running: jobs.stillInSalesforce(), open: jobs.open(), inserted: jobs.inserted(), checkpointed: pipeline.checkpointed() };
    const grace = cancellation.requested ? Math.round(cancellation.graceMs / 1000) : undefined;
    for (const line of leftoversReport(left, grace)) emitter.log(line.level, line.message);
  };
  opts.signals.subscribe(
    (signal) => {
      emitter.warn(`Received ${signal}: reading no more input and starting no new ingest job; waiting up to ${Math.round(cancellation.graceMs / 1000)} s for jobs Salesforce already accepted.`);
      cancellation.request(signal);
      stop.abort();
    },
    (signal) => {
      // A second signal: stop now. Whatever is not settled is sent again by the next sync.
      emitter.warn(`Received ${signal} again: stopping at once.`);
      report();
      removeChunkDir();
      emitter.traceError(cancellation.error());
      process.exit(1);
    },
  );
  let failure: unknown;
  const finished = runThenClose(rejects, async () => {
    try {
      await pipeline.run(readMessageBatches(opts.input, stop.signal), () => stop.abort());
    } finally {
      await bulk?.abortsDone(); // no job left Open, whatever happened
      deletionLog.close();
    }
  }).catch((err: unknown) => {
    failure = err;
  });
  try {
    await Promise.race([finished, cancellation.deadline]);
  } finally {
    cancellation.dispose();
    removeChunkDir();
  }
  if (cancellation.requested) {
    if (failure !== undefined && !(failure instanceof SyncCancelledError)) {
      emitter.warn(`Before it was cancelled, the sync had failed: ${(failure as Error).message ?? String(failure)}`);
    }
    report();
    throw cancellation.error();
  }
  if (failure !== undefined) {
    report();
    throw failure;
  }
}

/**
 * `dry_run: true`: no job, so a cancel only stops reading input; the report covers the rows read
 * before it and the run ends with a transient error (Airbyte may run it again).
 */
async function dryRunCommand(opts: WriteCommandOptions, config: DestinationConfig, catalog: ConfiguredCatalog, rejects: RejectsSink): Promise<void> {
  const { emitter } = opts;
  const dryRun = new DryRun({
    config, catalog, emitter, rejects, now: () => Date.now(),
    openSalesforce: async () => ({ describer: new RestDescriber(await connect(config, emitter)) }),
  });
  const stop = new AbortController();
  let cancelledBy: string | undefined;
  opts.signals.subscribe(
    (signal) => {
      emitter.warn(`Received ${signal}: the dry run reads no more input and reports the rows read so far.`);
      cancelledBy = signal;
      stop.abort();
    },
    () => process.exit(1),
  );
  await runThenClose(rejects, () => dryRun.run(readMessages(opts.input, stop.signal)));
  if (cancelledBy !== undefined) {
    throw new ConnectorError(
      `The dry run was cancelled (${cancelledBy}); its report covers only the rows read before the cancel. Run it again to check every row.`,
      'transient_error',
      `dry run cancelled by ${cancelledBy}`,
    );
  }
}

/** Runs, then closes the rejects sink: the run's own failure is what the user must see; a failing close() only reports when it is alone. */
async function runThenClose(rejects: RejectsSink, run: () => Promise<void>): Promise<void> {
  let failure: unknown;
  await run().catch((err: unknown) => {
    failure = err;
  });
  await rejects.close().catch((err: unknown) => {
    failure ??= err;
  });
  if (failure !== undefined) throw failure;
}
