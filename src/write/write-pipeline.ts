/**
 * The write path: stdin messages → router → mapper → chunker → ingest jobs → results → ledger → STATE.
 *
 * - Salesforce is touched only once the first RECORD arrives (empty input: no API call, no job);
 *   then every stream is planned and validated before any job is created.
 * - A stream's chunk is sent when full, at end of input, when its stream status says COMPLETE, or
 *   when the oldest waiting STATE has waited `maxStateDelaySeconds` — not at every STATE.
 * - Jobs run in the background, bounded per object and in total; the reader waits for a free slot
 *   (backpressure), so memory is bounded by the chunks in flight, each at most bulk_job_max_mb of
 *   CSV and bulk_job_max_rows rows. A row in flight keeps its parsed record (for the rejects sink) and
 *   its CSV values as one array (text values are the record's own strings, not copies).
 * - A chunk that writes a record another chunk in flight also writes waits for it (key-gate.ts),
 *   so versions of one record are applied in input order across chunks too.
 * - A STATE is echoed after its rows are settled and the rejects sink flushed.
 * - On a failure (bad input, a job error, a rejected row with allow_failures false) no new job
 *   starts, jobs in flight finish, states before the failure are echoed, then the error is thrown.
 */
import type { DestinationConfig } from '../config/destination-config';
import { asConnectorError, configError, type ConnectorError, transientError } from '../errors';
import type { Emitter } from '../protocol/emitter';
import { streamKey, type AirbyteRecord, type ConfiguredCatalog, type InputMessage } from '../protocol/types';
import type { RejectsSink } from '../rejects/rejects-sink';
import type { BulkIngestClient } from '../salesforce/bulk-ingest-client';
import type { SalesforceApi } from '../salesforce/salesforce-api';
import type { Describer } from '../salesforce/types';
import { CheckpointLedger } from './checkpoint-ledger';
import type { Chunk } from './csv-chunker';
import { JobRunner, TRANSIENT_ROW_ERRORS, type ChunkSpec, type JobRunnerOptions } from './job-runner';
import { JobSlots } from './job-slots';
import { KeyGate } from './key-gate';
import { planStreams } from './stream-plan';
import { minSeq, rejectionText, type Rejection } from './rejections';
import { StreamRouter, unknownStreamError, type RowMeta, type StreamWriter } from './stream-router';
import { WriteProgress } from './write-progress';

export interface SalesforceSession {
  api: SalesforceApi;
  describer: Describer;
  bulk: BulkIngestClient;
}

export interface WritePipelineDeps {
  config: DestinationConfig;
  catalog: ConfiguredCatalog;
  emitter: Emitter;
  rejects: RejectsSink;
  /** Connects on first use (so empty input makes no API call). */
  openSalesforce: () => Promise<SalesforceSession>;
  runner: Omit<JobRunnerOptions, 'log'>;
  progressIntervalMs: number;
}

/** How often the max_state_delay_seconds timer checks the oldest waiting STATE (the setting's minimum is 1 s). */
const STATE_DELAY_TICK_MS = 1000;

export class WritePipeline {
  private readonly ledger = new CheckpointLedger();
  private readonly slots: JobSlots;
  private readonly tasks = new Set<Promise<void>>();
  private readonly keyGate = new KeyGate();
  private readonly catalogKeys: Set<string>;
  private readonly progress: WriteProgress;
  private session: SalesforceSession | undefined;
  private router: StreamRouter | undefined;
  private runner: JobRunner | undefined;
  private fatal: { error: ConnectorError; seq: number } | undefined;
  private releaseChain: Promise<void> = Promise.resolve();
  private stopInput: () => void = () => undefined;

  constructor(private readonly deps: WritePipelineDeps) {
    this.slots = new JobSlots(deps.config.maxJobsInFlight, deps.config.maxJobsInFlight);
    this.catalogKeys = new Set(deps.catalog.streams.map((s) => streamKey({ name: s.stream.name, namespace: s.stream.namespace ?? null })));
    this.progress = new WriteProgress(deps.progressIntervalMs, deps.runner.now, (m) => deps.emitter.info(m));
  }

  /** `stopInput` is called on a failure so an idle stdin does not keep the sync waiting. */
  async run(messages: AsyncIterable<InputMessage>, stopInput: () => void = () => undefined): Promise<void> {
    this.stopInput = stopInput;
    // The only place max_state_delay_seconds is checked: not per message (stdin may stay open and idle).
    const timer = setInterval(() => void this.checkStateDelay().catch((e) => this.fail(e)), STATE_DELAY_TICK_MS);
    timer.unref();
    try {
      try {
        for await (const msg of messages) {
          if (this.fatal) break;
          await this.handle(msg);
        }
      } catch (err) {
        this.fail(err);
      }
      if (!this.fatal) await this.flushStreams(() => true);
      while (this.tasks.size > 0) await Promise.all([...this.tasks]);
      await this.releaseStates().catch((e) => this.fail(e));
    } finally {
      clearInterval(timer);
    }
    this.logSummary();
    if (this.fatal) throw this.fatal.error;
  }

  private async handle(msg: InputMessage): Promise<void> {
    if (msg.type === 'RECORD') {
      await this.onRecord(msg.record, msg.line);
    } else if (msg.type === 'STATE') {
      this.ledger.addState(msg.state, this.deps.runner.now());
      await this.releaseStates();
    } else if (msg.type === 'TRACE' && msg.trace.type === 'STREAM_STATUS' && msg.trace.stream_status) {
      const key = streamKey(msg.trace.stream_status.stream_descriptor);
      if (msg.trace.stream_status.status === 'COMPLETE') await this.flushStreams((w) => w.plan.key === key);
      if (msg.trace.stream_status.status === 'INCOMPLETE') {
        // As Airbyte's Bulk CDK: the platform only sends it when something upstream broke.
        this.fail(configError(`Received stream status INCOMPLETE for stream ${key}. This indicates a bug in the Airbyte platform; the sync stopped.`));
      }
    }
    this.progress.tick(this.router?.all() ?? [], this.slots.inFlight);
  }

  private async onRecord(record: AirbyteRecord, line: number): Promise<void> {
    const key = streamKey({ name: record.stream, namespace: record.namespace ?? null });
    if (!this.catalogKeys.has(key)) {
      throw unknownStreamError(key, line); // before connecting: bad input never costs an API call
    }
    const writer = (this.router ?? (await this.start())).route(key, line);
    writer.stats.read += 1;
    const { segment, seq } = this.ledger.recordRead(writer.plan.key);
    const meta: RowMeta = { record, segment, seq };
    let mapped = writer.mapper.mapOrNeed(record.data);
    while ('need' in mapped) {
      // A relationship column met for the first time: its parent's describe, then the row again.
      for (const parent of mapped.need) {
        writer.mapper.addParent(parent, await (this.session as SalesforceSession).describer.describe(parent));
      }
      mapped = writer.mapper.mapOrNeed(record.data);
    }
    if (!mapped.ok) {
      await this.reject(writer, [{ meta, code: mapped.code, message: mapped.message, fields: mapped.fields, attempts: 0 }]);
      await this.releaseStates();
      return;
    }
    const chunk = writer.chunker.add(mapped.cells, meta);
    if (chunk) await this.dispatch(writer, chunk);
  }

  /** Connects, plans and validates every stream, once. */
  private async start(): Promise<StreamRouter> {
    if (this.router) return this.router;
    const session = await this.deps.openSalesforce();
    const plans = await planStreams(this.deps.config, this.deps.catalog.streams, session.describer);
    this.session = session;
    this.runner = new JobRunner(session.bulk, { ...this.deps.runner, log: (level, m) => this.deps.emitter.log(level, m) });
    const limits = {
      maxBytes: Math.max(1, Math.floor(this.deps.config.bulkJobMaxMb * 1024 * 1024)),
      maxRows: Math.max(1, this.deps.config.bulkJobMaxRows),
    };
    this.router = new StreamRouter(plans, limits, (m) => this.deps.emitter.warn(m));
    for (const p of plans) this.deps.emitter.info(`Writing stream ${p.key} to ${p.object} (${p.operation}${p.externalIdFieldName ? ` on ${p.externalIdFieldName}` : ''}).`);
    return this.router;
  }

  private async flushStreams(which: (w: StreamWriter) => boolean): Promise<void> {
    for (const writer of this.router?.all() ?? []) {
      if (!which(writer)) continue;
      const chunk = writer.chunker.flush();
      if (chunk) await this.dispatch(writer, chunk);
    }
  }

  /** Sends the chunks holding rows of the oldest STATE once it has waited max_state_delay_seconds. */
  private async checkStateDelay(): Promise<void> {
    const waiting = this.ledger.oldestWaiting();
    if (!waiting || this.fatal) return;
    if (this.deps.runner.now() - waiting.receivedAt < this.deps.config.maxStateDelaySeconds * 1000) return;
    await this.flushStreams((w) => {
      const first = w.chunker.peekFirst();
      return (waiting.stream === undefined || w.plan.key === waiting.stream) && first !== undefined && first.seq < waiting.seq;
    });
  }

  /**
   * Starts a chunk once its keys are free (key-gate.ts) and a job slot is; returns when it has the
   * slot (backpressure) while the job runs on. It is tracked in `tasks` from the start, so the final
   * drain also waits for a chunk the timer flushed that is still waiting for its gate or slot.
   */
  private async dispatch(writer: StreamWriter, chunk: Chunk<RowMeta>): Promise<void> {
    if (this.fatal) return;
    const object = writer.plan.object;
    // Only the spec (the runner lets the CSV bytes go after the upload) and the metas stay referenced.
    const { keys, metas } = chunk;
    const spec = this.toSpec(writer, chunk);
    const admitted = this.admit(object, keys);
    const run = async (): Promise<void> => {
      if (!(await admitted)) return;
      await this.runChunk(writer, spec, metas)
        .catch((err) => this.fail(err, minSeq(metas)))
        .finally(() => {
          this.slots.release(object);
          this.keyGate.release(object, keys);
        });
    };
    const task: Promise<void> = run().catch((err) => this.fail(err)).finally(() => this.tasks.delete(task));
    this.tasks.add(task);
    await admitted;
  }

  /** Waits for the chunk's keys and a slot; false (both given back) when the sync failed meanwhile. */
  private async admit(object: string, keys: Set<string>): Promise<boolean> {
    await this.keyGate.acquire(object, keys);
    await this.slots.acquire(object);
    if (!this.fatal) return true;
    this.slots.release(object);
    this.keyGate.release(object, keys);
    return false;
  }

  private toSpec(writer: StreamWriter, chunk: Chunk<RowMeta>): ChunkSpec {
    const { plan, mapper } = writer;
    return {
      object: plan.object,
      operation: plan.operation,
      ...(plan.externalIdFieldName ? { externalIdFieldName: plan.externalIdFieldName } : {}),
      ...(this.deps.config.assignmentRuleId ? { assignmentRuleId: this.deps.config.assignmentRuleId } : {}),
      columns: chunk.columns,
      rows: chunk.rows,
      csv: chunk.csv,
      types: new Map(chunk.columns.map((c) => [c, mapper.columnTypes.get(c) ?? 'string'])),
      repeatsKey: chunk.repeatsKey,
    };
  }

  private async runChunk(writer: StreamWriter, spec: ChunkSpec, metas: RowMeta[]): Promise<void> {
    const result = await (this.runner as JobRunner).run(spec);
    writer.stats.jobs += result.jobIds.length;
    const rejected: Rejection[] = [];
    result.rows.forEach((r, i) => {
      const meta = metas[i] as RowMeta;
      if (r.kind === 'loaded') {
        this.ledger.settle(meta.segment, 'loaded');
        writer.stats.loaded += 1;
      } else {
        rejected.push({ meta, code: r.code, message: r.message, fields: r.fields, attempts: r.attempts, ...(r.jobId ? { jobId: r.jobId } : {}) });
      }
    });
    if (rejected.length) await this.reject(writer, rejected);
    await this.releaseStates();
  }

  /** Rejected rows go to the sink; with allow_failures false they end the sync instead of settling. */
  private async reject(writer: StreamWriter, rows: Rejection[]): Promise<void> {
    const { plan } = writer;
    const rejectedAt = new Date(this.deps.runner.now()).toISOString();
    for (const r of rows) {
      this.deps.rejects.add({
        record: r.meta.record, stream: plan.stream, object: plan.object, operation: plan.operation,
        ...(r.jobId ? { jobId: r.jobId } : {}),
        errorCode: r.code, errorMessage: r.message, fields: r.fields, attempts: r.attempts, rejectedAt,
      });
      writer.stats.rejectedByCode.set(r.code, (writer.stats.rejectedByCode.get(r.code) ?? 0) + 1);
      if (this.deps.config.allowFailures) this.ledger.settle(r.meta.segment, 'rejected');
    }
    if (this.deps.config.allowFailures) return;
    const text = rejectionText(plan, rows, this.deps.rejects.location());
    const transient = rows.every((r) => TRANSIENT_ROW_ERRORS.has(r.code));
    this.fail(transient ? transientError(text) : configError(text), minSeq(rows.map((r) => r.meta)));
    await this.deps.rejects.flush().catch((e) => this.fail(e, 0));
  }

  /** Echoes the states whose rows are settled, in order, after the rejects sink is flushed. */
  private releaseStates(): Promise<void> {
    const next = this.releaseChain.then(async () => {
      const states = this.ledger.release(this.fatal?.seq);
      if (states.length === 0) return;
      try {
        await this.deps.rejects.flush();
      } catch (err) {
        // These states are gone from the ledger unechoed: no later state may be echoed either
        // (even if the store recovers), or Airbyte would see a gap in the order.
        this.fail(err, 0);
        throw err;
      }
      for (const s of states) this.deps.emitter.state(s);
    });
    this.releaseChain = next.catch(() => undefined);
    return next;
  }

  private fail(err: unknown, seq = Infinity): void {
    const error = asConnectorError(err);
    if (!this.fatal) {
      this.fatal = { error, seq };
      this.stopInput();
    } else {
      this.fatal.seq = Math.min(this.fatal.seq, seq);
    }
  }

  private logSummary(): void {
    if (!this.router) {
      this.deps.emitter.info('Write finished: no records received, no ingest job created.');
      return;
    }
    const calls = this.session?.api.stats().calls;
    for (const line of this.progress.summary(this.router.all(), calls, this.deps.rejects.location())) this.deps.emitter.info(line);
  }
}
