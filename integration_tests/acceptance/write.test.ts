/**
 * What Airbyte's destination test suites check for writes (Bulk CDK BasicFunctionalityIntegrationTest,
 * legacy DestinationAcceptanceTest), against the local Salesforce stand-in, through the CLI or the image.
 * Every test also checks that nothing is lost: each RECORD is in the org or counted as rejected, and the
 * echoed states' counts add up to what was sent.
 */
import {
  catalog,
  countRecords,
  expectCleanExit,
  expectNothingLost,
  expectStatesEchoed,
  globalState,
  record,
  runWrite,
  type StreamRef,
  streamComplete,
  streamState,
  TEST_TIMEOUT_MS,
} from './acceptance-helpers';
import { useFakeSalesforce } from '../helpers/test-env';

jest.setTimeout(TEST_TIMEOUT_MS);

const sf = useFakeSalesforce();

const NONE = { object_storage_config: { storage_type: 'None' } };
const config = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ ...sf.config, ...NONE, ...extra });

/** Org rows of `object` keyed by `field`, only those whose key starts with `prefix`. */
function rowsBy(object: string, field: string, prefix = ''): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const row of sf.records(object)) {
    const key = row[field];
    if (typeof key === 'string' && key.startsWith(prefix)) {
      if (out.has(key)) throw new Error(`${object}: two rows with ${field} = ${key}`);
      out.set(key, row);
    }
  }
  return out;
}

/** n UTF-16 units of text with unicode, quotes, commas and newlines; never ends inside a surrogate pair. */
function bigText(n: number, seed: string): string {
  const unit = `${seed} ünïcödé 🚀 "q", \n`;
  let s = '';
  while (s.length < n) s += unit;
  return s.slice(0, n - 1) + 'Z';
}

const ACCOUNTS: StreamRef = { name: 'accounts' };
const CONTACTS: StreamRef = { name: 'contacts' };

describe('write (Airbyte destination suites)', () => {
  it('one record + one STATE → exactly one STATE, as sent plus destinationStats.recordCount 1 (testBasicWrite)', async () => {
    const cat = catalog([{ ...ACCOUNTS, object: 'Account', fields: ['Ext_Id__c', 'Name'] }]);
    const state = streamState(ACCOUNTS, 1, 1);
    const messages = [record(ACCOUNTS, { Ext_Id__c: 'BW-1', Name: 'Basic write' }), state];
    const r = await runWrite(config(), cat, messages);
    expectCleanExit(r);
    expectStatesEchoed(r, [{ input: state, recordCount: 1 }], { globalOrder: true });
    const rows = rowsBy('Account', 'Ext_Id__c', 'BW-');
    expect([...rows.values()].map((row) => row.Name)).toEqual(['Basic write']);
    expectNothingLost(r, 1, rows.size);
  });

  it('mid-sync checkpoints: interleaved STATEs of two streams come back in order with the counts since the previous one (testMidSyncCheckpointingStreamState)', async () => {
    const cat = catalog([
      { ...ACCOUNTS, object: 'Account', fields: ['Ext_Id__c', 'Name'] },
      { ...CONTACTS, object: 'Contact', fields: ['Ext_Id__c', 'LastName'] },
    ]);
    const acc = (i: number): Record<string, unknown> => record(ACCOUNTS, { Ext_Id__c: `CP-A-${i}`, Name: `Checkpoint account ${i}` });
    const con = (i: number): Record<string, unknown> => record(CONTACTS, { Ext_Id__c: `CP-C-${i}`, LastName: `Checkpoint ${i}` });
    const sA1 = streamState(ACCOUNTS, 2, 2);
    const sC1 = streamState(CONTACTS, 2, 2);
    const sA2 = streamState(ACCOUNTS, 3, 1);
    const sA3 = streamState(ACCOUNTS, 6, 3);
    const sC2 = streamState(CONTACTS, 2, 0); // a checkpoint with no records since the previous one
    const messages = [acc(1), con(1), acc(2), sA1, con(2), sC1, acc(3), sA2, acc(4), acc(5), acc(6), sA3, sC2, streamComplete(ACCOUNTS), streamComplete(CONTACTS)];
    const r = await runWrite(config(), cat, messages);
    expectCleanExit(r);
    expectStatesEchoed(r, [
      { input: sA1, recordCount: 2 },
      { input: sC1, recordCount: 2 },
      { input: sA2, recordCount: 1 },
      { input: sA3, recordCount: 3 },
      { input: sC2, recordCount: 0 },
    ]);
    const accounts = rowsBy('Account', 'Ext_Id__c', 'CP-A-');
    const contacts = rowsBy('Contact', 'Ext_Id__c', 'CP-C-');
    expect([...accounts.keys()].sort()).toEqual(['CP-A-1', 'CP-A-2', 'CP-A-3', 'CP-A-4', 'CP-A-5', 'CP-A-6']);
    expect([...contacts.keys()].sort()).toEqual(['CP-C-1', 'CP-C-2']);
    expectNothingLost(r, countRecords(messages), accounts.size + contacts.size);
  });

  it('GLOBAL states across streams come back in order with the records since the previous one', async () => {
    const cat = catalog([
      { ...ACCOUNTS, object: 'Account', fields: ['Ext_Id__c', 'Name'] },
      { ...CONTACTS, object: 'Contact', fields: ['Ext_Id__c', 'LastName'] },
    ]);
    const g1 = globalState([ACCOUNTS, CONTACTS], { lsn: 1 }, 3);
    const g2 = globalState([ACCOUNTS, CONTACTS], { lsn: 2 }, 1);
    const messages = [
      record(ACCOUNTS, { Ext_Id__c: 'GS-A-1', Name: 'Global 1' }),
      record(CONTACTS, { Ext_Id__c: 'GS-C-1', LastName: 'Global 1' }),
      record(ACCOUNTS, { Ext_Id__c: 'GS-A-2', Name: 'Global 2' }),
      g1,
      record(CONTACTS, { Ext_Id__c: 'GS-C-2', LastName: 'Global 2' }),
      g2,
    ];
    const r = await runWrite(config(), cat, messages);
    expectCleanExit(r);
    expectStatesEchoed(r, [{ input: g1, recordCount: 3 }, { input: g2, recordCount: 1 }], { globalOrder: true });
    expectNothingLost(r, 4, rowsBy('Account', 'Ext_Id__c', 'GS-').size + rowsBy('Contact', 'Ext_Id__c', 'GS-').size);
  });

  it('odd characters in the stream name and in values land exactly (testFunkyCharacters, testLineBreakCharacters)', async () => {
    const funky: StreamRef = { name: 'accöunts: "quoted", 🚀 日本 #1 =x' };
    const values: Array<[string, string]> = [
      ['unicode', 'Zürich — naïve café · 日本語 · 한국어 · עברית · Ω≈ç'],
      ['emoji', '🚀🎉 family 👩‍👩‍👧‍👦 flag 🇨🇭'],
      ['quotes', 'He said "hi", then \'bye\' ""'],
      ['lone quote', '"'],
      ['commas', 'a,b,,c,'],
      ['newlines', 'line 1\nline 2\n\nline 4'],
      ['tabs', 'col1\tcol2\t'],
      ['NA-looking', '#N/A!'],
      ['NA-lower', '#n/a'],
      ['NA-text', '#N/A is not null here'],
      ['padded', '   leading and trailing   '],
      ['formula', '=1+1'],
      ['formula-2', '+SUM(A1:A3)'],
      ['formula-3', '@cmd|-2+3'],
      ['backslashes', 'C:\\path\\to\\file \\n not a newline'],
      ['semicolon-pipe', 'a;b|c^d~e'],
      ['html', '<b>bold</b> &amp; <script>x</script>'],
      ['json', '{"a": [1, 2, {"b": null}]}'],
    ];
    // A CR inside a quoted value fails an LF ingest job in real Salesforce (salesforce-api.md §1.10), so
    // the connector sends CR and CRLF as LF (record-mapper.ts): the one documented normalisation.
    const normalised: Array<[string, string, string]> = [
      ['carriage return', 'cr\rhere', 'cr\nhere'],
      ['crlf', 'a\r\nb\r\n', 'a\nb\n'],
    ];
    const all = [...values.map(([k, v]) => [k, v, v] as [string, string, string]), ...normalised];
    const cat = catalog([{ ...funky, object: 'Account', fields: ['Ext_Id__c', 'Name', 'Description'] }]);
    const state = streamState(funky, 'ü"🚀', all.length);
    const messages = [
      ...all.map(([, value], i) => record(funky, { Ext_Id__c: `FC-${i}`, Name: value, Description: value })),
      state,
    ];
    const r = await runWrite(config(), cat, messages);
    expectCleanExit(r);
    expectStatesEchoed(r, [{ input: state, recordCount: all.length }]);
    const rows = rowsBy('Account', 'Ext_Id__c', 'FC-');
    const got = all.map(([kind], i) => ({ kind, Name: rows.get(`FC-${i}`)?.Name, Description: rows.get(`FC-${i}`)?.Description }));
    const want = all.map(([kind, , stored]) => ({ kind, Name: stored, Description: stored }));
    expect(got).toEqual(want);
    expectNothingLost(r, all.length, rows.size);
  });

  it('namespaces: same-named streams in different namespaces are kept apart (testNamespaces)', async () => {
    const eu: StreamRef = { name: 'Account', namespace: 'sales_eu' };
    const us: StreamRef = { name: 'Account', namespace: 'sales_us' };
    const odd: StreamRef = { name: 'Contact', namespace: 'ns-with.dots ü' };
    // No destination_object_name: the stream name is the object.
    const cat = catalog([
      { ...eu, fields: ['Ext_Id__c', 'Name'] },
      { ...us, fields: ['Ext_Id__c', 'Name'] },
      { ...odd, fields: ['Ext_Id__c', 'LastName'] },
    ]);
    const sEu = streamState(eu, 'eu', 2);
    const sUs = streamState(us, 'us', 1);
    const sOdd = streamState(odd, 'odd', 1);
    const messages = [
      record(eu, { Ext_Id__c: 'NS-EU-1', Name: 'EU 1' }),
      record(us, { Ext_Id__c: 'NS-US-1', Name: 'US 1' }),
      record(eu, { Ext_Id__c: 'NS-EU-2', Name: 'EU 2' }),
      record(odd, { Ext_Id__c: 'NS-ODD-1', LastName: 'Odd' }),
      sUs,
      sEu,
      sOdd,
    ];
    const r = await runWrite(config(), cat, messages);
    expectCleanExit(r);
    expectStatesEchoed(r, [
      { input: sUs, recordCount: 1 },
      { input: sEu, recordCount: 2 },
      { input: sOdd, recordCount: 1 },
    ]);
    const accounts = rowsBy('Account', 'Ext_Id__c', 'NS-');
    const contacts = rowsBy('Contact', 'Ext_Id__c', 'NS-');
    expect([...accounts.keys()].sort()).toEqual(['NS-EU-1', 'NS-EU-2', 'NS-US-1']);
    expect([...contacts.keys()]).toEqual(['NS-ODD-1']);
    expectNothingLost(r, 4, accounts.size + contacts.size);
  });

  it('many streams at once: 10 streams, no table_name, object = destination_object_name or stream name (testManyStreamsCompletion)', async () => {
    const kinds: Array<{ object: string; key: string; data: (id: string) => Record<string, unknown> }> = [
      { object: 'Account', key: 'Ext_Id__c', data: (id) => ({ Ext_Id__c: id, Name: `Many ${id}` }) },
      { object: 'Contact', key: 'Ext_Id__c', data: (id) => ({ Ext_Id__c: id, LastName: `Many ${id}` }) },
      { object: 'Lead', key: 'LastName', data: (id) => ({ LastName: id, Company: 'Many streams Inc.' }) },
      { object: 'Invoice__c', key: 'Invoice_Number__c', data: (id) => ({ Invoice_Number__c: id, Amount__c: 1.5 }) },
      { object: 'Order_Event__e', key: 'Order_Number__c', data: (id) => ({ Order_Number__c: id, Amount__c: 2 }) },
    ];
    const streams = Array.from({ length: 10 }, (_, i) => {
      const kind = kinds[i % kinds.length] as (typeof kinds)[number];
      // Streams 8 and 9 are named like their object and have no destination_object_name.
      const ref: StreamRef = i >= 8 ? { name: kind.object } : { name: `stream_${i}` };
      return { ref, kind, object: i >= 8 ? undefined : kind.object };
    });
    const cat = catalog(
      streams.map((s) => ({ ...s.ref, ...(s.object ? { object: s.object } : {}), fields: Object.keys(s.kind.data('x')) })),
    );
    const perStream = 3;
    const messages: Array<Record<string, unknown>> = [];
    for (let j = 0; j < perStream; j++) streams.forEach((s, i) => messages.push(record(s.ref, s.kind.data(`MS-${i}-${j}`))));
    const states = streams.map((s, i) => streamState(s.ref, i, perStream));
    messages.push(...states, ...streams.map((s) => streamComplete(s.ref)));
    const r = await runWrite(config(), cat, messages);
    expectCleanExit(r);
    expectStatesEchoed(r, states.map((input) => ({ input, recordCount: perStream })));
    let landed = 0;
    streams.forEach((s, i) => {
      const rows = rowsBy(s.kind.object, s.kind.key, `MS-${i}-`);
      expect({ stream: i, keys: [...rows.keys()].sort() }).toEqual({ stream: i, keys: [0, 1, 2].map((j) => `MS-${i}-${j}`) });
      landed += rows.size;
    });
    expectNothingLost(r, streams.length * perStream, landed);
  });

  it('big records land whole; a value too long for its field is rejected, not truncated (testSyncVeryBigRecords)', async () => {
    const events: StreamRef = { name: 'big_events' };
    const accounts: StreamRef = { name: 'big_accounts' };
    const cat = catalog([
      { ...events, object: 'Order_Event__e', fields: ['Order_Number__c', 'Payload__c'] },
      { ...accounts, object: 'Account', fields: ['Ext_Id__c', 'Name', 'Description'] },
    ]);
    const payload100k = bigText(100_000, 'payload'); // Payload__c is textarea(131072)
    // Description is textarea(32000): exactly at the limit (BMP characters only, so UTF-16 units = code points).
    const tail = 'üé "q", end';
    const description32k = 'd'.repeat(32_000 - tail.length) + tail;
    const descriptionTooLong = 'D'.repeat(32_001);
    expect(description32k.length).toBe(32_000);
    const sEvents = streamState(events, 'e', 1);
    const sAccounts = streamState(accounts, 'a', 2);
    const messages = [
      record(events, { Order_Number__c: 'BIG-E-1', Payload__c: payload100k }),
      sEvents,
      record(accounts, { Ext_Id__c: 'BIG-A-1', Name: 'Big but fits', Description: description32k }),
      record(accounts, { Ext_Id__c: 'BIG-A-2', Name: 'Too long', Description: descriptionTooLong }),
      sAccounts,
    ];
    const r = await runWrite(config({ allow_failures: true }), cat, messages);
    expectCleanExit(r);
    expectStatesEchoed(r, [
      { input: sEvents, recordCount: 1 },
      { input: sAccounts, recordCount: 1, rejectedRecordCount: 1 },
    ]);
    const ev = rowsBy('Order_Event__e', 'Order_Number__c', 'BIG-');
    const acc = rowsBy('Account', 'Ext_Id__c', 'BIG-');
    expect([...ev.keys()]).toEqual(['BIG-E-1']);
    expect([...acc.keys()]).toEqual(['BIG-A-1']); // BIG-A-2 is not there, truncated or otherwise
    expect(ev.get('BIG-E-1')?.Payload__c).toBe(payload100k);
    expect(acc.get('BIG-A-1')?.Description).toBe(description32k);
    expect(r.stdout).not.toContain('D'.repeat(100)); // the rejected value is not logged
    expectNothingLost(r, 3, ev.size + acc.size, 1);
  });

  it('a value over Salesforce\'s 131,072-character field cap is rejected with allow_failures, and the sync goes on', async () => {
    // Regression: masking the value out of the log once built a RegExp from it, which V8 refuses at this
    // size ("Regular expression too large"): the sync died with a TRACE quoting the whole value.
    const events: StreamRef = { name: 'huge_events' };
    const cat = catalog([{ ...events, object: 'Order_Event__e', fields: ['Order_Number__c', 'Payload__c'] }]);
    const tooBig = 'p'.repeat(131_073);
    const state = streamState(events, 'e', 2);
    const messages = [
      record(events, { Order_Number__c: 'HUGE-1', Payload__c: tooBig }),
      record(events, { Order_Number__c: 'HUGE-2', Payload__c: 'small' }),
      state,
    ];
    const r = await runWrite(config({ allow_failures: true }), cat, messages);
    expect(r.stdout).not.toContain('p'.repeat(100)); // never the record's data in LOG/TRACE
    expectCleanExit(r);
    expectStatesEchoed(r, [{ input: state, recordCount: 1, rejectedRecordCount: 1 }]);
    const ev = rowsBy('Order_Event__e', 'Order_Number__c', 'HUGE-');
    expect([...ev.keys()]).toEqual(['HUGE-2']);
    expectNothingLost(r, 2, ev.size, 1);
  });

  describe.each([
    ['object_storage_config None', { object_storage_config: { storage_type: 'None' } }],
    ['no object_storage_config at all', { object_storage_config: undefined }],
  ])('rows Salesforce rejects are counted in rejectedRecordCount, never retried (DlqWriteTest): %s', (_label, storage) => {
    it('9 records, 4 rejected → one STATE with recordCount 5 and rejectedRecordCount 4', async () => {
      const cat = catalog([{ ...ACCOUNTS, object: 'Account', fields: { Ext_Id__c: { type: 'string' }, Name: { type: 'string' }, Rating: { type: 'string' }, NumberOfEmployees: { type: 'integer' } } }]);
      const good = [1, 2, 3, 4, 5].map((i) => record(ACCOUNTS, { Ext_Id__c: `DLQ-OK-${i}`, Name: `Fine ${i}`, Rating: 'Warm', NumberOfEmployees: i }));
      const bad = [
        record(ACCOUNTS, { Ext_Id__c: 'DLQ-BAD-1', Name: 'Bad picklist', Rating: 'Lukewarm' }), // restricted picklist
        record(ACCOUNTS, { Ext_Id__c: 'DLQ-BAD-2', Name: 'Bad picklist 2', Rating: 'Freezing' }),
        record(ACCOUNTS, { Ext_Id__c: 'DLQ-BAD-3', Name: 'Too many people', NumberOfEmployees: 123_456_789 }), // int(8)
        record(ACCOUNTS, { Ext_Id__c: 'DLQ-BAD-4', Rating: 'Hot' }), // Name is required
      ];
      const state = streamState(ACCOUNTS, 9, 9);
      const messages = [good[0], bad[0], good[1], bad[1], good[2], bad[2], good[3], bad[3], good[4], state];
      const cfg = config({ allow_failures: true, ...storage });
      if (storage.object_storage_config === undefined) delete cfg.object_storage_config;
      const r = await runWrite(cfg, cat, messages);
      expectCleanExit(r);
      expectStatesEchoed(r, [{ input: state, recordCount: 5, rejectedRecordCount: 4 }]);
      const rows = rowsBy('Account', 'Ext_Id__c', 'DLQ-');
      expect([...rows.keys()].sort()).toEqual(['DLQ-OK-1', 'DLQ-OK-2', 'DLQ-OK-3', 'DLQ-OK-4', 'DLQ-OK-5']);
      expect(r.stdout).not.toContain('Lukewarm'); // rejected values are not logged
      expectNothingLost(r, 9, rows.size, 4);
    });
  });

  it('fields the catalog or the object does not know do not fail the sync (testSyncNotFailsWithNewFields)', async () => {
    const cat = catalog([{ ...ACCOUNTS, object: 'Account', fields: ['Ext_Id__c', 'Name'] }]);
    const s1 = streamState(ACCOUNTS, 1, 1);
    const s2 = streamState(ACCOUNTS, 2, 1);
    const messages = [
      record(ACCOUNTS, { Ext_Id__c: 'NF-1', Name: 'Before the new field' }),
      s1,
      record(ACCOUNTS, { Ext_Id__c: 'NF-2', Name: 'After the new field', brand_new_column: 'x', Industry: 'Banking' }),
      s2,
    ];
    const r = await runWrite(config(), cat, messages);
    expectCleanExit(r);
    expectStatesEchoed(r, [{ input: s1, recordCount: 1 }, { input: s2, recordCount: 1 }], { globalOrder: true });
    const rows = rowsBy('Account', 'Ext_Id__c', 'NF-');
    expect(rows.get('NF-2')).toMatchObject({ Name: 'After the new field' });
    expectNothingLost(r, 2, rows.size);
  });

  describe.each([
    ['config action upsert on Ext_Id__c, append', { action: 'upsert', external_id_name: 'Ext_Id__c' }, {}],
    ['append_dedup with primary key Ext_Id__c', {}, { destinationSyncMode: 'append_dedup' as const, primaryKey: [['Ext_Id__c']] }],
  ])('a second sync of the same rows is idempotent (testSecondSync): %s', (_label, configExtra, streamExtra) => {
    it('updates in place: same Ids, no duplicates, changed values applied', async () => {
      const cat = catalog([{ ...ACCOUNTS, object: 'Account', fields: ['Ext_Id__c', 'Name', 'NumberOfEmployees'], ...streamExtra }]);
      const rows = (names: string[]): Array<Record<string, unknown>> =>
        names.map((name, i) => record(ACCOUNTS, { Ext_Id__c: `SS-${i}`, Name: name, NumberOfEmployees: i }));
      const first = ['One', 'Two', 'Three', 'Four', 'Five'];
      const s1 = streamState(ACCOUNTS, 'first', 5);
      const r1 = await runWrite(config(configExtra), cat, [...rows(first), s1]);
      expectCleanExit(r1);
      expectStatesEchoed(r1, [{ input: s1, recordCount: 5 }]);
      const after1 = rowsBy('Account', 'Ext_Id__c', 'SS-');
      expectNothingLost(r1, 5, after1.size);

      const second = ['One', 'Two (renamed)', 'Three', 'Four', 'Five'];
      const s2 = streamState(ACCOUNTS, 'second', 5);
      const r2 = await runWrite(config(configExtra), cat, [...rows(second), s2]);
      expectCleanExit(r2);
      expectStatesEchoed(r2, [{ input: s2, recordCount: 5 }]);
      const after2 = rowsBy('Account', 'Ext_Id__c', 'SS-');
      expect(sf.records('Account')).toHaveLength(5);
      expect([...after2.keys()].sort()).toEqual([...after1.keys()].sort());
      for (const [key, row] of after2) expect({ key, Id: row.Id }).toEqual({ key, Id: after1.get(key)?.Id });
      expect([...after2.values()].map((row) => row.Name).sort()).toEqual([...second].sort());
      expectNothingLost(r2, 5, after2.size);
    });
  });
});
