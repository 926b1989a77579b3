import { parseSfError, UNKNOWN_SF_ERROR } from '../../src/rejects/sf-error';

describe('parseSfError (salesforce-api.md §4.4)', () => {
  const cases: Array<[string, string, string, string[]]> = [
    ['REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --', 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Name]', ['Name']],
    ['REQUIRED_FIELD_MISSING:Required fields are missing: [A, B]:A,B --', 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [A, B]', ['A', 'B']],
    [
      'DUPLICATE_VALUE:duplicate value found: ID_from_HPC__c duplicates value on record with id: 006Ov000004iYzqIAE:--',
      'DUPLICATE_VALUE',
      'duplicate value found: ID_from_HPC__c duplicates value on record with id: 006Ov000004iYzqIAE',
      [],
    ],
    ['ENTITY_IS_DELETED:entity is deleted:--', 'ENTITY_IS_DELETED', 'entity is deleted', []],
    ['INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--', 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []],
    [
      'UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record or 200 records: 001xx000003DGb2AAG:--',
      'UNABLE_TO_LOCK_ROW',
      'unable to obtain exclusive access to this record or 200 records: 001xx000003DGb2AAG',
      [],
    ],
    [
      'INVALID_FIELD:Foreign key external ID: 0116 not found for field Invoice_External_Id__c in entity blng__Invoice__c:--',
      'INVALID_FIELD',
      'Foreign key external ID: 0116 not found for field Invoice_External_Id__c in entity blng__Invoice__c',
      [],
    ],
    [
      'INVALID_FIELD_FOR_INSERT_UPDATE:Unable to create/update fields: Name. Please check the security settings of this field and verify that it is read/write for your profile or permission set.:Name --',
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      'Unable to create/update fields: Name. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
      ['Name'],
    ],
    [
      'STRING_TOO_LONG:Account Name: data value too large: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA (max length=80):Name --',
      'STRING_TOO_LONG',
      'Account Name: data value too large: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA (max length=80)',
      ['Name'],
    ],
    [
      'INVALID_TYPE_ON_FIELD_IN_RECORD:Employees: value not of required type: lots:NumberOfEmployees --',
      'INVALID_TYPE_ON_FIELD_IN_RECORD',
      'Employees: value not of required type: lots',
      ['NumberOfEmployees'],
    ],
    [
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:Rating: bad value for restricted picklist field: Terrible:Rating__c --',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'Rating: bad value for restricted picklist field: Terrible',
      ['Rating__c'],
    ],
    [
      'FIELD_CUSTOM_VALIDATION_EXCEPTION:Close date must be in the future:CloseDate --',
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      'Close date must be in the future',
      ['CloseDate'],
    ],
    ['FIELD_CUSTOM_VALIDATION_EXCEPTION:Region is required: pick one: --', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Region is required: pick one', []],
    [
      'MALFORMED_ID:Account ID: id value of incorrect type: 12345:AccountId --',
      'MALFORMED_ID',
      'Account ID: id value of incorrect type: 12345',
      ['AccountId'],
    ],
    ['DUPLICATE_VALUE:Duplicate external id specified: ext-1:--', 'DUPLICATE_VALUE', 'Duplicate external id specified: ext-1', []],
    [
      'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY:MyTrigger: execution of BeforeInsert caused by: System.NullPointerException:--',
      'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
      'MyTrigger: execution of BeforeInsert caused by: System.NullPointerException',
      [],
    ],
    ['INSUFFICIENT_ACCESS_OR_READONLY:insufficient access rights on object id:--', 'INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', []],
    ['DUPLICATE_EXTERNAL_ID:Ext__c: more than one record found for external id field: [001A, 001B]:Ext__c --', 'DUPLICATE_EXTERNAL_ID', 'Ext__c: more than one record found for external id field: [001A, 001B]', ['Ext__c']],
  ];

  test.each(cases)('%s', (text, code, message, fields) => {
    expect(parseSfError(text)).toEqual({ code, message, fields });
  });

  test('trailer without a space and multi-line messages', () => {
    expect(parseSfError('FIELD_CUSTOM_VALIDATION_EXCEPTION:line one\nline: two:Name,Email--')).toEqual({
      code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'line one\nline: two',
      fields: ['Name', 'Email'],
    });
  });

  test('text without the trailer keeps everything after the code as the message', () => {
    expect(parseSfError('INVALID_FIELD:Foreign key external ID: 0116 not found')).toEqual({
      code: 'INVALID_FIELD',
      message: 'Foreign key external ID: 0116 not found',
      fields: [],
    });
  });

  test('a last segment that is not API names stays in the message', () => {
    expect(parseSfError('SOME_ERROR:first: second part here --')).toEqual({
      code: 'SOME_ERROR',
      message: 'first: second part here',
      fields: [],
    });
  });

  test('empty and code-less texts', () => {
    expect(parseSfError('')).toEqual({ code: UNKNOWN_SF_ERROR, message: '', fields: [] });
    expect(parseSfError(undefined)).toEqual({ code: UNKNOWN_SF_ERROR, message: '', fields: [] });
    expect(parseSfError('something went wrong: badly')).toEqual({ code: UNKNOWN_SF_ERROR, message: 'something went wrong: badly', fields: [] });
    expect(parseSfError('ENTITY_IS_DELETED')).toEqual({ code: 'ENTITY_IS_DELETED', message: '', fields: [] });
  });
});
