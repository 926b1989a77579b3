/**
 * Reads AirbyteMessages from stdin, one JSON object per line, as an async iterator.
 *
 * - A line that is not JSON, or a RECORD / STATE without its required fields, ends the sync with a
 *   system_error naming the line number. The line itself is never echoed: it may hold PII or secrets.
 * - Unknown message types (and blank lines) are skipped.
 * - Lines end at LF, CRLF or a lone CR, as readline splits them (line-splitter.ts).
 * - Buffering is bounded: a chunk is read from stdin only when the consumer asks for a message and the
 *   lines of the previous chunk are used up (backpressure: stdin stays paused meanwhile).
 */
import type { Readable } from 'node:stream';
import { systemError } from '../errors';
import { LineSplitter } from './line-splitter';
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

/**
 * The messages of one piece of stdin, parsed one at a time as they are taken: a bad line throws only when
 * it is reached (the messages before it are handled first), and none is given once `signal` aborted.
 * Why pieces rather than one message at a time: an async generator's per-item promise and result object
 * cost ~0.5 KB and a turn of the microtask queue per row (BENCHMARKS.md "Session 7").
 */
export class MessageBatch {
  private i = 0;

  constructor(
    private readonly texts: string[],
    private readonly bytes: ReadonlyArray<Uint8Array | undefined>,
    /** Line number of the piece's first line, minus one. */
    private line: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** The next message, or undefined at the piece's end (or once the signal aborted). */
  next(): InputMessage | undefined {
    while (this.i < this.texts.length) {
      if (this.signal?.aborted) return undefined;
      const at = this.i++;
      const text = this.texts[at] as string;
      this.line += 1;
      if (text.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw malformed(this.line, 'not valid JSON');
      }
      const message = toInputMessage(parsed, this.line);
      if (message?.type === 'RECORD') message.raw = this.bytes[at] ?? text;
      if (message) return message;
    }
    return undefined;
  }
}

/**
 * stdin in pieces of messages (one per chunk read). `signal`: stop reading (the iteration ends, lines
 * already read are dropped) when the consumer gives up, even while stdin is idle.
 */
export async function* readMessageBatches(input: NodeJS.ReadableStream, signal?: AbortSignal): AsyncGenerator<MessageBatch> {
  const splitter = new LineSplitter();
  let line = 0;
  for await (const chunk of chunksOf(input as Readable, signal)) {
    const bytes: Array<Uint8Array | undefined> = [];
    const texts = chunk === undefined ? splitter.end(bytes) : splitter.push(chunk, bytes);
    if (texts.length === 0) continue;
    yield new MessageBatch(texts, bytes, line, signal);
    line += texts.length;
  }
}

/** stdin's messages one at a time (as readMessageBatches, flattened). */
export async function* readMessages(input: NodeJS.ReadableStream, signal?: AbortSignal): AsyncGenerator<InputMessage> {
  for await (const batch of readMessageBatches(input, signal)) {
    for (let m = batch.next(); m !== undefined; m = batch.next()) yield m;
  }
}

/**
 * The stream's chunks as Buffers, then `undefined` once at its end; a chunk is read only when asked for.
 * Not the stream's own async iterator: that cannot stop while stdin is idle without destroying stdin.
 */
async function* chunksOf(input: Readable, signal?: AbortSignal): AsyncGenerator<Buffer | undefined> {
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const onReadable = (): void => wake?.();
  const onEnd = (): void => {
    ended = true;
    wake?.();
  };
  const onError = (error: unknown): void => {
    failure = { error };
    wake?.();
  };
  input.on('readable', onReadable);
  input.on('end', onEnd);
  input.on('close', onEnd);
  input.on('error', onError);
  signal?.addEventListener('abort', onReadable);
  try {
    while (!signal?.aborted) {
      if (failure) throw failure.error;
      const chunk = input.read() as Buffer | string | null;
      if (chunk !== null) {
        yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      } else if (ended || input.readableEnded) {
        yield undefined;
        return;
      } else {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    }
  } finally {
    signal?.removeEventListener('abort', onReadable);
    input.off('readable', onReadable);
    input.off('end', onEnd);
    input.off('close', onEnd);
    input.off('error', onError);
    if (!ended) input.pause(); // as readline's close: an idle stdin pipe stops being read
  }
}
