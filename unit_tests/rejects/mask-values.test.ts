import { MASK, maskValues } from '../../src/rejects/mask-values';

describe('maskValues with very large values', () => {
  it('masks a value longer than a RegExp can hold without throwing', () => {
    const huge = 'p'.repeat(200_000);
    const message = `Payload: data value too large: ${huge} (max length=131072)`;
    const masked = maskValues(`${message} and again ${huge}`, { Payload__c: huge });
    expect(masked).not.toContain('ppppp');
    expect(masked).toContain(MASK);
  });

  it('skips record values longer than the message', () => {
    expect(maskValues('REQUIRED_FIELD_MISSING', { a: 'x'.repeat(300_000) })).toBe('REQUIRED_FIELD_MISSING');
  });
});
