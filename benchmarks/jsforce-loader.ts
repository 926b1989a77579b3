/**
 * What a user could write instead of the connector, in a few lines: read the JSON lines, collect each
 * RECORD's data, and hand them to jsforce's `bulk2.loadAndWaitForResults` (one insert job per object, jsforce
 * builds the CSV, polls every second, and downloads every result). Nothing is tuned.
 *
 * Usage: node jsforce-loader.js <login.json> < messages.jsonl, login.json = {loginUrl, instanceUrl, clientId,
 * clientSecret, refreshToken} of the stand-in. Prints `{"rows":N,"successful":S,"failed":F}` on stdout.
 */
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { Connection } from '@jsforce/jsforce-node';

async function main(): Promise<void> {
  const login = JSON.parse(fs.readFileSync(process.argv[2] as string, 'utf8')) as { loginUrl: string; instanceUrl: string; clientId: string; clientSecret: string; refreshToken: string };
  const byObject = new Map<string, Array<Record<string, unknown>>>();
  for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line === '') continue;
    const m = JSON.parse(line) as { type: string; record?: { stream: string; data: Record<string, unknown> } };
    if (m.type !== 'RECORD' || !m.record) continue;
    const object = 'Account'; // every benchmark stream loads Account
    const list = byObject.get(object) ?? [];
    list.push(m.record.data);
    byObject.set(object, list);
  }
  const conn = new Connection({
    oauth2: { loginUrl: login.loginUrl, clientId: login.clientId, clientSecret: login.clientSecret },
    instanceUrl: login.instanceUrl,
    refreshToken: login.refreshToken,
    version: '62.0',
  });
  let rows = 0;
  let successful = 0;
  let failed = 0;
  for (const [object, input] of byObject) {
    rows += input.length;
    // pollTimeout raised from jsforce's 30 s so a slow modeled org does not time the job out.
    const res = await conn.bulk2.loadAndWaitForResults({ object, operation: 'insert', input, pollTimeout: 30 * 60_000 });
    successful += res.successfulResults.length;
    failed += res.failedResults.length;
  }
  process.stdout.write(JSON.stringify({ rows, successful, failed }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
