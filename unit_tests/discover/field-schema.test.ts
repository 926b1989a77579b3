import { describeField, fieldSchema, isRequiredOnCreate, relationshipPathSchema, valueSchema } from '../../src/discover/field-schema';
import { account, field } from './fixtures';

const acc = account();
const f = (name: string) => {
  const found = acc.fields.find((x) => x.name === name);
  if (!found) throw new Error(name);
  return found;
};

describe('fieldSchema', () => {
  it('maps text types to string with maxLength and nullability', () => {
    expect(fieldSchema(f('Name'))).toEqual({ type: 'string', maxLength: 255, description: 'Account Name' });
    expect(fieldSchema(f('Ext_Id__c'))).toEqual({ type: ['string', 'null'], maxLength: 40, description: 'External Id' });
    expect(fieldSchema(field('Phone', 'phone', { length: 40 }))).toMatchObject({ type: ['string', 'null'], maxLength: 40 });
    expect(fieldSchema(field('Web', 'url', { length: 255 }))).not.toHaveProperty('format');
    expect(fieldSchema(field('E', 'email', { length: 80 }))).not.toHaveProperty('format');
    expect(fieldSchema(field('Body', 'base64', { length: 1000000 }))).not.toHaveProperty('maxLength');
  });

  it('restricted picklists enumerate active values (plus null when nillable); others describe them', () => {
    expect(fieldSchema(f('Rating'))).toEqual({
      type: ['string', 'null'], maxLength: 40, enum: ['Hot', 'Warm', 'Cold', null], description: 'Rating',
    });
    const industry = fieldSchema(f('Industry'));
    expect(industry).not.toHaveProperty('enum');
    expect(industry?.description).toContain('Banking, Energy');
    const rating = fieldSchema({ ...f('Rating'), nillable: false });
    expect(rating?.enum).toEqual(['Hot', 'Warm', 'Cold']);
  });

  it('multipicklists are strings of ;-joined values', () => {
    const s = fieldSchema(f('Tags__c'));
    expect(s).toMatchObject({ type: ['string', 'null'], maxLength: 4099 });
    expect(s?.description).toContain("joined with ';'");
    expect(s?.description).toContain('A, B');
  });

  it('maps numbers, booleans, dates and timestamps', () => {
    expect(valueSchema(f('NumberOfEmployees'))).toEqual({ type: 'integer', maximum: 99999999, minimum: -99999999 });
    expect(valueSchema(f('AnnualRevenue'))).toEqual({ type: 'number' });
    expect(valueSchema(field('P', 'percent'))).toEqual({ type: 'number' });
    expect(valueSchema(field('D', 'double'))).toEqual({ type: 'number' });
    expect(valueSchema(f('Big__c'))).toEqual({ type: 'integer' });
    expect(fieldSchema(f('Active__c'))).toEqual({ type: 'boolean', description: 'Active' });
    expect(valueSchema(f('Founded__c'))).toEqual({ type: 'string', format: 'date' });
    expect(valueSchema(f('Last_Synced__c'))).toEqual({ type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' });
    expect(valueSchema(field('T', 'time'))).toEqual({ type: 'string', format: 'time', airbyte_type: 'time_without_timezone' });
    expect(describeField(field('T', 'time'))).toContain('HH:mm:ss');
  });

  it('leaves out compound, calculated and auto-number fields but keeps address components', () => {
    expect(fieldSchema(f('BillingAddress'))).toBeUndefined();
    expect(fieldSchema(f('Geo__c'))).toBeUndefined();
    expect(fieldSchema(f('Score__c'))).toBeUndefined();
    expect(fieldSchema(field('Num', 'string', { autoNumber: true }))).toBeUndefined();
    expect(fieldSchema(f('BillingCity'))).toMatchObject({ type: ['string', 'null'], maxLength: 40 });
  });

  it('never throws on an unknown type: a string, named in the description', () => {
    const s = fieldSchema(f('Shape__c'));
    expect(s).toMatchObject({ type: ['string', 'null'] });
    expect(s?.description).toContain('weirdnewtype');
    expect(() => fieldSchema(field('X', ''))).not.toThrow();
  });

  it('required on insert = createable, not nillable, not defaulted', () => {
    expect(isRequiredOnCreate(f('Name'))).toBe(true);
    expect(isRequiredOnCreate(f('Active__c'))).toBe(false);
    expect(isRequiredOnCreate(f('OwnerId'))).toBe(false);
    expect(isRequiredOnCreate(f('CreatedDate'))).toBe(false);
    expect(isRequiredOnCreate(f('Ext_Id__c'))).toBe(false);
  });

  it('relationship paths take the parent key type without enum', () => {
    expect(relationshipPathSchema(f('Rating'), 'd', false)).toEqual({ type: 'string', maxLength: 40, description: 'd' });
    expect(relationshipPathSchema(f('NumberOfEmployees'), 'd', true)).toMatchObject({ type: ['integer', 'null'] });
  });
});
