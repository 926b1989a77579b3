/**
 * Holds back the last STATE of mirror streams until their mirror step has run (pure).
 *
 * Earlier states of a mirror stream are echoed as usual (their rows are settled); the latest one is
 * kept until the next one arrives or the mirror step finished. A STREAM state belongs to its stream;
 * GLOBAL and LEGACY states cover every stream, so they are held when any stream is a mirror. Each kind
 * keeps its own order: only the newest state of a sequence is ever held.
 */
import { streamKey, type AirbyteStateMessage } from '../../protocol/types';

const GLOBAL = '\u0000global';

export class MirrorStateHold {
  private readonly held = new Map<string, AirbyteStateMessage>();

  constructor(private readonly mirrorKeys: ReadonlySet<string>) {}

  /** The states to echo now, in order, given states ready to echo. */
  pass(states: AirbyteStateMessage[]): AirbyteStateMessage[] {
    const out: AirbyteStateMessage[] = [];
    for (const s of states) {
      const slot = this.slotOf(s);
      if (slot === undefined) {
        out.push(s);
        continue;
      }
      const previous = this.held.get(slot);
      if (previous) out.push(previous);
      this.held.set(slot, s);
    }
    return out;
  }

  /** Every held state (the mirror steps are done), oldest slot first. */
  releaseAll(): AirbyteStateMessage[] {
    const out = [...this.held.values()];
    this.held.clear();
    return out;
  }

  private slotOf(s: AirbyteStateMessage): string | undefined {
    if (this.mirrorKeys.size === 0) return undefined;
    if (s.type === 'STREAM' && s.stream) {
      const key = streamKey(s.stream.stream_descriptor);
      return this.mirrorKeys.has(key) ? key : undefined;
    }
    return GLOBAL;
  }
}
