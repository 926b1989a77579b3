import { alignRows } from '../../src/write/csv-chunker';
import type { Cells } from '../../src/write/record-mapper';
import { collectResults, normalise, parseCsv } from '../../src/write/result-collector';

const types = new Map([
  ['Name', 'string'],
  ['NumberOfEmployees', 'int'],
  ['AnnualRevenue', 'currency'],
  ['Active__c', 'boolean'],
  ['Last_Synced__c', 'datetime'],
]);

describe('collectResults', () => {
  const columns = ['Name', 'NumberOfEmployees', 'AnnualRevenue'];
  const rows: Cells[] = [
    { Name: 'A', NumberOfEmployees: '10', AnnualRevenue: '912260031' },
    { Name: 'B', NumberOfEmployees: '20' },
    { Name: 'A', NumberOfEmployees: '10', AnnualRevenue: '912260031' },
    { Name: 'multi\nline, "quoted"', AnnualRevenue: '#N/A' },
    { Name: 'lost' },
  ];

  test('matches by content and header name, whatever the row and column order and number format', () => {
    const successful = Buffer.from(
      '"sf__Id","sf__Created",AnnualRevenue,Name,NumberOfEmployees\n' +
        '"001B","true","9.12260031E8","A","10"\n' +
        '"001D","true","","multi\nline, ""quoted""",""\n' +
        '"001A","true","9.12260031E8","A","10.0"\n',
    );
    const failed = Buffer.from('"sf__Id","sf__Error",Name,NumberOfEmployees,AnnualRevenue\n"","REQUIRED_FIELD_MISSING:Required fields are missing: [X]:X --","B","20",""\n');
    const out = collectResults({ columns, rows: alignRows(columns, rows), types }, { successful, failed });
    expect(out[0]).toMatchObject({ kind: 'loaded', created: true });
    expect(out[2]).toMatchObject({ kind: 'loaded', created: true });
    // identical rows are counted: both get one of the two ids
    expect([(out[0] as { id: string }).id, (out[2] as { id: string }).id].sort()).toEqual(['001A', '001B']);
    expect(out[1]).toEqual({ kind: 'failed', code: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [X]', fields: ['X'] });
    expect(out[3]).toMatchObject({ kind: 'loaded', id: '001D' });
    // a row no result accounts for is never counted as loaded
    expect(out[4]).toEqual({ kind: 'missing' });
  });

  test('unprocessed records of a failed job', () => {
    const unprocessed = Buffer.from('Name,NumberOfEmployees,AnnualRevenue\nB,20,\nlost,,\n');
    const out = collectResults({ columns, rows: alignRows(columns, rows), types }, { successful: Buffer.from('"sf__Id","sf__Created",Name\n'), failed: Buffer.from(''), unprocessed });
    expect(out.map((o) => o.kind)).toEqual(['missing', 'unprocessed', 'missing', 'missing', 'unprocessed']);
  });

  test('falls back to text columns when Salesforce rewrote other values', () => {
    const r = [{ Name: 'X', Last_Synced__c: '2024-01-01T00:00:00.000Z', Active__c: 'true' }];
    const successful = Buffer.from('"sf__Id","sf__Created",Name,Last_Synced__c,Active__c\n"001X","false","X","sometime","yes"\n');
    expect(collectResults({ columns: ['Name', 'Last_Synced__c', 'Active__c'], rows: alignRows(['Name', 'Last_Synced__c', 'Active__c'], r), types }, { successful })[0]).toEqual({ kind: 'loaded', id: '001X', created: false });
  });

  test('a result row is used once only', () => {
    const r = [{ Name: 'A' }, { Name: 'A' }];
    const successful = Buffer.from('"sf__Id","sf__Created",Name\n"001","true","A"\n');
    expect(collectResults({ columns: ['Name'], rows: alignRows(['Name'], r), types }, { successful }).map((o) => o.kind).sort()).toEqual(['loaded', 'missing']);
  });
});

test('normalise', () => {
  expect(normalise('double', '9.12260031E8')).toBe(normalise('double', '912260031'));
  expect(normalise('boolean', 'TRUE')).toBe('true');
  expect(normalise('datetime', '2024-01-01T00:00:00.000+0000')).toBe(normalise('datetime', '2024-01-01T00:00:00Z'));
  expect(normalise('string', '#N/A')).toBe('');
});

test('parseCsv: header-only and empty bodies', () => {
  expect(parseCsv(Buffer.from('"sf__Id","sf__Error",Id\n'))).toEqual({ header: ['sf__Id', 'sf__Error', 'Id'], rows: [] });
  expect(parseCsv(Buffer.from(''))).toEqual({ header: [], rows: [] });
});

describe('fuzzy pass with a record key', () => {
  test('a result row is only matched to an uploaded row naming the same record', () => {
    const uploaded = {
      columns: ['Ext__c', 'Name'],
      rows: [['C', 'x'], ['A', ' x']],
      types: new Map([['Ext__c', 'string'], ['Name', 'string']]),
      keyColumn: 'Ext__c',
    };
    const failed = Buffer.from('"sf__Id","sf__Error",Ext__c,Name\n"","FIELD_CUSTOM_VALIDATION_EXCEPTION:bad:--","A","x"\n');
    const successful = Buffer.from('"sf__Id","sf__Created",Ext__c,Name\n"001000000000001AAA","true","C","x"\n');
    const outcomes = collectResults(uploaded, { failed, successful });
    expect(outcomes[0]).toMatchObject({ kind: 'loaded' });
    expect(outcomes[1]).toMatchObject({ kind: 'failed', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' });
  });
});
