/**
 * Issue 11: every row's fate decided by facts. Each example puts exactly the right records in the
 * rejects store (every input record carries an unmapped `marker` field), under each result-echo
 * setting of the stand-in.
 */
import { useBucket, useFakeSalesforce } from '../helpers/test-env';
import { readRejects, withSyncId } from '../rejects-cli/rejects-cli-helpers';
import { catalog, ECHO_SETTINGS, expectStatesEchoed, explain, record, runWrite, startFake, streamState, type Msg } from './write-helpers';

const s3 = useBucket();

describe.each(ECHO_SETTINGS)('result echo %s', (echo, options) => {
  const fake = useFakeSalesforce({ start: () => startFake(options) });

  /** Runs the stream and returns the markers of the rejected records (sorted) and the run. */
  async function rejectedMarkers(stream: string, rows: Msg[], config: Msg = {}, streamSpec: Record<string, unknown> = {}) {
    const messages = [...rows.map((data) => record(stream, data)), streamState(stream, 1, rows.length)];
    const syncId = `${echo}-${stream}-${Math.random().toString(36).slice(2, 8)}`;
    const run = await runWrite(fake, {
      config: { object_storage_config: s3.storage('attr'), ...config },
      catalog: withSyncId(catalog([{ name: stream, ...streamSpec }]), syncId),
      messages,
    });
    expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
    expectStatesEchoed(run, messages);
    const rejects = await readRejects(s3, `attr/${syncId}/`);
    return { run, rejects, markers: rejects.map((r) => String(r.record.data.marker)).sort() };
  }

  test('null vs absent: the Lead sent with Status null is rejected, the one without Status loads', async () => {
    const { markers, rejects } = await rejectedMarkers('Lead', [
      { LastName: 'Same', Company: 'Co', Status: null, marker: 'null-status' },
      { LastName: 'Same', Company: 'Co', marker: 'absent-status' },
      { LastName: 'Other', Company: 'Co', marker: 'other' },
    ]);
    expect(markers).toEqual(['null-status']);
    expect(rejects[0]?.error_code).toBe('REQUIRED_FIELD_MISSING');
    expect(fake.records('Lead').map((r) => r.LastName).sort()).toEqual(['Other', 'Same']);
  });

  test('18-digit numeric external IDs: the failing one is rejected, never its neighbour', async () => {
    const { markers } = await rejectedMarkers(
      'Invoice__c',
      [
        { Legacy_Number__c: '123456789012345678', Invoice_Number__c: 'INV-A', marker: 'a' },
        { Legacy_Number__c: '123456789012345679', Invoice_Number__c: 'INV-B', Status__c: 'Bogus', marker: 'b' },
        { Legacy_Number__c: '123456789012345680', Invoice_Number__c: 'INV-C', marker: 'c' },
      ],
      {},
      { destination_sync_mode: 'append_dedup', primary_key: [['Legacy_Number__c']] },
    );
    expect(markers).toEqual(['b']);
    expect(fake.records('Invoice__c').map((r) => r.Invoice_Number__c).sort()).toEqual(['INV-A', 'INV-C']);
  });

  test('picklist case: the row Salesforce refuses is rejected, its look-alike loads', async () => {
    const { markers } = await rejectedMarkers('Account', [
      { Name: 'P', Rating: 'hot', marker: 'lower' },
      { Name: 'P', Rating: 'Hot', marker: 'upper' },
      { Name: 'Q', Rating: 'Cold', marker: 'q' },
    ]);
    expect(markers).toEqual(['lower']);
    expect(fake.records('Account').map((r) => r.Rating).sort()).toEqual(['Cold', 'Hot']);
  });

  test('15-character Ids: the failing update is rejected by its record, not a neighbour', async () => {
    const ids = fake.seed('Account', [{ Name: 'a' }, { Name: 'b' }, { Name: 'c' }]).map((id) => id.slice(0, 15));
    const { markers } = await rejectedMarkers(
      'Account',
      [
        { Id: ids[0], Name: 'a2', marker: 'a' },
        { Id: ids[1], Name: 'b2', Rating: 'Terrible', marker: 'b' },
        { Id: ids[2], Name: 'c2', marker: 'c' },
      ],
      { action: 'update' },
    );
    expect(markers).toEqual(['b']);
    expect(fake.records('Account').map((r) => r.Name).sort()).toEqual(['a2', 'b', 'c2']);
  });
});
