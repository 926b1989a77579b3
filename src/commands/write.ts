/**
 * `write --config F --catalog F`: wires the write pipeline by hand (config, catalog, rejects sink,
 * a lazily opened Salesforce session) and runs it over stdin.
 */
import { loadCatalog } from '../config/load-catalog';
import { loadConfig } from '../config/load-config';
import { checkStreamSettings, settingFor } from '../config/stream-settings';
import type { Emitter } from '../protocol/emitter';
import { readMessages } from '../protocol/message-reader';
import type { ConfiguredCatalog } from '../protocol/types';
import { createRejectsSink } from '../rejects/create-rejects-sink';
import { createDeletionLog } from '../rejects/deletion-log';
import { runSegment } from '../rejects/reject-paths';
import { BulkIngestClient } from '../salesforce/bulk-ingest-client';
import { connect } from '../salesforce/connect';
import { RestDescriber } from '../salesforce/describer';
import { targetOperation } from '../write/plan/stream-plan';
import { WritePipeline } from '../write/write-pipeline';

export interface WriteCommandOptions {
  configPath: string;
  catalogPath: string;
  emitter: Emitter;
  input: NodeJS.ReadableStream;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
export async function writeCommand(opts: WriteCommandOptions): Promise<void> {
  const { emitter } = opts;
  const config = loadConfig(opts.configPath, emitter);
  const catalog = loadCatalog(opts.catalogPath);
  // stream_settings mistakes are refused before any Salesforce call, even when no record comes.
  checkStreamSettings(config.streamSettings, catalog.streams);
  for (const cs of catalog.streams) {
    if (settingFor(config.streamSettings, cs.stream) || cs.destination_sync_mode === 'overwrite') targetOperation(config, cs);
  }
  const syncId = syncIdOf(catalog);
  const startedAt = new Date();
  const rejects = createRejectsSink(config.storage, {
    ...(syncId !== undefined ? { syncId } : {}),
    startedAt,
    log: (level, message) => emitter.log(level, message),
  });
  // Mirror deletions are logged next to the rejected rows (same sync folder).
  const deletionLog = createDeletionLog(config.storage, runSegment(syncId, startedAt), (level, message) => emitter.log(level, message));
  const pipeline = new WritePipeline({
    config,
    catalog,
    emitter,
    rejects,
    deletionLog,
    openSalesforce: async () => {
      const api = await connect(config, emitter);
      return { api, describer: new RestDescriber(api), bulk: new BulkIngestClient(api) };
    },
    runner: {
      pollInitialMs: 250,
      pollMaxMs: 10_000,
      deadlineMs: envSeconds('DESTINATION_SALESFORCE_JOB_DEADLINE_SECONDS', 24 * 3600) * 1000,
      jobAttempts: 3,
      rowAttempts: 3,
      rowRetryBackoffMs: envSeconds('DESTINATION_SALESFORCE_ROW_RETRY_SECONDS', 2) * 1000,
      resendWaitMs: envSeconds('DESTINATION_SALESFORCE_RESEND_WAIT_SECONDS', 5) * 1000,
      sleep,
      now: () => Date.now(),
    },
    progressIntervalMs: 10_000,
  });
  // The sync's own failure is what the user must see; a failing close() only reports when it is alone.
  let failure: unknown;
  const stop = new AbortController();
  await pipeline.run(readMessages(opts.input, stop.signal), () => stop.abort()).catch((err: unknown) => {
    failure = err;
  });
  await rejects.close().catch((err: unknown) => {
    failure ??= err;
  });
  deletionLog.close();
  if (failure !== undefined) throw failure;
}
