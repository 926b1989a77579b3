/**
 * max_state_delay_seconds (pure): once the oldest STATE not yet echoed has waited that long, which
 * streams' open chunks must be sent so its rows get settled — those holding a row read before it (of its
 * stream, or of every stream for a global STATE). Not every STATE cuts a chunk: only an old one.
 */
import type { WaitingState } from './checkpoint-ledger';

export function overdueStreams(
  waiting: WaitingState | undefined,
  now: number,
  maxDelayMs: number,
): ((stream: string, firstSeqOpen: number | undefined) => boolean) | undefined {
  if (!waiting || now - waiting.receivedAt < maxDelayMs) return undefined;
  return (stream, firstSeqOpen) => (waiting.stream === undefined || stream === waiting.stream) && firstSeqOpen !== undefined && firstSeqOpen < waiting.seq;
}
