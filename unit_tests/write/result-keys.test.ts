import { keyOf, normalise, Normaliser, ruleOf } from '../../src/write/result-keys';

describe('keyOf', () => {
  test('joins values with NUL', () => {
    expect(keyOf(['a', 'b', ''])).toBe('a\u0000b\u0000');
  });

  test('distinct lists give distinct keys, even with NUL and U+0001 inside values', () => {
    const lists = [
      ['a\u0000', 'b'], ['a', '\u0000b'], ['a', '', 'b'], ['a\u0000\u0000b'], ['a\u00010', 'b'], ['a\u0001', '0b'], ['a\u0000b'],
      ['', ''], [''], ['\u0000'], ['\u00010'],
    ];
    const keys = lists.map((l) => keyOf([...l]));
    expect(new Set(keys).size).toBe(lists.length);
  });
});

describe('Normaliser', () => {
  test('agrees with normalise for every rule, date-times cached per distinct value', () => {
    const n = new Normaliser();
    const cases: Array<[string | undefined, string]> = [
      ['double', '9.12260031E8'], ['int', '10.0'], ['currency', 'abc'], ['boolean', 'TRUE'], ['boolean', '0'],
      ['date', '2024-01-02T00:00:00Z'], ['datetime', '2024-01-01T00:00:00.000+0000'], ['datetime', '2024-01-01T00:00:00Z'],
      ['datetime', 'sometime'], ['string', '#N/A'], ['textarea', 'a\r\nb'], [undefined, 'x'], ['picklist', ''],
    ];
    for (const [type, value] of cases) {
      expect(n.value(ruleOf(type), value)).toBe(normalise(type, value));
      expect(n.value(ruleOf(type), value)).toBe(normalise(type, value)); // second time from the cache
    }
    expect(n.value('datetime', '2024-01-01T00:00:00.000+0000')).toBe(n.value('datetime', '2024-01-01T00:00:00Z'));
  });

  test('only numbers, booleans, dates and date-times are rewritten; other types are text', () => {
    expect(['int', 'long', 'double', 'currency', 'percent', 'boolean', 'date', 'datetime', 'string', 'reference', 'picklist'].map(ruleOf)).toEqual([
      'number', 'number', 'number', 'number', 'number', 'boolean', 'date', 'datetime', 'text', 'text', 'text',
    ]);
  });
});
