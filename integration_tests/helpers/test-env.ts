/**
 * Per-file test setup: a Salesforce stand-in and/or an s3rver bucket, started before the file's tests,
 * brought back to a clean state before each test, closed after them. Each `use…` registers the jest
 * hooks and returns a handle usable at once (`const { fake, s3 } = useFakeAndBucket(…)`): its properties
 * are read from the instance the `beforeAll` hook started.
 */
import { startFakeSalesforce, type FakeSalesforce } from '../fake-salesforce';
import { startS3rver, type S3Fixture } from './s3';

/**
 * An object standing for the one `current()` returns when it is used (the instance a `beforeAll`
 * created); methods are bound to that instance. Using it before then throws, naming `what`.
 */
export function lateBound<T extends object>(what: string, current: () => T | undefined): T {
  const target = (): T => {
    const t = current();
    if (t === undefined) throw new Error(`${what} is used before its beforeAll hook started it`);
    return t;
  };
  return new Proxy({} as T, {
    get: (_, prop) => {
      const t = target();
      const value: unknown = Reflect.get(t, prop, t);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
    set: (_, prop, value) => Reflect.set(target(), prop, value),
    has: (_, prop) => Reflect.has(target(), prop),
  });
}

export interface FakeSetup {
  /** Starts the stand-in; default startFakeSalesforce() (write tests pass write-helpers' startFake). */
  start?: () => Promise<FakeSalesforce>;
  /** Before each test: an empty org (and bucket) with no faults; default true. */
  reset?: boolean;
}

/** A stand-in for the file's tests; its org is reset before each test (unless `reset: false`). */
export function useFakeSalesforce(setup: FakeSetup = {}): FakeSalesforce {
  let fake: FakeSalesforce | undefined;
  beforeAll(async () => {
    fake = await (setup.start ?? (() => startFakeSalesforce()))();
  });
  afterAll(async () => {
    await fake?.close();
  });
  if (setup.reset ?? true) beforeEach(() => fake?.reset());
  return lateBound('the stand-in', () => fake);
}

/**
 * An s3rver bucket for the file's tests. Before each test (unless `reset: false`) S3 answers again
 * (no injected failures, listening) and the bucket is empty.
 */
export function useBucket(opts: { bucket?: string; reset?: boolean } = {}): S3Fixture {
  let s3: S3Fixture | undefined;
  beforeAll(async () => {
    s3 = await startS3rver(opts.bucket);
  });
  afterAll(async () => {
    await s3?.close();
  });
  if (opts.reset ?? true) {
    beforeEach(async () => {
      if (!s3) return;
      s3.failNextWrites(0);
      await s3.start().catch(() => undefined); // already listening
      await emptyBucket(s3);
    });
  }
  return lateBound('the s3rver bucket', () => s3);
}

/** Both: a stand-in and a bucket, reset before each test (unless `reset: false`). */
export function useFakeAndBucket(setup: FakeSetup & { bucket?: string } = {}): { fake: FakeSalesforce; s3: S3Fixture } {
  return { fake: useFakeSalesforce(setup), s3: useBucket({ bucket: setup.bucket, reset: setup.reset }) };
}

/** Empties the bucket. */
export async function emptyBucket(s3: S3Fixture): Promise<void> {
  await s3.deleteBucket().catch(() => undefined);
  await s3.createBucket();
}
