/** Rejected rows reach S3 before the covering STATE; an S3 outage fails the sync without that STATE. */
import { catalog, expectStatesEchoed, record, runWrite, startFake, streamState, RESULT_ECHOES } from './write-helpers';
import { useFakeAndBucket } from '../helpers/test-env';

const { fake, s3 } = useFakeAndBucket({ start: startFake });

describe.each(RESULT_ECHOES)('result echo %s', (resultEcho) => {
  beforeAll(() => fake.set({ resultEcho }));

  test('every input row is in the org or in the rejects bucket, and the counts say so', async () => {
    const messages = [
      record('Account', { Name: 'good' }),
      record('Account', { Name: 'bad picklist', Rating: 'Terrible' }),
      record('Account', { Name: 'too long', BillingCity: 'c'.repeat(41) }),
      streamState('Account', 1, 3),
    ];
    const prefix = `write-${Date.now()}`;
    const run = await runWrite(fake, { config: { object_storage_config: s3.storage(prefix) }, catalog: catalog(['Account']), messages });
    expect(run.result.code).toBe(0);
    expectStatesEchoed(run, messages);
    expect(run.states[0]?.destinationStats).toEqual({ recordCount: 1, rejectedRecordCount: 2 });
    expect(fake.records('Account').map((r) => r.Name)).toEqual(['good']);
    const keys = await s3.listKeys(prefix);
    expect(keys.length).toBeGreaterThan(0);
    const stored = (await Promise.all(keys.map((k) => s3.getText(k)))).join('\n');
    expect(stored).toContain('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(stored).toContain('DESTINATION_FIELD_SIZE_LIMITATION');
  });

  test('when the rejects cannot be stored, the covering STATE is not echoed and the sync fails', async () => {
    s3.failNextWrites(1000, 500);
    try {
      const messages = [record('Account', { Name: 'bad', Rating: 'Terrible' }), streamState('Account', 1, 1)];
      const run = await runWrite(fake, { config: { object_storage_config: s3.storage(`down-${Date.now()}`) }, catalog: catalog(['Account']), messages, timeoutMs: 110_000 });
      expect(run.result.code).toBe(1);
      expect(run.states).toEqual([]);
    } finally {
      s3.failNextWrites(0);
    }
  }, 120_000);
});
