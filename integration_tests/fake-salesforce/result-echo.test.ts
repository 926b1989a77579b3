/** The resultEcho knob: result CSVs as uploaded vs normalised per field type (README "Result echo"). */
import { lines, runJob, useFake } from './test-helpers';

const { fake, token } = useFake({ processingDelayMs: 5, resultOrder: 'upload' });
beforeEach(() => {
  fake.set({ resultEcho: 'as-uploaded' });
});

const HEADER = 'Name,Industry,NumberOfEmployees,AnnualRevenue,Active__c,Last_Synced__c,Founded__c,Description,OwnerId';

describe('normalised', () => {
  it('rewrites values per field type in successfulResults', async () => {
    fake.set({ resultEcho: 'normalised' });
    const owner15 = fake.records('User')[0]?.Id?.toString().slice(0, 15) ?? '';
    const csv = `${HEADER}\nAcme,technology,+0042,912260031,1,2024-01-02T03:04:05+01:00,2024-02-03,#N/A,${owner15}\n`;
    const run = await runJob(fake, token(), { object: 'Account', operation: 'insert' }, csv);
    const owner18 = String(fake.records('User')[0]?.Id);
    expect(lines(run.success)[0]).toBe(`"sf__Id","sf__Created",${HEADER}`);
    expect(lines(run.success)[1]?.split('","').slice(2).join('","')).toBe(
      `Acme","Technology","42","9.12260031E8","true","2024-01-02T02:04:05.000+0000","2024-02-03","","${owner18}"`,
    );
  });

  it('sorts failedResults data columns alphabetically after sf__Id/sf__Error and keeps refused values as uploaded', async () => {
    fake.set({ resultEcho: 'normalised' });
    const run = await runJob(fake, token(), { object: 'Account', operation: 'insert' }, 'Rating,Name,Active__c\nBad,Acme,0\n');
    expect(lines(run.failed)).toEqual([
      '"sf__Id","sf__Error",Active__c,Name,Rating',
      '"","INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:Account Rating: bad value for restricted picklist field: Bad:Rating --","false","Acme","Bad"',
    ]);
  });

  it('shuffles rows (deterministically) even when resultOrder is upload; unprocessed values stay as uploaded', async () => {
    fake.set({ resultEcho: 'normalised' });
    const names = Array.from({ length: 40 }, (_, i) => `N${i}`);
    const run = await runJob(fake, token(), { object: 'Account', operation: 'insert' }, `Name\n${names.join('\n')}\n`);
    const echoed = lines(run.success).slice(1).map((l) => l.split('","')[2]?.replace(/"$/, ''));
    expect([...echoed].sort()).toEqual([...names].sort());
    expect(echoed).not.toEqual(names);
  });
});

describe('as-uploaded (default)', () => {
  it('echoes values as uploaded (but doubles in successfulResults) in upload column order', async () => {
    const csv = 'Rating,Name,AnnualRevenue,Active__c\nHot,Acme,912260031,1\nBad,B,5,0\n';
    const run = await runJob(fake, token(), { object: 'Account', operation: 'insert' }, csv);
    expect(lines(run.success)[1]?.split('","').slice(2).join('","')).toBe('Hot","Acme","9.12260031E8","1"');
    expect(lines(run.failed)[0]).toBe('"sf__Id","sf__Error",Rating,Name,AnnualRevenue,Active__c');
    expect(lines(run.failed)[1]).toMatch(/"Bad","B","5","0"$/);
  });
});
