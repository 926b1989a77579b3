/** Cancellation: the grace deadline, waits cut short once cancelled, and the row count of a CSV chunk. */
import { csvRowCount } from '../../src/write/cancel/cancellable-bulk-client';
import { leftoversReport } from '../../src/write/cancel/leftovers-report';
import { Cancellation, CANCEL_POLL_MS, SyncCancelledError } from '../../src/write/cancel/cancellation';

test('csvRowCount counts data rows, not line feeds inside quoted values', () => {
  expect(csvRowCount(Buffer.from('Name,Ext_Id__c'))).toBe(0);
  expect(csvRowCount(Buffer.from('Name\na\nb'))).toBe(2);
  expect(csvRowCount(Buffer.from('Name\na\nb\n'))).toBe(2);
  expect(csvRowCount(Buffer.from('Name,Note\n"x","line1\nline2"\n"y ""q""","z"'))).toBe(2);
  expect(csvRowCount(Buffer.alloc(0))).toBe(0);
});

test('a request aborts the signal with the cancel error, once; the deadline follows the grace period', async () => {
  const c = new Cancellation(50);
  expect(c.requested).toBe(false);
  expect(() => c.throwIfRequested()).not.toThrow();
  c.request('SIGTERM');
  c.request('SIGINT');
  expect(c.reason).toBe('SIGTERM');
  expect(c.signal.reason).toBeInstanceOf(SyncCancelledError);
  expect(() => c.throwIfRequested()).toThrow(/The sync was cancelled \(SIGTERM\)/);
  expect(c.error().failureType).toBe('transient_error');
  await c.deadline; // resolves after ~50 ms (the test would time out otherwise)
});

test('a wait in progress ends soon after the cancel, and later waits are capped', async () => {
  const c = new Cancellation(60_000);
  let ended = false;
  const long = c.sleep(3_600_000).then(() => (ended = true));
  c.request('SIGTERM');
  await long;
  expect(ended).toBe(true);
  const started = Date.now();
  await c.sleep(3_600_000);
  expect(Date.now() - started).toBeLessThan(CANCEL_POLL_MS + 5_000);
  c.dispose();
});

test('the leftovers report counts what the next sync may insert twice, from job counters minus checkpointed rows', () => {
  const lines = leftoversReport(
    {
      running: [
        { id: '750A', object: 'Contact', operation: 'insert', rows: 12 },
        { id: '750B', object: 'Account', operation: 'upsert', rows: 5 },
      ],
      open: [],
      inserted: new Map([['Contact', 30], ['Lead', 4]]),
      checkpointed: [
        { object: 'Contact', operation: 'insert', rows: 20 },
        { object: 'Account', operation: 'upsert', rows: 99 },
        { object: 'Lead', operation: 'insert', rows: 4 },
      ],
    },
    20,
  );
  expect(lines.map((l) => l.message)).toEqual([
    expect.stringMatching(/^Ingest job 750A \(Contact insert, 12 rows\) is still running in Salesforce when the 20 s cancel grace period ended.* up to 12 duplicate Contact/),
    expect.not.stringContaining('duplicate'),
    '10 Contact row(s) inserted by this sync are not covered by an echoed checkpoint: the next sync sends them again and inserts them a second time.',
    'In total the next sync may insert up to 22 row(s) a second time.',
  ]);
  const clean = { running: [], open: [], inserted: new Map([['Lead', 4]]), checkpointed: [{ object: 'Lead', operation: 'insert', rows: 4 }] };
  expect(leftoversReport(clean, 20)).toEqual([{ level: 'INFO', message: expect.stringContaining('no ingest job of this sync is left running') }]);
  expect(leftoversReport(clean)).toEqual([]); // after a failure, nothing to say
});
