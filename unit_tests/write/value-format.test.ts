import { expandExponent, formatDate, formatDateTime, formatValue, isCanonicalUtc, plainNumber } from '../../src/write/map/value-format';
import { relaxed } from '../../src/write/execute/result-values';

describe('plainNumber', () => {
  test.each([
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [-2.5e-3, '-0.0025'],
    [123, '123'],
    [0.1, '0.1'],
    [-0, '0'],
    ['1,234,567.5', '1234567.5'],
    ['9.12260031E8', '912260031'],
    ['  42 ', '42'],
    ['+7', '7'],
    ['.5', '0.5'],
    ['12345678901234567890.123', '12345678901234567890.123'],
    ['1e-2', '0.01'],
  ])('%p → %p', (input, expected) => expect(plainNumber(input)).toBe(expected));

  test.each([['abc'], ['1,23'], [''], [NaN], [Infinity], [true], [null], [{}]])('%p is not a number', (input) =>
    expect(plainNumber(input)).toBeUndefined(),
  );

  test('expandExponent keeps plain text', () => expect(expandExponent('12.50')).toBe('12.50'));
});

describe('dates', () => {
  test('a plain date is not shifted', () => expect(formatDate('2024-02-29')).toBe('2024-02-29'));
  test('the date part of a datetime, as written', () => expect(formatDate('2024-03-01T23:30:00-08:00')).toBe('2024-03-01'));
  test('invalid dates', () => {
    expect(formatDate('2023-02-29')).toBeUndefined();
    expect(formatDate('yesterday')).toBeUndefined();
    expect(formatDate('2024-01-01Tgarbage')).toBeUndefined();
  });
  test('datetimes become UTC ISO-8601 with Z', () => {
    expect(formatDateTime('2024-03-01T23:30:00-08:00')).toBe('2024-03-02T07:30:00.000Z');
    expect(formatDateTime('2024-03-01 10:00:00')).toBe('2024-03-01T10:00:00.000Z');
    expect(formatDateTime('2024-03-01T10:00:00.123456+0530')).toBe('2024-03-01T04:30:00.123Z');
    expect(formatDateTime('2024-03-01')).toBe('2024-03-01T00:00:00.000Z');
    expect(formatDateTime(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(formatDateTime('2024-13-01T00:00:00Z')).toBeUndefined();
    expect(formatDateTime('not a date')).toBeUndefined();
  });
});

describe('formatValue', () => {
  test('booleans', () => {
    expect(formatValue('boolean', true, 'f')).toEqual({ ok: true, text: 'true' });
    expect(formatValue('boolean', 'FALSE', 'f')).toEqual({ ok: true, text: 'false' });
    expect(formatValue('boolean', 'yes', 'f').ok).toBe(false);
  });
  test('numbers per type', () => {
    expect(formatValue('int', 1e21, 'f')).toEqual({ ok: true, text: '1000000000000000000000' });
    expect(formatValue('currency', 'abc', 'AnnualRevenue')).toEqual({ ok: false, message: 'AnnualRevenue needs a number' });
  });
  test('objects and arrays become JSON, multipicklist arrays are ;-joined', () => {
    expect(formatValue('textarea', { a: [1, 'x'] }, 'f')).toEqual({ ok: true, text: '{"a":[1,"x"]}' });
    expect(formatValue('string', [1, 2], 'f')).toEqual({ ok: true, text: '[1,2]' });
    expect(formatValue('multipicklist', ['A', 'B'], 'f')).toEqual({ ok: true, text: 'A;B' });
  });
  test('numbers in text fields have no exponent', () => expect(formatValue('string', 1.5e-7, 'f')).toEqual({ ok: true, text: '0.00000015' }));
});

describe('the fast path for canonical UTC date-times gives what the general path gives', () => {
  test('isCanonicalUtc: only real instants in toISOString form', () => {
    expect(isCanonicalUtc('2024-02-29T23:59:59.999Z')).toBe(true);
    expect(isCanonicalUtc('2024-02-29T23:59:59Z')).toBe(true);
    expect(isCanonicalUtc('2023-02-29T00:00:00.000Z')).toBe(false); // not a leap year
    expect(isCanonicalUtc('1900-02-29T00:00:00.000Z')).toBe(false); // century, not a leap year
    expect(isCanonicalUtc('2000-02-29T00:00:00.000Z')).toBe(true);
    expect(isCanonicalUtc('2024-13-01T00:00:00.000Z')).toBe(false);
    expect(isCanonicalUtc('2024-04-31T00:00:00.000Z')).toBe(false);
    expect(isCanonicalUtc('2024-04-00T00:00:00.000Z')).toBe(false);
    expect(isCanonicalUtc('2024-04-30T24:00:00.000Z')).toBe(false);
    expect(isCanonicalUtc('2024-04-30T23:60:00.000Z')).toBe(false);
    expect(isCanonicalUtc('2024-04-30T23:00:60.000Z')).toBe(false);
    expect(isCanonicalUtc('2024-04-30T23:00:00.000+00:00')).toBe(false);
    expect(isCanonicalUtc(' 2024-04-30T23:00:00.000Z')).toBe(false);
  });

  test('formatDateTime and relaxed agree with parsing on 5,000 instants across centuries and leap days', () => {
    for (let i = 0; i < 5000; i++) {
      const ms = Date.UTC(1700, 0, 1) + Math.floor(((i * 7919) % 5000) / 5000 * 500 * 365.25 * 86_400_000) + i;
      const iso = new Date(ms).toISOString();
      expect(formatDateTime(iso)).toBe(iso);
      expect(formatDateTime(iso.replace(/\.\d{3}Z$/, 'Z'))).toBe(iso.replace(/\.\d{3}Z$/, '.000Z'));
      expect(relaxed('datetime', iso)).toBe(new Date(Date.parse(iso)).toISOString());
    }
  });
});
