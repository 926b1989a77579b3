/**
 * `npm run demo`: a first look at the connector, entirely local.
 *
 * Starts the Salesforce stand-in (with a realistic processing delay) and an S3 stand-in (s3rver),
 * pipes ten Account rows and two STATEs through the real CLI (`node dist/src/main.js write`) as
 * Airbyte would, then shows what landed in Salesforce, what was rejected into the bucket, and the
 * STATEs the connector echoed back with their counts.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startFakeSalesforce, type FakeSalesforce } from '../integration_tests/fake-salesforce';
import { startS3rver, type S3Fixture } from '../integration_tests/helpers/s3';

const MAIN = path.resolve(__dirname, '..', 'src', 'main.js');
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const heading = (s: string) => console.log(`\n${bold(`== ${s} ==`)}`);

type Row = Record<string, unknown>;
const record = (data: Row) => ({ type: 'RECORD', record: { stream: 'accounts', data, emitted_at: Date.now() } });
const state = (id: number, cursor: string, recordCount: number) => ({
  type: 'STATE',
  state: { type: 'STREAM', stream: { stream_descriptor: { name: 'accounts' }, stream_state: { cursor } }, id, sourceStats: { recordCount } },
});

/** The sample input: mostly valid rows, two Salesforce will reject, one null that clears a field. */
const INPUT = [
  record({ Ext_Id__c: 'ACME-001', Name: 'Acme Corp', Industry: 'Technology', Rating: 'Hot', NumberOfEmployees: 1200 }),
  record({ Ext_Id__c: 'ACME-002', Name: 'Globex', Industry: 'Energy', Rating: 'Warm' }),
  record({ Ext_Id__c: 'ACME-003', Name: 'Initech', NumberOfEmployees: 85 }),
  record({ Ext_Id__c: 'ACME-004', Industry: 'Retail', Description: 'no Name: Salesforce requires one' }),
  record({ Ext_Id__c: 'ACME-005', Name: 'Umbrella', Rating: 'Lukewarm' }), // not in the restricted picklist
  state(1, '2024-05-01', 5),
  record({ Ext_Id__c: 'ACME-006', Name: 'Hooli', Industry: 'Technology', Rating: 'Cold' }),
  record({ Ext_Id__c: 'ACME-007', Name: 'Stark Industries', NumberOfEmployees: 5000 }),
  record({ Ext_Id__c: 'ACME-008', Name: 'Wayne Enterprises', Description: null }), // null clears the existing Description
  record({ Ext_Id__c: 'ACME-009', Name: 'Soylent', Rating: 'Warm' }),
  record({ Ext_Id__c: 'ACME-010', Name: 'Tyrell Corp', Industry: 'Technology' }),
  state(2, '2024-05-02', 5),
];

function table(rows: Row[], columns: string[]): void {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => `  ${vals.map((v, i) => v.padEnd(width[i] as number)).join('  ')}`;
  console.log(line(columns));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(columns.map((c) => cell(r[c]))));
}

/** Runs the CLI like the Airbyte platform does; prints its LOG lines as they arrive, collects STATEs. */
function runConnector(configPath: string, catalogPath: string): Promise<{ code: number | null; states: Row[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, 'write', '--config', configPath, '--catalog', catalogPath], { stdio: ['pipe', 'pipe', 'inherit'] });
    const states: Row[] = [];
    let rest = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines.filter((l) => l.trim() !== '')) {
        const msg = JSON.parse(line) as Row & { log?: Row; state?: Row; trace?: Row & { error?: Row } };
        if (msg.type === 'LOG') {
          const [first, ...more] = String(msg.log?.message).split('\n');
          console.log(`  ${String(msg.log?.level).padEnd(5)} ${first}`);
          for (const m of more) console.log(`        ${m}`);
        } else if (msg.type === 'STATE' && msg.state) {
          states.push(msg.state);
          console.log(dim(`  STATE id=${String(msg.state.id)} echoed`));
        } else if (msg.type === 'TRACE' && msg.trace?.error) {
          console.log(`  ERROR ${String(msg.trace.error.message)}`);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, states }));
    child.stdin.end(INPUT.map((m) => JSON.stringify(m)).join('\n') + '\n');
  });
}

async function main(): Promise<number> {
  let fake: FakeSalesforce | undefined;
  let s3: S3Fixture | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsf-demo-'));
  try {
    heading('Starting local stand-ins');
    // Jobs wait ~1 s before processing and then process 20 rows/s: slow enough to see the polling.
    fake = await startFakeSalesforce({ processingDelayMs: 1000, recordsPerSecond: 20 });
    s3 = await startS3rver('demo-rejects');
    fake.seed('Account', [{ Name: 'Wayne Enterprises', Ext_Id__c: 'ACME-008', Description: 'Old description, cleared by the sync' }]);
    console.log(`  Salesforce stand-in  login ${fake.loginUrl}, instance ${fake.instanceUrl}  (Account ACME-008 already exists, with a Description)`);
    console.log(`  S3 stand-in (s3rver) ${s3.endpoint}  bucket "${s3.bucket}"`);

    const config = {
      ...fake.config,
      action: 'upsert',
      external_id_name: 'Ext_Id__c',
      table_name: 'Account',
      allow_failures: true,
      object_storage_config: s3.storage('salesforce-rejects'),
    };
    const catalog = {
      streams: [{
        stream: { name: 'accounts', json_schema: { type: 'object', properties: {} }, supported_sync_modes: ['incremental'] },
        sync_mode: 'incremental', destination_sync_mode: 'append', sync_id: 1001, generation_id: 1, minimum_generation_id: 0,
      }],
    };
    const configPath = path.join(dir, 'config.json');
    const catalogPath = path.join(dir, 'catalog.json');
    fs.writeFileSync(configPath, JSON.stringify(config, null, 2));
    fs.writeFileSync(catalogPath, JSON.stringify(catalog, null, 2));
    console.log(`  config + catalog in  ${dir}`);
    console.log(`  upsert into Account on Ext_Id__c, allow_failures true, rejected rows to s3://${s3.bucket}/salesforce-rejects/`);

    heading(`Running: node dist/src/main.js write --config config.json --catalog catalog.json  (${INPUT.length} messages on stdin)`);
    const { code, states } = await runConnector(configPath, catalogPath);
    console.log(`  exit code ${String(code)}`);

    heading('In Salesforce now (Account)');
    const accounts = fake.records('Account').sort((a, b) => String(a.Ext_Id__c).localeCompare(String(b.Ext_Id__c)));
    table(accounts, ['Ext_Id__c', 'Name', 'Industry', 'Rating', 'NumberOfEmployees', 'Description']);
    const wayne = accounts.find((a) => a.Ext_Id__c === 'ACME-008');
    console.log(dim(`\n  ACME-008 existed with a Description; the null in the input cleared it: Description = ${JSON.stringify(wayne?.Description)}`));

    heading(`Rejected rows in s3://${s3.bucket}/`);
    for (const key of await s3.listKeys()) {
      console.log(`  ${key}`);
      const rows = (await s3.getText(key)).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Row & { record: { data: Row } });
      table(rows.map((r) => ({ ext: r.record.data.Ext_Id__c, code: r.error_code, message: r.error_message, job: r.job_id ?? '(before upload)' })),
        ['ext', 'code', 'message', 'job']);
    }

    heading('STATEs echoed to Airbyte');
    table(states.map((s) => {
      const dest = s.destinationStats as Row;
      return { id: s.id, source: (s.sourceStats as Row).recordCount, loaded: dest.recordCount, rejected: dest.rejectedRecordCount };
    }), ['id', 'source', 'loaded', 'rejected']);
    console.log(dim('\n  source = records the source sent before the state; loaded + rejected add up to it.'));
    return code === 0 && states.length === 2 ? 0 : 1;
  } finally {
    await fake?.close();
    await s3?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
