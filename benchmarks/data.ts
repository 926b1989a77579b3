/**
 * Input the benchmarks feed every process (connector, jsforce loader, floor): Airbyte RECORD/STATE lines in a
 * JSONL file, all valid for the stand-in's Account, written once per shape and reused across rounds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const INDUSTRIES = ['Banking', 'Energy', 'Retail', 'Technology', 'Healthcare', 'Media'];
const RATINGS = ['Hot', 'Warm', 'Cold'];

/** 12 columns, ~320 bytes of CSV: text with a comma, quotes, a newline and non-ASCII; numbers; a boolean; dates. */
export function wideRow(i: number): Record<string, unknown> {
  return {
    Name: `Account ${i}, "bench"`,
    Ext_Id__c: `B-${i}`,
    AccountNumber: `AN-${(i * 7919) % 1_000_000}`,
    Industry: INDUSTRIES[i % INDUSTRIES.length],
    Rating: RATINGS[i % RATINGS.length],
    NumberOfEmployees: i % 5000,
    AnnualRevenue: i * 10.5,
    Description: `Line one of ${i}\nline two with unicode é😀 and a longer tail of text, as CRM notes have`,
    Website: `https://example.com/accounts/${i}`,
    Active__c: i % 2 === 0,
    Founded__c: '2001-02-03',
    Last_Synced__c: '2024-05-06T07:08:09.123Z',
  };
}

/** 3 short columns (~25 bytes of CSV): many rows per MB, the worst case for per-row overhead. */
export function narrowRow(i: number): Record<string, unknown> {
  return { Name: `A${i}`, AccountNumber: `N${i}`, NumberOfEmployees: i % 1000 };
}

export type Width = 'wide' | 'narrow';

export interface InputShape {
  rows: number;
  width: Width;
  /** Streams the rows are dealt to round-robin (all written to Account); 1 = the stream "Account". */
  streams: number;
}

export interface InputFile extends InputShape {
  file: string;
  bytes: number;
  streamNames: string[];
  /** STATE messages in the file (one per 10,000 rows and one at the end). */
  states: number;
}

export const shapeLabel = (s: InputShape): string =>
  `${s.rows.toLocaleString('en-US')} ${s.width}${s.streams > 1 ? ` × ${s.streams} streams` : ''}`;

function streamNames(streams: number): string[] {
  return streams === 1 ? ['Account'] : Array.from({ length: streams }, (_, k) => `accounts_${String(k).padStart(2, '0')}`);
}

/** Airbyte configured catalog for the input's streams: every stream loads Account. */
export function catalog(input: InputFile): Record<string, unknown> {
  return {
    streams: input.streamNames.map((name) => ({
      stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] },
      sync_mode: 'incremental',
      destination_sync_mode: 'append',
      ...(name === 'Account' ? {} : { destination_object_name: 'Account' }),
    })),
  };
}

const cache = new Map<string, InputFile>();

/** Writes (or reuses) the JSONL file for a shape: rows dealt to streams round-robin, a STATE every 10,000 rows. */
export function prepareInput(workDir: string, shape: InputShape, stateEvery = 10_000): InputFile {
  const id = `${shape.rows}-${shape.width}-${shape.streams}`;
  const hit = cache.get(id);
  if (hit && fs.existsSync(hit.file)) return hit;
  const file = path.join(workDir, `input-${id}.jsonl`);
  const names = streamNames(shape.streams);
  const row = shape.width === 'wide' ? wideRow : narrowRow;
  const fd = fs.openSync(file, 'w');
  let states = 0;
  let batch: string[] = [];
  try {
    for (let i = 0; i < shape.rows; i++) {
      const stream = names[i % names.length] as string;
      batch.push(JSON.stringify({ type: 'RECORD', record: { stream, data: row(i), emitted_at: 1_700_000_000_000 } }));
      if ((i + 1) % stateEvery === 0 || i === shape.rows - 1) {
        batch.push(JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: { cursor: i + 1 } } } }));
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
  const input: InputFile = { ...shape, file, bytes: fs.statSync(file).size, streamNames: names, states };
  cache.set(id, input);
  return input;
}

/** Deletes a cached input file (the 1M-row files are large). */
export function dropInput(input: InputFile): void {
  fs.rmSync(input.file, { force: true });
  for (const [k, v] of cache) if (v === input) cache.delete(k);
}
