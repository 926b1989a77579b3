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
import type { RejectsSink } from '../rejects/rejects-sink';
import { connect } from '../salesforce/connect';
import { RestDescriber } from '../salesforce/describer';
import { DryRun } from '../write/dry-run/dry-run';
import { JobWatch, WatchedBulkClient } from '../write/job-watch';
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
  for (const cs of catalog.streams) if (settingFor(config.streamSettings, cs.stream)) targetOperation(config, cs);
  const syncId = syncIdOf(catalog);
  const rejects = createRejectsSink(config.storage, {
    ...(syncId !== undefined ? { syncId } : {}),
    startedAt: new Date(),
    log: (level, message) => emitter.log(level, message),
  });
  if (config.dryRun) {
    const dryRun = new DryRun({
      config, catalog, emitter, rejects, now: () => Date.now(),
      openSalesforce: async () => ({ describer: new RestDescriber(await connect(config, emitter)) }),
    });
    return runThenClose(rejects, () => dryRun.run(readMessages(opts.input)));
  }
  const jobs = new JobWatch();
  const pipeline = new WritePipeline({
    config,
    catalog,
    emitter,
    rejects,
    openSalesforce: async () => {
      const api = await connect(config, emitter);
      return { api, describer: new RestDescriber(api), bulk: new WatchedBulkClient(api, jobs) };
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
    progressIntervalMs: envSeconds('DESTINATION_SALESFORCE_PROGRESS_SECONDS', 10) * 1000,
    describeJobs: () => jobs.summary(),
  });
  const stop = new AbortController();
  return runThenClose(rejects, () => pipeline.run(readMessages(opts.input, stop.signal), () => stop.abort()));
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
