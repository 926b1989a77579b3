import Papa from 'papaparse';
import { CSV_FORMAT, JSONL_FORMAT, REJECT_COLUMNS } from '../../src/rejects/reject-format';
import {
  compactTimestamp,
  partKey,
  partNumberOf,
  runPrefix,
  runSegment,
  safeSegment,
  streamPrefix,
  trimBucketPath,
} from '../../src/rejects/reject-paths';
import type { RejectedRow } from '../../src/rejects/rejects-sink';

const row = (over: Partial<RejectedRow> = {}): RejectedRow => ({
  record: {
    stream: 'contacts',
    namespace: 'crm',
    data: { Name: 'Ann, "the" =SUM(A1)\nsecond line', Big: 12345678901234, none: null, list: [1, 'x'] },
    emitted_at: 1700000000000,
    meta: { changes: [] },
  },
  stream: { name: 'contacts', namespace: 'crm' },
  object: 'Contact',
  operation: 'upsert',
  jobId: '750xx0000000001',
  errorCode: 'REQUIRED_FIELD_MISSING',
  errorMessage: 'Required fields are missing: [LastName]',
  fields: ['LastName', 'Email'],
  attempts: 2,
  rejectedAt: '2024-01-31T23:59:59.000Z',
  ...over,
});

describe('JSONL format', () => {
  test('one line holding the original record and the error', () => {
    const text = JSONL_FORMAT.line(row());
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual([...REJECT_COLUMNS]);
    expect(doc).toEqual({
      record: row().record,
      stream: 'contacts',
      namespace: 'crm',
      object: 'Contact',
      operation: 'upsert',
      job_id: '750xx0000000001',
      error_code: 'REQUIRED_FIELD_MISSING',
      error_message: 'Required fields are missing: [LastName]',
      fields: ['LastName', 'Email'],
      attempts: 2,
      rejected_at: '2024-01-31T23:59:59.000Z',
    });
  });

  test('absent namespace and job id are null', () => {
    const doc = JSON.parse(JSONL_FORMAT.line(row({ stream: { name: 's' }, jobId: undefined })));
    expect(doc.namespace).toBeNull();
    expect(doc.job_id).toBeNull();
  });
});

describe('CSV format', () => {
  test('header + RFC 4180 rows that parse back to the same values, formulas not escaped', () => {
    const text = CSV_FORMAT.header + CSV_FORMAT.line(row()) + CSV_FORMAT.line(row({ jobId: undefined, stream: { name: 's' } }));
    expect(CSV_FORMAT.header).toBe(`${REJECT_COLUMNS.join(',')}\n`);
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(2);
    const first = parsed.data[0]!;
    expect(JSON.parse(first.record!)).toEqual(row().record);
    expect(first.record).toContain('=SUM(A1)');
    expect(first).toMatchObject({
      stream: 'contacts',
      namespace: 'crm',
      object: 'Contact',
      operation: 'upsert',
      job_id: '750xx0000000001',
      error_code: 'REQUIRED_FIELD_MISSING',
      error_message: 'Required fields are missing: [LastName]',
      fields: 'LastName,Email',
      attempts: '2',
      rejected_at: '2024-01-31T23:59:59.000Z',
    });
    expect(parsed.data[1]).toMatchObject({ namespace: '', job_id: '', stream: 's' });
    expect(text).not.toContain("'=SUM");
  });
});

describe('paths', () => {
  test('segments are made safe', () => {
    expect(safeSegment('contacts')).toBe('contacts');
    expect(safeSegment('my stream/with:odd#chars')).toBe('my_stream_with_odd_chars');
    expect(safeSegment('..')).toBe('__');
    expect(safeSegment('')).toBe('_');
    expect(safeSegment('ok-name_1.v2')).toBe('ok-name_1.v2');
  });

  test('run segment is the sync id or the UTC start time', () => {
    const start = new Date('2024-01-31T23:59:59.123Z');
    expect(compactTimestamp(start)).toBe('20240131T235959Z');
    expect(runSegment(undefined, start)).toBe('20240131T235959Z');
    expect(runSegment(1234, start)).toBe('1234');
    expect(runSegment('job/7', start)).toBe('job_7');
    expect(runSegment('', start)).toBe('20240131T235959Z');
  });

  test('bucket path trimmed of slashes', () => {
    expect(trimBucketPath('/a/b//c/')).toBe('a/b/c');
    expect(trimBucketPath('')).toBe('');
    expect(runPrefix('/rejects/', '42')).toBe('rejects/42');
    expect(runPrefix('', '42')).toBe('42');
  });

  test('stream prefix and part keys', () => {
    expect(streamPrefix('p/42', { name: 'contacts', namespace: 'crm' })).toBe('p/42/crm/contacts');
    expect(streamPrefix('p/42', { name: 'contacts', namespace: null })).toBe('p/42/_default/contacts');
    expect(partKey('p/42/crm/contacts', 1, 'jsonl')).toBe('p/42/crm/contacts/part-0001.jsonl');
    expect(partKey('x', 12345, 'csv')).toBe('x/part-12345.csv');
    expect(partNumberOf('p/42/crm/contacts/part-0007.jsonl')).toBe(7);
    expect(partNumberOf('p/42/crm/contacts/other.jsonl')).toBeUndefined();
  });
});
