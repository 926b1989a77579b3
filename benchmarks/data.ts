/** Input rows and catalogs the benchmarks feed the connector (all valid for the stand-in's Account). */
import * as fs from 'node:fs';

const INDUSTRIES = ['Banking', 'Energy', 'Retail', 'Technology', 'Healthcare', 'Media'];
const RATINGS = ['Hot', 'Warm', 'Cold'];

/** ~11 columns, ~260 bytes of CSV: text with a comma, quotes, a newline and non-ASCII; numbers; a boolean; dates. */
export function wideRow(i: number, variant = 0): Record<string, unknown> {
  return {
    Name: `Account ${i}, "bench"`,
    Ext_Id__c: `B-${i}`,
    AccountNumber: `AN-${(i * 7919) % 1_000_000}`,
    Industry: INDUSTRIES[i % INDUSTRIES.length],
    Rating: RATINGS[(i + variant) % RATINGS.length],
    NumberOfEmployees: (i + variant) % 5000,
    AnnualRevenue: i * 10.5 + variant,
    Description: `Line one of ${i}\nline two with unicode é😀${variant ? ` (v${variant})` : ''}`,
    Website: `https://example.com/a/${i}`,
    Active__c: (i + variant) % 2 === 0,
    Founded__c: '2001-02-03',
    Last_Synced__c: '2024-05-06T07:08:09.123Z',
  };
}

/** 3 short columns (~25 bytes of CSV): many rows per MB, for the memory check. */
export function smallRow(i: number): Record<string, unknown> {
  return { Name: `A${i}`, AccountNumber: `N${i}`, NumberOfEmployees: i % 1000 };
}

export function catalog(mode: 'append' | 'append_dedup'): Record<string, unknown> {
  return {
    streams: [
      {
        stream: { name: 'Account', json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] },
        sync_mode: 'incremental',
        destination_sync_mode: mode,
        ...(mode === 'append_dedup' ? { primary_key: [['Ext_Id__c']] } : {}),
      },
    ],
  };
}

/**
 * Writes `rows` RECORD lines (a STATE every `stateEvery` rows and one at the end) to `file`, as an
 * Airbyte source would send them; returns the number of STATE messages.
 */
export function writeInput(file: string, rows: number, row: (i: number) => Record<string, unknown>, stateEvery = 10_000): number {
  const fd = fs.openSync(file, 'w');
  let states = 0;
  let batch: string[] = [];
  const state = (n: number) =>
    JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'Account' }, stream_state: { cursor: n } } } });
  try {
    for (let i = 0; i < rows; i++) {
      batch.push(JSON.stringify({ type: 'RECORD', record: { stream: 'Account', data: row(i), emitted_at: 1_700_000_000_000 } }));
      if ((i + 1) % stateEvery === 0 || i === rows - 1) {
        batch.push(state(i + 1));
        states += 1;
      }
      if (batch.length >= 5000) {
        fs.writeSync(fd, batch.join('\n') + '\n');
        batch = [];
      }
    }
    if (batch.length) fs.writeSync(fd, batch.join('\n') + '\n');
  } finally {
    fs.closeSync(fd);
  }
  return states;
}
