import { PassThrough, Readable } from 'node:stream';
import { ConnectorError } from '../../src/errors';
import { readMessageBatches, readMessages } from '../../src/protocol/message-reader';
import type { InputMessage } from '../../src/protocol/types';

async function readAll(text: string): Promise<InputMessage[]> {
  const out: InputMessage[] = [];
  for await (const m of readMessages(Readable.from([text]))) out.push(m);
  return out;
}

describe('readMessages', () => {
  test('reads records, states and traces with line numbers; skips blank lines and unknown types', async () => {
    const lines = [
      JSON.stringify({ type: 'RECORD', record: { stream: 's', data: { a: 1 }, emitted_at: 1 } }),
      '',
      JSON.stringify({ type: 'LOG', log: { level: 'INFO', message: 'x' } }),
      JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 's' } }, id: 1 } }),
      JSON.stringify({ type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1 } }),
    ];
    const msgs = await readAll(lines.join('\r\n'));
    expect(msgs.map((m) => [m.type, m.line])).toEqual([['RECORD', 1], ['OTHER', 3], ['STATE', 4], ['TRACE', 5]]);
  });

  test('a non-JSON line is a system_error naming the line, never its content', async () => {
    const secret = 'password=hunter2';
    const err = await readAll(`${JSON.stringify({ type: 'STATE', state: { data: {} } })}\n${secret}\n`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).failureType).toBe('system_error');
    expect((err as ConnectorError).message).toContain('line 2');
    expect(JSON.stringify(err)).not.toContain('hunter2');
    expect((err as ConnectorError).message).not.toContain('hunter2');
  });

  test.each([
    [{ type: 'RECORD', record: { data: {} } }, 'stream'],
    [{ type: 'RECORD', record: { stream: 's' } }, 'data'],
    [{ type: 'STATE' }, 'state'],
    [{ type: 'STATE', state: { type: 'STREAM', stream: {} } }, 'stream_descriptor'],
    [[1, 2], 'object'],
  ])('%j is malformed (%s)', async (msg, what) => {
    const err = (await readAll(JSON.stringify(msg)).catch((e: unknown) => e)) as ConnectorError;
    expect(err.failureType).toBe('system_error');
    expect(err.message).toContain(what);
  });

  test('stops when the signal aborts while stdin is idle (stdin left open), and reads Buffer chunks split mid-line', async () => {
    const input = new PassThrough();
    const stop = new AbortController();
    const line = JSON.stringify({ type: 'RECORD', record: { stream: 's', data: { name: 'é😀' } } });
    const bytes = Buffer.from(`${line}\n${line.slice(0, 10)}`);
    input.write(bytes.subarray(0, 7));
    input.write(bytes.subarray(7));
    const seen: InputMessage[] = [];
    const done = (async () => {
      for await (const m of readMessages(input, stop.signal)) {
        seen.push(m);
        stop.abort();
      }
    })();
    await done;
    expect(seen.map((m) => m.type === 'RECORD' && m.record.data)).toEqual([{ name: 'é😀' }]);
    expect(input.destroyed).toBe(false);
  });

  test('an input stream error ends the iteration with that error', async () => {
    const input = new PassThrough();
    const reading = (async () => {
      for await (const _ of readMessages(input)) void _;
    })();
    input.destroy(new Error('stdin broke'));
    await expect(reading).rejects.toThrow('stdin broke');
  });

  test('pieces: a bad line throws only when reached, after the messages before it; line numbers run on across pieces', async () => {
    const rec = (n: number) => JSON.stringify({ type: 'RECORD', record: { stream: 's', data: { n } } });
    const input = new PassThrough();
    input.write(`${rec(1)}\n${rec(2)}\n`);
    const seen: Array<number | string> = [];
    const reading = (async () => {
      for await (const batch of readMessageBatches(input)) {
        for (let m = batch.next(); m !== undefined; m = batch.next()) {
          seen.push(m.line);
          if (m.line === 2) input.end(`${rec(3)}\nnot json\n${rec(5)}\n`); // the next piece arrives while this one is used
        }
      }
    })();
    const err = (await reading.catch((e: unknown) => e)) as ConnectorError;
    expect(seen).toEqual([1, 2, 3]);
    expect(err.failureType).toBe('system_error');
    expect(err.message).toContain('line 4');
  });

  test('pieces: once the signal aborts, a piece gives no more messages and no piece follows', async () => {
    const rec = JSON.stringify({ type: 'RECORD', record: { stream: 's', data: {} } });
    const stop = new AbortController();
    const seen: number[] = [];
    for await (const batch of readMessageBatches(Readable.from([`${rec}\n${rec}\n${rec}\n`, `${rec}\n`]), stop.signal)) {
      for (let m = batch.next(); m !== undefined; m = batch.next()) {
        seen.push(m.line);
        stop.abort();
      }
    }
    expect(seen).toEqual([1]);
  });
});
