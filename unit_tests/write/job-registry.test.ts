import { JobRegistry } from '../../src/write/job-registry';
import type { JobInfo, JobState } from '../../src/salesforce/types';

const info = (id: string, state: JobState, processed?: number, failed?: number): JobInfo =>
  ({ id, state, object: 'Contact', operation: 'insert', numberRecordsProcessed: processed, numberRecordsFailed: failed }) as JobInfo;

test('one registry answers both the progress line and the leftovers after a cancel', () => {
  const jobs = new JobRegistry();
  jobs.created(info('750A', 'Open'), 'Contact', 'insert');
  jobs.created(info('750B', 'Open'), 'Account', 'upsert');
  jobs.created(info('750C', 'Open'), 'Lead', 'insert');
  jobs.uploaded('750A', 12);
  jobs.setPhase('750A', 'closing');
  jobs.seen(info('750A', 'UploadComplete'));
  expect(jobs.open().map((j) => j.id)).toEqual(['750B', '750C']);
  expect(jobs.stillInSalesforce().map((j) => j.id)).toEqual(['750A']);
  jobs.seen(info('750A', 'InProgress', 7, 1));
  expect(jobs.summary()).toBe('Ingest jobs in Salesforce: 2 uploading, 0 queued, 1 processing (7 rows processed, 1 failed so far).');

  // A close answers without counters: the last seen stay.
  jobs.seen(info('750A', 'InProgress'));
  expect(jobs.summary()).toContain('(7 rows processed, 1 failed so far)');

  jobs.setPhase('750B', 'aborted');
  jobs.seen(info('750B', 'Aborted'));
  jobs.seen(info('750C', 'JobComplete', 4, 0)); // finished insert: 4 rows written
  jobs.seen(info('750A', 'JobComplete', 12, 2));
  expect(jobs.summary()).toBeUndefined(); // nothing left in flight
  expect(jobs.stillInSalesforce()).toEqual([]);
  expect(jobs.open()).toEqual([]);
  expect(jobs.inserted()).toEqual(new Map([['Contact', 10], ['Lead', 4]]));
  expect(jobs.open().length).toBe(0);
});

test('an aborted job stays aborted whatever a later poll says, and a job never seen is ignored', () => {
  const jobs = new JobRegistry();
  jobs.created(info('750A', 'Open'), 'Contact', 'insert');
  jobs.setPhase('750A', 'aborted');
  jobs.seen(info('750A', 'InProgress', 3, 0));
  expect(jobs.stillInSalesforce()).toEqual([]);
  jobs.seen(info('750Z', 'JobComplete', 9, 0));
  expect(jobs.inserted()).toEqual(new Map());
});
