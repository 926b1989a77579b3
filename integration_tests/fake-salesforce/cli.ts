/**
 * `npm run fake-salesforce [-- --port N]`: starts the fake with a few sample Accounts, prints exactly one JSON line
 * `{"url": …, "config": {…}}` on stdout and serves until killed. Logs go to stderr.
 */
import { startFakeSalesforce } from './index';

function portArg(argv: string[]): number {
  const i = argv.findIndex((a) => a === '--port' || a.startsWith('--port='));
  if (i < 0) return 0;
  const arg = argv[i] as string;
  const value = arg.includes('=') ? arg.split('=')[1] : argv[i + 1];
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`fake-salesforce: invalid --port ${String(value)}\n`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const fake = await startFakeSalesforce({ port: portArg(process.argv.slice(2)) });
  fake.seed('Account', [
    { Name: 'Acme Corporation', Ext_Id__c: 'ACME-001', Industry: 'Technology', Rating: 'Hot', NumberOfEmployees: 1200, AnnualRevenue: 54000000 },
    { Name: 'Globex', Ext_Id__c: 'GLOBEX-002', Industry: 'Energy', Rating: 'Warm', NumberOfEmployees: 300 },
    { Name: 'Initech', Ext_Id__c: 'INITECH-003', Industry: 'Banking', Rating: 'Cold', Active__c: true },
  ]);
  process.stdout.write(JSON.stringify({ url: fake.url, config: fake.config }) + '\n');
  process.stderr.write(`fake-salesforce: listening on ${fake.url} (Ctrl-C to stop)\n`);
  const stop = () => {
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`fake-salesforce: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
