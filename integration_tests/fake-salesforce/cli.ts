/**
 * `npm run fake-salesforce [-- --port N] [--instance-port M]`: starts the fake with a few sample Accounts, prints exactly
 * one JSON line `{"loginUrl": …, "instanceUrl": …, "config": {…}}` on stdout and serves until killed. Logs go to stderr.
 * `config.domain` is the login host; data calls go to the instance host the token's instance_url names.
 */
import { startFakeSalesforce } from './index';

function portArg(argv: string[], name: string): number {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return 0;
  const arg = argv[i] as string;
  const value = arg.includes('=') ? arg.split('=')[1] : argv[i + 1];
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`fake-salesforce: invalid ${name} ${String(value)}\n`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const fake = await startFakeSalesforce({ port: portArg(argv, '--port'), instancePort: portArg(argv, '--instance-port') });
  fake.seed('Account', [
    { Name: 'Acme Corporation', Ext_Id__c: 'ACME-001', Industry: 'Technology', Rating: 'Hot', NumberOfEmployees: 1200, AnnualRevenue: 54000000 },
    { Name: 'Globex', Ext_Id__c: 'GLOBEX-002', Industry: 'Energy', Rating: 'Warm', NumberOfEmployees: 300 },
    { Name: 'Initech', Ext_Id__c: 'INITECH-003', Industry: 'Banking', Rating: 'Cold', Active__c: true },
  ]);
  process.stdout.write(JSON.stringify({ loginUrl: fake.loginUrl, instanceUrl: fake.instanceUrl, config: fake.config }) + '\n');
  process.stderr.write(
    `fake-salesforce: login host ${fake.loginUrl} (OAuth, SOAP login; the config's domain), ` +
      `instance ${fake.instanceUrl} (data calls) (Ctrl-C to stop)\n`,
  );
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
