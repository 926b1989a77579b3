import { maskValues, MASK } from '../../src/rejects/mask-values';
import { RejectSummary } from '../../src/rejects/reject-summary';

describe('RejectSummary', () => {
  test('counts per code, keeps the first example, sorts by count', () => {
    const s = new RejectSummary();
    s.add('REQUIRED_FIELD_MISSING', 'Required fields are missing: [Name]');
    s.add('ENTITY_IS_DELETED', 'entity is deleted');
    s.add('REQUIRED_FIELD_MISSING', 'Required fields are missing: [Email]');
    expect(s.total).toBe(3);
    expect(s.counts()).toEqual([
      { code: 'REQUIRED_FIELD_MISSING', count: 2, example: 'Required fields are missing: [Name]' },
      { code: 'ENTITY_IS_DELETED', count: 1, example: 'entity is deleted' },
    ]);
    expect(s.summaryLines()).toEqual([
      'REQUIRED_FIELD_MISSING: 2 rows (e.g. "Required fields are missing: [Name]")',
      'ENTITY_IS_DELETED: 1 row (e.g. "entity is deleted")',
    ]);
  });

  test('examples never carry record values', () => {
    const s = new RejectSummary();
    const data = { Name: 'Jane Secretperson', Phone: '+1 555 0100', Age: 42, nested: { email: 'jane@example.com' } };
    s.add('STRING_TOO_LONG', 'Account Name: data value too large: Jane Secretperson (max length=5)', data);
    s.add('FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Email jane@example.com is blocked, age 42', data);
    const text = s.summaryLines().join('\n');
    expect(text).not.toContain('Secretperson');
    expect(text).not.toContain('jane@example.com');
    expect(text).not.toMatch(/\b42\b/);
    expect(text).toContain('(max length=5)');
  });
});

describe('maskValues', () => {
  test.each([
    ['Account Name: data value too large: ABCDEFGHIJ (max length=5)', 'Account Name: data value too large: <value> (max length=5)'],
    ['Rating: bad value for restricted picklist field: Terrible', 'Rating: bad value for restricted picklist field: <value>'],
    ['Employees: value not of required type: lots', 'Employees: value not of required type: <value>'],
    ['Account ID: id value of incorrect type: 12345', 'Account ID: id value of incorrect type: <value>'],
    ['Duplicate external id specified: ext-1', 'Duplicate external id specified: <value>'],
    ['Foreign key external ID: 0116 not found for field X__c', 'Foreign key external ID: <value> not found for field X__c'],
    [
      'duplicate value found: Ext__c duplicates value on record with id: 006Ov000004iYzqIAE',
      'duplicate value found: Ext__c duplicates value on record with id: <value>',
    ],
  ])('%s', (input, expected) => {
    expect(maskValues(input, {})).toBe(expected);
  });

  test('short values only as whole tokens', () => {
    expect(maskValues('max length=300, got 30', { n: 30 })).toBe(`max length=300, got ${MASK}`);
  });
});
