/**
 * The write path, stage by stage (one folder each under src/write/):
 *
 *   stdin messages → plan/ (route to the stream's writer) → map/ (record → CSV cells)
 *   → chunk/ (rows into chunks; versions of one record merged) → admit/ (record keys free, a job slot)
 *   → execute/ (a ChunkExecutor: Bulk ingest jobs or sObject Collections, by api_mode → one outcome per row) → settle/ (loaded / rejected,
 *   rejects sink, STATEs echoed once their rows are settled).
 *
 * This file only wires the stages and handles the message kinds:
 * - Salesforce is touched only once the first RECORD arrives (empty input: no API call, no job);
 *   then every stream is planned and validated before any job is created.
 * - A stream's chunk is sent when full, at end of input, when its stream status says COMPLETE, or
 *   when the oldest waiting STATE has waited `maxStateDelaySeconds` — not at every STATE; and early, in
 *   whole Salesforce batches while job slots are free (chunk/early-jobs.ts), so the org works while stdin
 *   is still read.
 * - On a failure (bad input, a job error, a rejected row with allow_failures false) no new chunk
 *   starts, chunks in flight finish, states before the failure are echoed, then the error is thrown.
 * - Mirror streams (mirror/): scopes checked before any row is written; once every row is settled
 *   and nothing failed, the mirror steps delete what the source no longer has, then their last
 *   STATE is echoed.
 */
import type { DestinationConfig } from '../config/destination-config';
import { configError } from '../errors';
import type { Emitter } from '../protocol/emitter';
import type { MessageBatch } from '../protocol/message-reader';
import { streamKey, type AirbyteRecord, type ConfiguredCatalog, type InputMessage } from '../protocol/types';
import type { DeletionLog } from '../rejects/deletion-log';
import type { RejectsSink } from '../rejects/rejects-sink';
import { BulkQueryClient } from '../salesforce/bulk-query-client';
import type { BulkIngestClient } from '../salesforce/bulk-ingest-client';
import type { SalesforceApi } from '../salesforce/salesforce-api';
import type { Describer } from '../salesforce/types';
import { Admission } from './admit/admission';
import { ByteBudget, OPEN_CHUNKS_MAX_BYTES } from './chunk/byte-budget';
import { sourcesOf, type Chunk, type ChunkRow } from './chunk/csv-chunker';
import { chosenApiExecutor, type ChosenApiExecutor } from './execute/api-choice';
import type { BulkExecutorOptions } from './execute/bulk-executor';
import { EarlyJobs } from './chunk/early-jobs';
import type { ChunkExecutor, ChunkWork } from './execute/chunk-executor';
import { chunkWork } from './execute/chunk-work';
import { classifyRow } from './execute/failure-causes';
import { bulkDeleter } from './mirror/bulk-delete';
import { mapLoadingParents, type MapResult } from './map/record-mapper';
import { Mirrors } from './mirror/mirrors';
import { planStreams, type StreamPlan } from './plan/stream-plan';
import { StreamRouter, unknownStreamError, type RowMeta, type StreamWriter } from './plan/stream-router';
import { RecordSpool } from './settle/record-spool';
import { minSeq, rowOutcomes } from './settle/rejections';
import { Settlement } from './settle/settlement';
import { overdueStreams } from './settle/state-delay';
import { WriteProgress } from './write-progress';

export interface SalesforceSession {
  api: SalesforceApi;
  describer: Describer;
  bulk: BulkIngestClient;
  /** Requests the Bulk client made (for the summary). */
  bulkCalls?: () => number;
  /** Throws when no new sObject Collections request may start (a cancelled sync). */
  beforeRestRequest?: () => void;
}

export interface WritePipelineDeps {
  config: DestinationConfig;
  catalog: ConfiguredCatalog;
  emitter: Emitter;
  rejects: RejectsSink;
  /** Where mirror streams log the records they delete. */
  deletionLog: DeletionLog;
  /** Connects on first use (so empty input makes no API call). */
  openSalesforce: () => Promise<SalesforceSession>;
  runner: Omit<BulkExecutorOptions, 'log'>;
  progressIntervalMs: number;
  /** What the jobs in flight are doing in Salesforce, for progress lines (job-registry.ts). */
  describeJobs?: () => string | undefined;
  /** A temporary folder for the records of rows in flight (settle/record-spool.ts); without it they stay in memory. */
  spoolFolder?: () => string;
}

/** How often the max_state_delay_seconds timer checks the oldest waiting STATE (the setting's minimum is 1 s). */
const STATE_DELAY_TICK_MS = 1000;

export class WritePipeline {
  private readonly admission: Admission;
  private readonly settlement: Settlement;
  private readonly catalogKeys: Set<string>;
  private readonly progress: WriteProgress;
  /** Open chunks of all streams together hold at most bulk_job_max_mb (64 MiB at most) of memory (estimated), not a full chunk each. */
  private readonly openBytes: ByteBudget<StreamWriter>;
  private session: SalesforceSession | undefined;
  private plans: StreamPlan[] = [];
  private readonly mirrors: Mirrors;
  private router: StreamRouter | undefined;
  private executor: ChosenApiExecutor | undefined;
  private stopInput: () => void = () => undefined;
  private readonly earlyJobs: EarlyJobs;
  private readonly records: RecordSpool;

  constructor(private readonly deps: WritePipelineDeps) {
    this.records = new RecordSpool(deps.spoolFolder);
    this.admission = new Admission(deps.config.maxJobsInFlight);
    this.earlyJobs = new EarlyJobs(deps.config.maxJobsInFlight);
    this.mirrors = new Mirrors(deps.config, deps.catalog);
    this.settlement = new Settlement({
      allowFailures: deps.config.allowFailures,
      rejects: deps.rejects,
      // A mirror stream's latest STATE waits for its mirror step (finishMirrors).
      echo: (s) => this.mirrors.pass([s]).forEach((held) => deps.emitter.state(held)),
      now: deps.runner.now,
      onFirstFailure: () => this.stopInput(),
      isPassing: (code) => classifyRow(code).action === 'resend',
      records: this.records,
    });
    this.catalogKeys = new Set(deps.catalog.streams.map((s) => streamKey({ name: s.stream.name, namespace: s.stream.namespace ?? null })));
    this.progress = new WriteProgress(deps.progressIntervalMs, deps.runner.now, (m) => deps.emitter.info(m), deps.describeJobs);
    this.openBytes = new ByteBudget(Math.max(1, Math.min(OPEN_CHUNKS_MAX_BYTES, Math.floor(deps.config.bulkJobMaxMb * 1024 * 1024))));
  }

  /** `stopInput` is called on a failure so an idle stdin does not keep the sync waiting. */
  async run(messages: AsyncIterable<MessageBatch>, stopInput: () => void = () => undefined): Promise<void> {
    this.stopInput = stopInput;
    // The only place max_state_delay_seconds is checked: not per message (stdin may stay open and idle).
    const timer = setInterval(() => void this.checkStateDelay().catch((e) => this.settlement.fail(e)), STATE_DELAY_TICK_MS);
    timer.unref();
    // Progress while jobs are in flight, also once stdin has ended (input-driven ticks stop then).
    const progressTimer = setInterval(() => this.admission.pending > 0 && this.tickProgress(), this.deps.progressIntervalMs);
    progressTimer.unref();
    try {
      try {
        reading: for await (const batch of messages) {
          for (let msg = batch.next(); msg !== undefined; msg = batch.next()) {
            if (this.settlement.failure) break reading;
            const waiting = this.handle(msg);
            if (waiting) await waiting;
          }
        }
      } catch (err) {
        this.settlement.fail(err);
      }
      if (!this.settlement.failure) await this.flushStreams(() => true, true);
      await this.admission.drain();
      await this.settlement.releaseStates().catch((e) => this.settlement.fail(e));
      if (!this.settlement.failure && this.mirrors.any) await this.finishMirrors().catch((e) => this.settlement.fail(e, 0));
    } finally {
      clearInterval(timer);
      clearInterval(progressTimer);
      this.records.close();
    }
    this.logSummary();
    const failure = this.settlement.failure;
    if (failure) throw failure;
  }

  /** Per stream: its object and operation, and the loaded rows covered by the states echoed so far. */
  checkpointed(): Array<{ object: string; operation: string; rows: number }> {
    const loaded = this.settlement.checkpointedLoaded();
    return (this.router?.all() ?? []).map((w) => ({ object: w.plan.object, operation: w.plan.operation, rows: loaded.get(w.plan.key) ?? 0 }));
  }

  /** A promise only when the message must be waited for: most RECORDs are placed synchronously (an await per row cost more than placing it). */
  private handle(msg: InputMessage): Promise<void> | undefined {
    const waiting = msg.type === 'RECORD' ? this.onRecord(msg.record, msg.line, msg.raw) : this.handleOther(msg);
    if (waiting) return waiting.then(() => this.tickProgress());
    this.tickProgress();
    return undefined;
  }

  private tickProgress(): void {
    this.progress.tick(this.router?.all() ?? [], this.admission.inFlight);
  }

  private async handleOther(msg: InputMessage): Promise<void> {
    if (msg.type === 'STATE') {
      await this.settlement.addState(msg.state);
    } else if (msg.type === 'TRACE' && msg.trace.type === 'STREAM_STATUS' && msg.trace.stream_status) {
      const key = streamKey(msg.trace.stream_status.stream_descriptor);
      if (msg.trace.stream_status.status === 'COMPLETE') await this.flushStreams((w) => w.plan.key === key);
      if (msg.trace.stream_status.status === 'INCOMPLETE') {
        // As Airbyte's Bulk CDK: the platform only sends it when something upstream broke.
        this.settlement.fail(configError(`Received stream status INCOMPLETE for stream ${key}. This indicates a bug in the Airbyte platform; the sync stopped.`));
      }
    }
  }

  /** Synchronous (no promise) unless the row must wait: the first RECORD, a parent's describe, a rejection, a chunk sent. */
  private onRecord(record: AirbyteRecord, line: number, raw?: string | Uint8Array): Promise<void> | undefined {
    const key = streamKey({ name: record.stream, namespace: record.namespace ?? null });
    if (!this.catalogKeys.has(key)) throw unknownStreamError(key, line); // before connecting: bad input never costs an API call
    if (!this.router) return this.start().then(() => this.onRecord(record, line, raw)); // connects once
    const writer = this.router.route(key, line);
    writer.stats.read += 1;
    this.mirrors.noteRow(writer.plan, record.data);
    const { segment, seq } = this.settlement.recordRead(writer.plan.key);
    const meta: RowMeta = { record, segment, seq };
    const mapped = writer.mapper.mapOrNeed(record.data);
    if ('need' in mapped) {
      const { describer } = this.session as SalesforceSession; // a relationship column met for the first time
      return mapLoadingParents(writer.mapper, record.data, mapped.need, (p) => describer.describe(p)).then((m) => this.place(writer, meta, m, raw));
    }
    return this.place(writer, meta, mapped, raw);
  }

  /** The mapped row into its chunk (or to the rejects); a promise only when a chunk is sent or a row rejected. */
  private place(writer: StreamWriter, meta: RowMeta, mapped: MapResult, raw?: string | Uint8Array): Promise<void> | undefined {
    if (!mapped.ok) {
      const rejection = { meta, code: mapped.code, message: mapped.message, fields: mapped.fields, attempts: 0 };
      return this.settlement.reject(writer.plan, writer.stats, [rejection]).then(() => this.settlement.releaseStates());
    }
    meta.record = this.records.keep(meta.record as AirbyteRecord, raw); // on disk until the row is settled
    const chunk = writer.chunker.add(mapped.cells, meta);
    const early = !chunk && this.earlyJobs.due(writer.chunker.rowCount, this.admission.pending);
    const sending = chunk ? this.dispatch(writer, chunk) : early ? this.cut(writer) : undefined;
    return sending ? sending.then(() => this.keepOpenBytes(writer)) : this.keepOpenBytes(writer);
  }

  /** Sends the stream's open chunk (if it holds rows); `last`: the input has ended. */
  private async cut(writer: StreamWriter, last = false): Promise<void> {
    this.openBytes.release(writer);
    const chunk = writer.chunker.flush();
    if (chunk) await this.dispatch(writer, chunk, last);
  }

  /** When the open chunks of all streams together reach the budget, the largest is sent. */
  private keepOpenBytes(writer: StreamWriter): Promise<void> | undefined {
    const largest = this.openBytes.update(writer, writer.chunker.memoryBytes);
    return largest === undefined ? undefined : this.cut(largest);
  }

  /** Connects, plans and validates every stream, once. */
  private async start(): Promise<StreamRouter> {
    if (this.router) return this.router;
    const session = await this.deps.openSalesforce();
    const plans = await planStreams(this.deps.config, this.deps.catalog.streams, session.describer);
    await this.mirrors.checkScopes(plans, this.queryClient(session));
    this.plans = plans;
    this.session = session;
    this.executor = chosenApiExecutor(this.deps.config, session, { ...this.deps.runner, log: (level, m) => this.deps.emitter.log(level, m) });
    const limits = {
      maxBytes: Math.max(1, Math.floor(this.deps.config.bulkJobMaxMb * 1024 * 1024)),
      maxRows: Math.max(1, this.deps.config.bulkJobMaxRows),
    };
    this.router = new StreamRouter(plans, limits, (m) => this.deps.emitter.warn(m), this.deps.runner.chunkFile);
    for (const p of plans) this.deps.emitter.info(`Writing stream ${p.key} to ${p.object} (${p.operation}${p.externalIdFieldName ? ` on ${p.externalIdFieldName}` : ''}).`);
    return this.router;
  }

  private queryClient(session: SalesforceSession): BulkQueryClient {
    return new BulkQueryClient(session.api, this.deps.runner);
  }

  /** Every row settled, nothing failed: the mirror steps run (connecting first if no row came), then their held states go. */
  private async finishMirrors(): Promise<void> {
    await this.start();
    const held = await this.mirrors.finish(this.plans, {
      query: this.queryClient(this.session as SalesforceSession),
      deleteIds: bulkDeleter(this.executor as ChunkExecutor),
      deletionLog: this.deps.deletionLog,
      maxDeletePercent: this.deps.config.mirrorMaxDeletePercent,
      batchSize: Math.max(1, this.deps.config.bulkJobMaxRows),
      info: (m) => this.deps.emitter.info(m),
      now: this.deps.runner.now,
    });
    for (const s of held) this.deps.emitter.state(s);
  }

  private async flushStreams(which: (w: StreamWriter) => boolean, last = false): Promise<void> {
    for (const writer of this.router?.all() ?? []) {
      if (which(writer)) await this.cut(writer, last);
    }
  }

  /** Sends the chunks holding rows of the oldest STATE once it has waited max_state_delay_seconds. */
  private async checkStateDelay(): Promise<void> {
    const overdue = overdueStreams(this.settlement.oldestWaiting(), this.deps.runner.now(), this.deps.config.maxStateDelaySeconds * 1000);
    if (overdue && !this.settlement.failure) await this.flushStreams((w) => overdue(w.plan.key, w.chunker.peekFirst()?.seq));
  }

  /** Hands the chunk to admission; returns once it started (backpressure) while it runs on. */
  private async dispatch(writer: StreamWriter, chunk: Chunk<RowMeta>, last = false): Promise<void> {
    if (this.settlement.failure) return;
    writer.stats.merged += chunk.merged;
    writer.stats.mergedRecords += chunk.mergedRecords;
    const work = chunkWork(writer, chunk, this.deps.config.assignmentRuleId, last);
    const sources = () => chunk.rows.flatMap(sourcesOf);
    await this.admission.admit(
      writer.plan.object,
      chunk.keys,
      () => !this.settlement.failure,
      () => this.runChunk(writer, work),
      (err) => this.settlement.fail(err, minSeq(sources())),
    );
  }

  /** Every input row merged into a chunk row is settled with that row's outcome. */
  private async runChunk(writer: StreamWriter, work: ChunkWork<ChunkRow<RowMeta>>): Promise<void> {
    const outcome = await (this.executor as ChunkExecutor).run(work);
    writer.stats.jobs += outcome.jobIds.length;
    const { loaded, rejected } = rowOutcomes(outcome.settled);
    this.settlement.loaded(writer.stats, loaded);
    if (rejected.length) await this.settlement.reject(writer.plan, writer.stats, rejected);
    await this.settlement.releaseStates();
  }

  private logSummary(): void {
    const lines = this.router
      ? this.progress.summary(this.router.all(), this.session?.api.stats().calls, this.deps.rejects.location(), this.executor?.summary(this.session?.bulkCalls?.()))
      : ['Write finished: no records received, no ingest job created.'];
    for (const line of lines) this.deps.emitter.info(line);
  }
}
