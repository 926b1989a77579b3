import { CheckpointLedger } from '../../src/write/settle/checkpoint-ledger';
import type { AirbyteStateMessage } from '../../src/protocol/types';

const streamState = (name: string, id: number): AirbyteStateMessage => ({
  type: 'STREAM', stream: { stream_descriptor: { name }, stream_state: { cursor: id } }, id, sourceStats: { recordCount: 0 },
});

describe('CheckpointLedger', () => {
  test('a STREAM state waits for its stream only; states leave in input order with per-state counts', () => {
    const l = new CheckpointLedger();
    const a1 = l.recordRead('a');
    const b1 = l.recordRead('b');
    const a2 = l.recordRead('a');
    l.addState(streamState('a', 1), 0);
    const a3 = l.recordRead('a');
    l.addState(streamState('b', 2), 0);
    l.addState(streamState('a', 3), 0);
    expect(l.release()).toEqual([]);
    l.settle(a1.segment, 'loaded');
    l.settle(a2.segment, 'rejected');
    const first = l.release();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ id: 1, sourceStats: { recordCount: 0 }, destinationStats: { recordCount: 1, rejectedRecordCount: 1 } });
    expect(first[0]?.stream?.stream_state).toEqual({ cursor: 1 });
    // a's second state is ready but b's state is ahead of it
    l.settle(a3.segment, 'loaded');
    expect(l.release()).toEqual([]);
    l.settle(b1.segment, 'loaded');
    expect(l.release().map((s) => [s.id, s.destinationStats])).toEqual([
      [2, { recordCount: 1, rejectedRecordCount: 0 }],
      [3, { recordCount: 1, rejectedRecordCount: 0 }],
    ]);
  });

  test('a GLOBAL state covers every stream', () => {
    const l = new CheckpointLedger();
    const a = l.recordRead('a');
    const b = l.recordRead('b');
    l.addState({ type: 'GLOBAL', global: { stream_states: [] }, id: 9 }, 0);
    l.settle(a.segment, 'loaded');
    expect(l.release()).toEqual([]);
    l.settle(b.segment, 'loaded');
    expect(l.release()).toEqual([{ type: 'GLOBAL', global: { stream_states: [] }, id: 9, destinationStats: { recordCount: 2, rejectedRecordCount: 0 } }]);
  });

  test('states with no rows are released at once with zero counts', () => {
    const l = new CheckpointLedger();
    l.addState({ data: { x: 1 } }, 0);
    expect(l.release()).toEqual([{ data: { x: 1 }, destinationStats: { recordCount: 0, rejectedRecordCount: 0 } }]);
  });

  test('after a failure only states from before the failing row leave', () => {
    const l = new CheckpointLedger();
    const r1 = l.recordRead('a');
    l.addState(streamState('a', 1), 0);
    const r2 = l.recordRead('a');
    l.addState(streamState('a', 2), 0);
    l.settle(r1.segment, 'loaded');
    l.settle(r2.segment, 'loaded');
    expect(l.release(r2.seq).map((s) => s.id)).toEqual([1]);
  });

  test('oldestWaiting reports arrival time and scope', () => {
    const l = new CheckpointLedger();
    l.recordRead('a');
    l.addState(streamState('a', 1), 1234);
    expect(l.oldestWaiting()).toEqual({ receivedAt: 1234, seq: 2, stream: 'a' });
  });

  test('settling more rows than were read is an internal error', () => {
    const l = new CheckpointLedger();
    const r = l.recordRead('a');
    l.settle(r.segment, 'loaded');
    expect(() => l.settle(r.segment, 'loaded')).toThrow(/Internal error/);
  });
});
