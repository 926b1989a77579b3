/**
 * Issue 15: `dry_run: true` signs in, describes, maps and checks every row, and writes nothing:
 * the stand-in sees no ingest job and no DML, no STATE is echoed, the exit is 0 even with
 * allow_failures false. A LOG per stream says how many rows would be sent and which would be
 * rejected and why; the rejects store gets those rows marked "dry_run": true. The same rows sent for
 * real are rejected by the stand-in with the codes the dry run predicted.
 */
import { S3RVER_KEY } from '../helpers/s3';
import { useFakeAndBucket } from '../helpers/test-env';
import { expectNoLeaks, secretValues } from '../cli/cli-checks';
import { readRejects } from '../rejects-cli/rejects-cli-helpers';
import { cancelWrite } from './cancel-helpers';
import { catalog, explain, record, runWrite, startFake, streamState, type Msg } from './write-helpers';

const { fake, s3 } = useFakeAndBucket({ start: startFake, bucket: 'dry-run' });

/** DML and job routes: none may be called by a dry run. */
const WRITES = /^(ingest\.|collections\.|sobject\.create)/;

function input(leadId: string): Msg[] {
  return [
    record('Account', { Name: 'Fine', Rating: 'Hot' }), // line 1
    record('Account', { Description: 'no name' }), // 2: required field missing
    record('Account', { Name: 'Lukewarm Inc', Rating: 'Lukewarm' }), // 3: restricted picklist
    record('Account', { Name: 'Many', NumberOfEmployees: 'many' }), // 4: not an integer
    record('Account', { Name: 'Long', AccountNumber: 'N'.repeat(41) }), // 5: too long
    streamState('Account', 1, 5),
    record('Contact', { LastName: 'Ok' }), // 7
    record('Contact', { LastName: 'Wrong parent', AccountId: leadId }), // 8: a Lead id in an Account lookup
    record('Contact', { FirstName: 'No last name' }), // 9: required field missing
    streamState('Contact', 1, 3),
  ];
}

test('a dry run writes nothing, echoes no state, exits 0 and reports the rows that would fail', async () => {
  const [leadId] = fake.seed('Lead', [{ LastName: 'L', Company: 'C' }]);
  const run = await runWrite(fake, {
    config: { dry_run: true, allow_failures: false, object_storage_config: s3.storage('dry') },
    catalog: catalog(['Account', 'Contact']),
    messages: input(leadId as string),
  });
  expect({ code: run.result.code, why: run.result.code === 0 ? '' : explain(run) }).toEqual({ code: 0, why: '' });
  expect(run.errors).toEqual([]);
  expect(run.states).toEqual([]);

  // The stand-in saw sign-in, limits and describes only: no job, no DML, nothing stored.
  expect(fake.jobs()).toEqual([]);
  expect(fake.requests().filter((r) => WRITES.test(r.route))).toEqual([]);
  expect(fake.records('Account')).toEqual([]);
  expect(fake.records('Contact')).toEqual([]);

  // The report, per stream.
  const account = run.logs.find((l) => l.startsWith('Dry run, stream Account'));
  expect(account?.split('\n')).toEqual([
    'Dry run, stream Account → Account (insert): 5 rows read, 1 would be sent, 4 would be rejected ' +
      '(REQUIRED_FIELD_MISSING: 1, INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 1, DESTINATION_TYPECAST_ERROR: 1, DESTINATION_FIELD_SIZE_LIMITATION: 1).',
    'Rows that would be rejected:',
    '- input line 2: REQUIRED_FIELD_MISSING (Name): Required fields are missing: [Name]',
    '- input line 3: INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST (Rating): Account Rating: the value is not an active value of this restricted picklist',
    expect.stringMatching(/^- input line 4: DESTINATION_TYPECAST_ERROR \(NumberOfEmployees\): /),
    expect.stringMatching(/^- input line 5: DESTINATION_FIELD_SIZE_LIMITATION \(AccountNumber\): .*41 characters; the limit is 40/),
  ]);
  const contact = run.logs.find((l) => l.startsWith('Dry run, stream Contact'));
  expect(contact?.split('\n')).toEqual([
    'Dry run, stream Contact → Contact (insert): 3 rows read, 1 would be sent, 2 would be rejected (FIELD_INTEGRITY_EXCEPTION: 1, REQUIRED_FIELD_MISSING: 1).',
    'Rows that would be rejected:',
    '- input line 8: FIELD_INTEGRITY_EXCEPTION (AccountId): Account ID: the id is of another object than Account',
    '- input line 9: REQUIRED_FIELD_MISSING (LastName): Required fields are missing: [LastName]',
  ]);
  // Record values never reach the log.
  expect(run.logs.join('\n')).not.toMatch(/Lukewarm|many|NNNN|Wrong parent/);

  // The rejects store holds the same rows, marked as a dry run.
  const stored = await readRejects(s3);
  expect(stored.map((d) => `${d.stream}:${d.error_code}:${d.dry_run}`).sort()).toEqual([
    'Account:DESTINATION_FIELD_SIZE_LIMITATION:true',
    'Account:DESTINATION_TYPECAST_ERROR:true',
    'Account:INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:true',
    'Account:REQUIRED_FIELD_MISSING:true',
    'Contact:FIELD_INTEGRITY_EXCEPTION:true',
    'Contact:REQUIRED_FIELD_MISSING:true',
  ]);
  expectNoLeaks(run.result, secretValues([fake.credentials.clientSecret, fake.credentials.refreshToken, S3RVER_KEY]));
});

test('the same rows sent for real are rejected with the codes the dry run predicted, the others loaded', async () => {
  const [leadId] = fake.seed('Lead', [{ LastName: 'L', Company: 'C' }]);
  const messages = input(leadId as string);
  const opts = { catalog: catalog(['Account', 'Contact']), messages };
  const dry = await runWrite(fake, { ...opts, config: { dry_run: true, object_storage_config: s3.storage('dry') } });
  expect(dry.result.code).toBe(0);
  const real = await runWrite(fake, { ...opts, config: { allow_failures: true, object_storage_config: s3.storage('real') } });
  expect({ code: real.result.code, why: real.result.code === 0 ? '' : explain(real) }).toEqual({ code: 0, why: '' });
  const byName = (prefix: string) => async () =>
    (await readRejects(s3, prefix)).map((d) => `${JSON.stringify(d.record.data)} → ${d.error_code}`).sort();
  expect(await byName('real/')()).toEqual(await byName('dry/')());
  expect(fake.records('Account').map((r) => r.Name)).toEqual(['Fine']);
  expect(fake.records('Contact').map((r) => r.LastName)).toEqual(['Ok']);
});

test('a cancelled dry run stops reading, reports the rows it read and ends with a transient error, still writing nothing', async () => {
  const [leadId] = fake.seed('Lead', [{ LastName: 'L', Company: 'C' }]);
  const run = await cancelWrite(fake, {
    config: { dry_run: true, object_storage_config: s3.storage('dry-cancel') },
    catalog: catalog(['Account', 'Contact']),
    messages: input(leadId as string), // stdin stays open: the source is still running
    signal: 'SIGTERM',
    // Every row read and checked: the rejects store has the last stream's rows.
    when: () => fake.requests().some((r) => r.route === 'sobjects.describe' && r.path.includes('/Contact/')),
  });
  expect(run.result.code).toBe(1);
  expect(run.errors).toEqual([
    expect.objectContaining({ failure_type: 'transient_error', message: expect.stringContaining('The dry run was cancelled (SIGTERM)') }),
  ]);
  expect(run.logs.join('\n')).toContain('Received SIGTERM: the dry run reads no more input');
  expect(run.logs.join('\n')).toContain('Dry run finished: nothing was written to Salesforce');
  expect(run.states).toEqual([]);
  expect(fake.jobs()).toEqual([]);
  expect(fake.requests().filter((r) => WRITES.test(r.route))).toEqual([]);
  expectNoLeaks(run.result, secretValues([fake.credentials.clientSecret, fake.credentials.refreshToken, S3RVER_KEY]));
});
