import { exactDecimal, keyKindOf, recordKey, to18 } from '../../src/write/chunk/record-key';
import { keyOf, relaxed, ruleOf } from '../../src/write/execute/result-values';

describe('record keys are facts, never floats', () => {
  test('to18 adds the case checksum; a wrong checksum or a malformed Id is not an Id', () => {
    expect(to18('001000000000001')).toBe('001000000000001AAA');
    expect(to18('001A00000000001')).toBe('001A00000000001IAA');
    expect(to18('001A00000000001IAA')).toBe('001A00000000001IAA');
    expect(to18('001A00000000001AAA')).toBeUndefined();
    expect(to18('001-bad')).toBeUndefined();
  });

  test('exactDecimal keeps every digit and one spelling per value', () => {
    expect(exactDecimal('123456789012345678')).toBe('123456789012345678');
    expect(exactDecimal('123456789012345679')).not.toBe(exactDecimal('123456789012345678'));
    expect(exactDecimal('1.23456789012345678E17')).toBe('123456789012345678');
    expect(exactDecimal('-0012.500')).toBe('-12.5');
    expect(exactDecimal('1e-3')).toBe('0.001');
    expect(exactDecimal('-0.0')).toBe('0');
    expect(exactDecimal('abc')).toBeUndefined();
  });

  test('recordKey per kind; blank is no key', () => {
    expect(recordKey(keyKindOf('Id', 'id'), '001000000000001')).toBe('001000000000001AAA');
    expect(recordKey(keyKindOf('Ext__c', 'string'), 'AbC')).toBe('abc');
    expect(recordKey(keyKindOf('Ext__c', 'string', true), 'AbC')).toBe('AbC');
    expect(recordKey(keyKindOf('N__c', 'double'), '10.0')).toBe('10');
    expect(recordKey('text', '')).toBeUndefined();
    expect(recordKey('text', '#N/A')).toBeUndefined();
  });
});

describe('relaxed values: what any echo leaves of a value', () => {
  test('per type', () => {
    expect(relaxed(ruleOf('picklist'), ' Hot ')).toBe(relaxed(ruleOf('picklist'), 'hot'));
    expect(relaxed(ruleOf('string'), '#N/A')).toBe(relaxed(ruleOf('string'), ''));
    expect(relaxed(ruleOf('double'), '9.12260031E8')).toBe(relaxed(ruleOf('double'), '912260031'));
    expect(relaxed(ruleOf('double'), '1.2345678901234568E17')).toBe(relaxed(ruleOf('double'), '123456789012345678'));
    expect(relaxed(ruleOf('boolean'), '1')).toBe('true');
    expect(relaxed(ruleOf('datetime'), '2024-01-01T00:00:00.000+0000')).toBe(relaxed(ruleOf('datetime'), '2024-01-01T00:00:00Z'));
    expect(relaxed(ruleOf('id'), '001000000000001AAA')).toBe(relaxed(ruleOf('reference'), '001000000000001'));
  });

  test('keyOf: distinct lists give distinct keys, even with NUL and U+0001 inside values', () => {
    const lists = [['a\u0000', 'b'], ['a', '\u0000b'], ['a', '', 'b'], ['a\u0000\u0000b'], ['a\u00010', 'b'], ['a\u0001', '0b'], ['a\u0000b'], ['', ''], [''], ['\u0000'], ['\u00010']];
    expect(new Set(lists.map((l) => keyOf([...l]))).size).toBe(lists.length);
  });
});

test('the fast path for plain integers and decimals gives what the float round trip gives', () => {
  const decimals = ['5250.5', '-5250.5', '1.5', '12345678901234.5', '1234567890123.45', '1234567890123456.5', '123456789012345.6', '-12345678901234.56', '1.10', '0.5', '1.05', '9.999999999999999', '99999999999999.9', '1.000000000000001'];
  for (const v of ['0', '7', '-7', '912260031', '-100000000000000', '999999999999999', '1000000000000000', '0012', '-0', '+5', ' 5', '1e3', ...decimals]) {
    const n = Number(v.trim());
    const general = Number.isFinite(n) ? String(Number(n.toPrecision(15))) : v.trim().toLowerCase();
    expect([v, relaxed('number', v)]).toEqual([v, general]);
  }
});
