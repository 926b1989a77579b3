import { alignRows } from '../../src/write/chunk/csv-text';
import { lookAlikeWaves } from '../../src/write/execute/look-alikes';
import { Attribution, type ResultKind, type UploadedJob } from '../../src/write/execute/result-attribution';

const ERR = 'REQUIRED_FIELD_MISSING:Required fields are missing: [Status]:Status --';

function job(columns: string[], cells: Array<Record<string, string>>, types: Record<string, string>, key?: UploadedJob['key']): UploadedJob {
  return { columns, rows: alignRows(columns, cells), types: new Map(Object.entries(types)), ...(key ? { key } : {}) };
}

/** Feeds result sets (header + rows) and returns each uploaded row's outcome kind/code. */
function attribute(up: UploadedJob, sets: Array<[ResultKind, string[], string[][]]>): Array<string | undefined> {
  const a = new Attribution(up);
  for (const [kind, header, rows] of sets) {
    const consume = a.begin(kind, header);
    rows.forEach(consume);
  }
  a.settleRelaxed();
  return a.result().map((o) => (o ? (o.kind === 'failed' ? o.code : o.kind) : undefined));
}

test('null and absent stay distinct in the exact pass (as-uploaded echo)', () => {
  const up = job(['LastName', 'Status'], [{ LastName: 'x', Status: '#N/A' }, { LastName: 'x' }], { LastName: 'string', Status: 'picklist' });
  expect(attribute(up, [['failed', ['sf__Id', 'sf__Error', 'LastName', 'Status'], [['', ERR, 'x', '#N/A']]]])).toEqual(['REQUIRED_FIELD_MISSING', undefined]);
});

test('look-alikes go to different waves, so a normalised echo is never ambiguous within a job', () => {
  const up = job(['LastName', 'Status'], [{ LastName: 'x', Status: '#N/A' }, { LastName: 'x' }, { LastName: 'y' }], { LastName: 'string', Status: 'picklist' });
  const waves = lookAlikeWaves(up, up.rows.map((cells, i) => ({ cells, i })));
  expect(waves.map((w) => w.map((r) => r.i))).toEqual([[0, 2], [1]]);
  // In the first wave's job, the '#N/A' row's echo comes back empty: the relaxed pass still finds it, uniquely.
  const first = { ...up, rows: [up.rows[0] as string[], up.rows[2] as string[]] };
  expect(attribute(first, [['failed', ['sf__Id', 'sf__Error', 'Status', 'LastName'], [['', ERR, '', 'x']]]])).toEqual(['REQUIRED_FIELD_MISSING', undefined]);
});

test('a relaxed match that is not unique attributes nothing', () => {
  const up = job(['Name', 'Rating'], [{ Name: 'a', Rating: 'hot' }, { Name: 'a', Rating: 'Hot' }], { Name: 'string', Rating: 'picklist' });
  expect(attribute(up, [['failed', ['sf__Id', 'sf__Error', 'Name', 'Rating'], [['', 'X:bad:--', 'A', 'HOT']]]])).toEqual([undefined, undefined]);
});

test('identical rows are interchangeable', () => {
  const up = job(['Name'], [{ Name: 'a' }, { Name: 'a' }, { Name: 'b' }], { Name: 'string' });
  expect(attribute(up, [['failed', ['sf__Id', 'sf__Error', 'Name'], [['', 'X:bad:--', 'A']]]])).toEqual(['X', undefined, undefined]);
});

test('keyed rows by record key: 15-character Ids echoed as 18, 18-digit external IDs by exact decimal', () => {
  const ids = job(['Id', 'Name'], [{ Id: '001000000000001', Name: 'a' }, { Id: '001000000000002', Name: 'a' }], { Id: 'id', Name: 'string' }, { column: 'Id', kind: 'id' });
  expect(attribute(ids, [['failed', ['sf__Id', 'sf__Error', 'Id', 'Name'], [['', 'X:bad:--', '001000000000002AAA', 'a']]]])).toEqual([undefined, 'X']);
  const nums = job(['N__c'], [{ N__c: '123456789012345678' }, { N__c: '123456789012345679' }], { N__c: 'double' }, { column: 'N__c', kind: 'number' });
  expect(attribute(nums, [['failed', ['sf__Id', 'sf__Error', 'N__c'], [['', 'X:bad:--', '123456789012345679']]]])).toEqual([undefined, 'X']);
  // echoed through a double, the two keys look alike: they never share a job
  expect(lookAlikeWaves(nums, nums.rows.map((cells) => ({ cells })))).toHaveLength(2);
});

test('rows are attributed over every set: failed, unprocessed and successful', () => {
  const up = job(['Name'], [{ Name: 'a' }, { Name: 'b' }, { Name: 'c' }], { Name: 'string' });
  expect(attribute(up, [
    ['failed', ['sf__Id', 'sf__Error', 'Name'], [['', 'X:bad:--', 'b']]],
    ['unprocessed', ['Name'], [['c']]],
    ['successful', ['sf__Id', 'sf__Created', 'Name'], [['001', 'true', 'a']]],
  ])).toEqual(['loaded', 'X', 'unprocessed']);
});
