/**
 * Reads AirbyteMessages from stdin, one JSON object per line, as an async iterator.
 *
 * - A line that is not JSON, or a RECORD / STATE without its required fields, ends the sync with a
 *   system_error naming the line number. The line itself is never echoed: it may hold PII or secrets.
 * - Unknown message types (and blank lines) are skipped.
 * - Buffering is bounded: readline's async iterator pauses stdin when the consumer falls behind
 *   (backpressure), and resumes as soon as the consumer asks for more lines.
 */
import * as readline from 'node:readline';
import { systemError } from '../errors';
import type { AirbyteRecord, AirbyteStateMessage, AirbyteTrace, InputMessage } from './types';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function malformed(line: number, what: string): Error {
  return systemError(
    `Malformed input on stdin, line ${line}: ${what}. The sync stopped; nothing after that line was written.`,
    `stdin line ${line}: ${what}`,
  );
}

/** Validates one parsed line; exported for unit tests. */
export function toInputMessage(value: unknown, line: number): InputMessage | undefined {
  if (!isObject(value)) throw malformed(line, 'not a JSON object');
  const type = value.type;
  if (typeof type !== 'string') throw malformed(line, 'message has no "type"');
  switch (type) {
    case 'RECORD': {
      const record = value.record;
      if (!isObject(record)) throw malformed(line, 'RECORD message has no "record" object');
      if (typeof record.stream !== 'string' || record.stream === '') throw malformed(line, 'RECORD has no "stream" name');
      if (!isObject(record.data)) throw malformed(line, 'RECORD has no "data" object');
      return { type: 'RECORD', record: record as unknown as AirbyteRecord, line };
    }
    case 'STATE': {
      const state = value.state;
      if (!isObject(state)) throw malformed(line, 'STATE message has no "state" object');
      const stateType = state.type ?? 'LEGACY';
      if (stateType === 'STREAM') {
        const stream = state.stream;
        const descriptor = isObject(stream) ? stream.stream_descriptor : undefined;
        if (!isObject(descriptor) || typeof descriptor.name !== 'string') {
          throw malformed(line, 'STREAM state has no stream.stream_descriptor.name');
        }
      } else if (stateType === 'GLOBAL') {
        if (!isObject(state.global)) throw malformed(line, 'GLOBAL state has no "global" object');
      } else if (stateType !== 'LEGACY') {
        throw malformed(line, 'STATE has an unknown "type"');
      }
      return { type: 'STATE', state: state as AirbyteStateMessage, line };
    }
    case 'TRACE': {
      const trace = value.trace;
      if (!isObject(trace)) return { type: 'OTHER', messageType: type, line };
      return { type: 'TRACE', trace: trace as unknown as AirbyteTrace, line };
    }
    default:
      return { type: 'OTHER', messageType: type, line };
  }
}

/** `signal`: stop reading (the iteration ends) when the consumer gives up, even while stdin is idle. */
export async function* readMessages(input: NodeJS.ReadableStream, signal?: AbortSignal): AsyncGenerator<InputMessage> {
  if (signal?.aborted) return;
  // Iterate immediately after creating the interface (lines emitted before iteration would be lost).
  const rl = readline.createInterface({ input, crlfDelay: Infinity, terminal: false });
  const stop = () => rl.close();
  signal?.addEventListener('abort', stop, { once: true });
  let line = 0;
  try {
    for await (const text of rl) {
      line += 1;
      if (text.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw malformed(line, 'not valid JSON');
      }
      const message = toInputMessage(parsed, line);
      if (message) yield message;
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    rl.close();
  }
}
