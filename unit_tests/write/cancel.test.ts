/** Cancellation: the grace deadline, waits cut short once cancelled, and the row count of a CSV chunk. */
import { csvRowCount } from '../../src/write/cancel/cancellable-bulk-client';
import { cancelReport } from '../../src/write/cancel/cancel-report';
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

test('the cancel report names jobs left in Salesforce, with duplicates possible only for insert', () => {
  const lines = cancelReport(
    [
      { id: '750A', object: 'Contact', operation: 'insert', rows: 12, phase: 'accepted' },
      { id: '750B', object: 'Account', operation: 'upsert', rows: 5, phase: 'finished' },
    ],
    [],
    20,
  );
  expect(lines.map((l) => l.message)).toEqual([
    expect.stringMatching(/^Ingest job 750A \(Contact insert, 12 rows\) is still running in Salesforce .* up to 12 duplicate Contact/),
    expect.not.stringContaining('duplicate'),
    expect.stringContaining('may insert up to 12 row(s) a second time (jobs 750A)'),
  ]);
  expect(cancelReport([], [], 20)).toEqual([{ level: 'INFO', message: expect.stringContaining('no ingest job of this sync is left running') }]);
});
