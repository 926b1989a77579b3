/**
 * Settlement and checkpointing: every input row ends loaded or rejected here, and STATEs are echoed
 * once the rows before them are settled.
 *
 * - Loaded rows are counted in their checkpoint segment (checkpoint-ledger.ts).
 * - Rejected rows go to the rejects sink with their error. With `allow_failures: true` they are
 *   settled as rejected; with `false` they end the sync instead (transient_error when every reason
 *   is a passing one, else config_error naming the codes), and no STATE past them is echoed.
 * - A STATE is echoed after its rows are settled and the rejects sink is flushed; after a failure,
 *   only STATEs that came before the failing rows.
 * Nothing here knows about Salesforce or chunks: rows come in as their input-row metadata.
 */
import { asConnectorError, configError, type ConnectorError, transientError } from '../../errors';
import type { AirbyteStateMessage } from '../../protocol/types';
import type { RejectsSink } from '../../rejects/rejects-sink';
import type { StreamPlan } from '../plan/stream-plan';
import type { RowMeta, StreamStats } from '../plan/stream-router';
import { CheckpointLedger, type WaitingState } from './checkpoint-ledger';
import { minSeq, rejectionText, type Rejection } from './rejections';
import type { RecordSpool } from './record-spool';
import { rejectableRecord } from './safe-record';

export interface SettlementDeps {
  allowFailures: boolean;
  rejects: RejectsSink;
  echo: (state: AirbyteStateMessage) => void;
  now: () => number;
  /** Called once, on the first failure (stops reading input). */
  onFirstFailure: () => void;
  /** Row codes that fail a sync with transient_error rather than config_error (allow_failures false). */
  isPassing: (code: string) => boolean;
  /** Where rows' records are kept until settled (record-spool.ts). */
  records: RecordSpool;
}

export class Settlement {
  private readonly ledger = new CheckpointLedger();
  private fatal: { error: ConnectorError; seq: number } | undefined;
  private releaseChain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: SettlementDeps) {}

  /** The error that ends the sync, once one happened. */
  get failure(): ConnectorError | undefined {
    return this.fatal?.error;
  }

  recordRead(stream: string): { segment: RowMeta['segment']; seq: number } {
    return this.ledger.recordRead(stream);
  }

  addState(state: AirbyteStateMessage): Promise<void> {
    this.ledger.addState(state, this.deps.now());
    return this.releaseStates();
  }

  oldestWaiting(): WaitingState | undefined {
    return this.ledger.oldestWaiting();
  }

  /** Per stream, the loaded rows covered by the states echoed so far. */
  checkpointedLoaded(): ReadonlyMap<string, number> {
    return this.ledger.checkpointedLoaded();
  }

  loaded(stats: StreamStats, rows: RowMeta[]): void {
    for (const meta of rows) {
      this.ledger.settle(meta.segment, 'loaded');
      this.deps.records.release(meta.record);
    }
    stats.loaded += rows.length;
  }

  /** Rejected rows go to the sink; with allow_failures false they end the sync instead of settling. */
  async reject(plan: StreamPlan, stats: StreamStats, rows: Rejection[]): Promise<void> {
    const rejectedAt = new Date(this.deps.now()).toISOString();
    for (const r of rows) {
      const record = rejectableRecord(this.deps.records.record(r.meta.record));
      this.deps.records.release(r.meta.record);
      this.deps.rejects.add({
        record, stream: plan.stream, object: plan.object, operation: plan.operation,
        ...(r.jobId ? { jobId: r.jobId } : {}),
        errorCode: r.code, errorMessage: r.message, fields: r.fields, attempts: r.attempts, rejectedAt,
      });
      stats.rejectedByCode.set(r.code, (stats.rejectedByCode.get(r.code) ?? 0) + 1);
      if (this.deps.allowFailures) this.ledger.settle(r.meta.segment, 'rejected');
    }
    if (this.deps.allowFailures) return;
    const text = rejectionText(plan, rows, this.deps.rejects.location());
    const passing = rows.every((r) => this.deps.isPassing(r.code));
    this.fail(passing ? transientError(text) : configError(text), minSeq(rows.map((r) => r.meta)));
    await this.deps.rejects.flush().catch((e) => this.fail(e, 0));
  }

  /** Records the sync's failure (the first one wins); `seq`: no STATE after the row with this sequence number. */
  fail(err: unknown, seq = Infinity): void {
    if (!this.fatal) {
      this.fatal = { error: asConnectorError(err), seq };
      this.deps.onFirstFailure();
    } else {
      this.fatal.seq = Math.min(this.fatal.seq, seq);
    }
  }

  /** Echoes the states whose rows are settled, in order, after the rejects sink is flushed. */
  releaseStates(): Promise<void> {
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
      for (const s of states) this.deps.echo(s);
    });
    this.releaseChain = next.catch(() => undefined);
    return next;
  }
}
