/**
 * Decides when a STATE may be echoed (pure; time is passed in).
 *
 * Every row is read into its stream's open *segment*. A STREAM state closes its stream's segment;
 * a GLOBAL or LEGACY state closes the segments of all streams. A state is released when every row
 * of its segments is settled (loaded, or rejected — the caller flushes the rejects sink before
 * echoing), and only after every earlier state (states leave in input order).
 *
 * Released states are echoed whole (unknown keys such as the platform's `id` and `sourceStats`
 * kept) with `destinationStats {recordCount: loaded, rejectedRecordCount: rejected}` counted since
 * the previous state of the same scope, so loaded + rejected = the records the state covers.
 */
import { streamKey, type AirbyteStateMessage } from '../../protocol/types';

export class Segment {
  total = 0;
  loaded = 0;
  rejected = 0;
  constructor(readonly stream: string) {}
  get unsettled(): number {
    return this.total - this.loaded - this.rejected;
  }
}

interface PendingState {
  state: AirbyteStateMessage;
  segments: Segment[];
  /** Row sequence number at arrival: rows with a smaller seq are covered (if in scope). */
  seq: number;
  /** undefined = every stream */
  stream?: string;
  receivedAt: number;
}

export interface WaitingState {
  receivedAt: number;
  seq: number;
  /** undefined = every stream */
  stream?: string;
}

/** Which stream a STREAM state is about; undefined for GLOBAL / LEGACY (all streams). */
function stateScope(state: AirbyteStateMessage): string | undefined {
  if (state.type === 'STREAM' && state.stream) return streamKey(state.stream.stream_descriptor);
  return undefined;
}

export class CheckpointLedger {
  private readonly open = new Map<string, Segment>();
  private readonly queue: PendingState[] = [];
  private readonly releasedLoaded = new Map<string, number>();
  private seq = 0;

  /** Registers a row read from stdin; returns the segment to settle it in, and its sequence number. */
  recordRead(stream: string): { segment: Segment; seq: number } {
    let segment = this.open.get(stream);
    if (!segment) {
      segment = new Segment(stream);
      this.open.set(stream, segment);
    }
    segment.total += 1;
    this.seq += 1;
    return { segment, seq: this.seq };
  }

  settle(segment: Segment, outcome: 'loaded' | 'rejected', count = 1): void {
    if (outcome === 'loaded') segment.loaded += count;
    else segment.rejected += count;
    if (segment.unsettled < 0) throw new Error(`Internal error: more rows settled than read for stream ${segment.stream}`);
  }

  addState(state: AirbyteStateMessage, now: number): void {
    const stream = stateScope(state);
    const segments: Segment[] = [];
    for (const [key, segment] of this.open) {
      if (stream !== undefined && key !== stream) continue;
      segments.push(segment);
      this.open.delete(key);
    }
    this.queue.push({ state, segments, seq: this.seq + 1, receivedAt: now, ...(stream !== undefined ? { stream } : {}) });
  }

  /**
   * States that may be echoed now, in input order, with destinationStats; removes them.
   * `maxSeq`: after a failure, only states that arrived before the row with that sequence number.
   */
  release(maxSeq = Infinity): AirbyteStateMessage[] {
    const out: AirbyteStateMessage[] = [];
    while (this.queue.length > 0) {
      const head = this.queue[0] as PendingState;
      if (head.seq > maxSeq || head.segments.some((s) => s.unsettled > 0)) break;
      this.queue.shift();
      for (const s of head.segments) this.releasedLoaded.set(s.stream, (this.releasedLoaded.get(s.stream) ?? 0) + s.loaded);
      const loaded = head.segments.reduce((n, s) => n + s.loaded, 0);
      const rejected = head.segments.reduce((n, s) => n + s.rejected, 0);
      out.push({ ...head.state, destinationStats: { recordCount: loaded, rejectedRecordCount: rejected } });
    }
    return out;
  }

  /** Per stream, the loaded rows covered by the states released so far. */
  checkpointedLoaded(): ReadonlyMap<string, number> {
    return this.releasedLoaded;
  }

  /** The oldest state still waiting for rows, if any. */
  oldestWaiting(): WaitingState | undefined {
    const head = this.queue[0];
    if (!head) return undefined;
    return { receivedAt: head.receivedAt, seq: head.seq, ...(head.stream !== undefined ? { stream: head.stream } : {}) };
  }
}
