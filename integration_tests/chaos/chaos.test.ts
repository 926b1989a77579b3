/**
 * Chaos: a seeded multi-stream sync (upsert Accounts, insert Contacts pointing at them) with faults
 * drawn from the seed at every endpoint — 5xx, 429 with Retry-After, connections dropped before and
 * after the request took effect, token expiry, lock errors, a job Failed for a platform reason, S3
 * errors — cancelled by a signal at a random moment, then re-run the way Airbyte does (each stream
 * resumes after its last echoed state) until a run succeeds.
 *
 * After each seed: every input row is in the org (upsert: exactly once, with its values; insert: at
 * least once, extra copies only as many as the cancel LOGs announced) or in the rejects store with a
 * reason; each run's states are the input's, in order, with counts that add up, and all runs together
 * echo every input state once; no job is left Open.
 *
 * CHAOS_SEEDS (default "1,2,3", or a count: "20" = seeds 1–20), CHAOS_ROWS (rows per stream, default 250),
 * CHAOS_VERBOSE=1 prints what happened per seed (runs, exits, faults drawn) on stderr.
 */
import { chaosChooser, seededRandom } from '../fake-salesforce/chaos-faults';
import type { FaultSpec } from '../fake-salesforce';
import { startS3FaultProxy, type S3Fault } from '../helpers/s3-fault-proxy';
import { useFakeAndBucket } from '../helpers/test-env';
import { readRejects } from '../rejects-cli/rejects-cli-helpers';
import { cancelWrite, type CancelledRun } from '../write/cancel-helpers';
import { catalog, expectStatesEchoed, runWrite, startFake, type Msg, type WriteRun } from '../write/write-helpers';
import { chaosInput, resumeAfter } from './chaos-input';

const SEEDS = ((): number[] => {
  const raw = process.env.CHAOS_SEEDS ?? '1,2,3';
  if (/^\d+$/.test(raw)) return Array.from({ length: Number(raw) }, (_, i) => i + 1);
  return raw.split(',').map((s) => Number(s.trim()));
})();
const ROWS = Number(process.env.CHAOS_ROWS ?? 250);
/** Runs with faults (the first is cancelled); later runs are clean so the sync can finish. */
const CHAOS_RUNS = 3;
const MAX_RUNS = 7;

const { fake, s3 } = useFakeAndBucket({ start: startFake, bucket: 'chaos-rejects', reset: false });

const cat = (seed: number, run: number): Msg => {
  const c = catalog([{ name: 'Account', destination_sync_mode: 'append_dedup', primary_key: [['Ext_Id__c']] }, 'Contact']);
  return { streams: (c.streams as Msg[]).map((s) => ({ ...s, sync_id: `chaos-${seed}-${run}` })) };
};

/** "… may insert up to N row(s) a second time." of the LOG after a cancel or failure. */
const announcedDuplicates = (run: WriteRun): number =>
  run.logs.reduce((n, l) => n + Number(/may insert up to (\d+) row\(s\) a second time/.exec(l)?.[1] ?? 0), 0);

test.each(SEEDS)('seed %i: nothing lost, nothing duplicated beyond what was announced, nothing left Open', async (seed) => {
  fake.reset();
  const random = seededRandom(seed);
  const input = chaosInput(seed, ROWS);
  const faults = chaosChooser(seed * 31 + 7, { rate: 0.06 });
  const s3Random = seededRandom(seed * 131 + 3);
  let s3Chaos = true;
  const s3Kinds: S3Fault[] = ['http500', 'http503', 'dropBefore', 'dropAfter'];
  const proxy = await startS3FaultProxy(s3.endpoint, () => (s3Chaos && s3Random() < 0.15 ? (s3Kinds[Math.floor(s3Random() * 4)] as S3Fault) : 'pass'));
  const prefix = `chaos-${seed}`;
  const config = {
    bulk_job_max_rows: 60 + Math.floor(random() * 60),
    max_jobs_in_flight: 1 + Math.floor(random() * 3),
    object_storage_config: s3.storage(prefix, { s3_endpoint: proxy.endpoint }),
  };
  fake.set({ recordsPerSecond: 3000, processingDelayMs: 30, tokenExpiresAfterRequests: 15 + Math.floor(random() * 30) });
  fake.failRowsOnce((row) => hash(`${seed}|${row.Email ?? row.Ext_Id__c ?? ''}`) % 100 < 4);
  const story: string[] = [];
  const runs: WriteRun[] = [];
  let remaining = input.messages;
  try {
    for (let n = 1; n <= MAX_RUNS && remaining.some((m) => m.type === 'RECORD' || m.type === 'STATE'); n++) {
      const chaos = n <= CHAOS_RUNS;
      fake.setFaultChooser(chaos ? faults.choose : undefined);
      s3Chaos = chaos;
      if (chaos && random() < 0.5) fake.failNextJob({ afterRows: Math.floor(random() * 40) });
      // One of each kind at a seeded call of its route (from the first run on), whatever the chooser draws.
      if (n === 1) for (const f of scriptedFaults(random)) fake.injectFault(f);
      if (!chaos) fake.set({ tokenExpiresAfterRequests: undefined });
      let run: WriteRun;
      if (n === 1) {
        const signal = random() < 0.5 ? 'SIGTERM' : 'SIGINT';
        const after = Math.floor(random() * 3000);
        const grace = String(1 + Math.floor(random() * 4));
        // A random moment once the connector is up (its first message: signed in, streams planned);
        // a signal before Node runs our code at all ends the process as Node does, with nothing started.
        let upAt: number | undefined;
        const cancelled: CancelledRun = await cancelWrite(fake, {
          signal, config, catalog: cat(seed, n), messages: remaining, mayExitFirst: true,
          env: { DESTINATION_SALESFORCE_CANCEL_GRACE_SECONDS: grace },
          when: (cli) => {
            upAt ??= cli.messagesSoFar().length > 0 ? Date.now() : undefined;
            return upAt !== undefined && Date.now() - upAt >= after;
          },
        });
        story.push(`run 1: ${cancelled.signalled ? `${signal} ${after} ms after the first message, grace ${grace} s, exited ${cancelled.exitMs} ms later` : 'ended before the signal'}`);
        if (cancelled.signalled) {
          // within the grace period (generous tolerance: the machine may be loaded)
          expect({ exitMs: cancelled.exitMs < Number(grace) * 1000 + 10_000, story }).toEqual({ exitMs: true, story });
          // handled, whatever the moment: a transient "cancelled" TRACE and exit 1 (never Node's silent exit)
          expect({ code: cancelled.result.code, story }).toEqual({ code: 1, story });
          expect(cancelled.errors).toContainEqual(expect.objectContaining({ failure_type: 'transient_error', message: expect.stringContaining('The sync was cancelled') }));
        }
        run = cancelled;
      } else {
        run = await runWrite(fake, { config, catalog: cat(seed, n), messages: remaining, timeoutMs: 120_000 });
      }
      story.push(`run ${n}: exit ${run.result.code}, ${run.states.length} states, ${run.errors.map((e) => `${e.failure_type}: ${String(e.message).slice(0, 160)}`).join(' | ')}`);
      // Each run: its states are a prefix of its input's, unchanged, in order, with counts that add up.
      expectStatesEchoed(run, remaining, { all: run.result.code === 0 });
      runs.push(run);
      remaining = resumeAfter(remaining, run.states);
      if (run.result.code === 0) break;
    }
    const why = `seed ${seed}; ${story.join('; ')}; faults ${JSON.stringify(faults.injected())}; S3 ${JSON.stringify(proxy.injected())}`;
    if (process.env.CHAOS_VERBOSE) process.stderr.write(`${why}\n`);
    // Finished: a run succeeded, or the cancelled run had already echoed every state.
    const finished = !remaining.some((m) => m.type === 'RECORD' || m.type === 'STATE');
    expect({ finished, why }).toEqual({ finished: true, why });

    // All runs together echo every input state once, in input order.
    const inputStates = input.messages.filter((m) => m.type === 'STATE').map((m) => m.state);
    expect(runs.flatMap((r) => r.states.map(({ destinationStats: _d, ...rest }) => rest))).toEqual(inputStates);
    const totals = runs.flatMap((r) => r.states).map((s) => s.destinationStats as { recordCount: number; rejectedRecordCount: number });
    const rowsIn = input.messages.filter((m) => m.type === 'RECORD').length;
    expect(totals.reduce((n, d) => n + d.recordCount + d.rejectedRecordCount, 0)).toBe(rowsIn);

    const rejects = await readRejects(s3, `${prefix}/`);
    for (const r of rejects) expect({ code: r.error_code, message: r.error_message }).toEqual({ code: expect.any(String), message: expect.any(String) });
    const rejectedKeys = new Set(rejects.map((r) => String(r.record.data.Ext_Id__c ?? r.record.data.Email)));

    // Upsert: each key once, with its values, or rejected; the never-loadable rows rejected.
    const accounts = fake.records('Account');
    const byExt = new Map<unknown, Array<Record<string, unknown>>>();
    for (const a of accounts) byExt.set(a.Ext_Id__c, [...(byExt.get(a.Ext_Id__c) ?? []), a]);
    const lost: string[] = [];
    for (const m of input.messages) {
      if (m.type !== 'RECORD' || (m.record as { stream: string }).stream !== 'Account') continue;
      const data = (m.record as { data: Record<string, unknown> }).data;
      const ext = String(data.Ext_Id__c);
      const inOrg = byExt.get(ext) ?? [];
      expect({ ext, copies: inOrg.length <= 1 }).toEqual({ ext, copies: true });
      if (inOrg.length === 1) expect({ ext, name: inOrg[0]?.Name }).toEqual({ ext, name: data.Name });
      else if (!rejectedKeys.has(ext)) lost.push(ext);
      if (input.badAccounts.has(ext)) expect({ ext, rejected: rejectedKeys.has(ext) }).toEqual({ ext, rejected: true });
    }
    // Insert: each row at least once or rejected; copies beyond one only as many as announced.
    const contacts = fake.records('Contact');
    const copies = new Map<unknown, number>();
    for (const c of contacts) copies.set(c.Email, (copies.get(c.Email) ?? 0) + 1);
    let duplicates = 0;
    for (const m of input.messages) {
      if (m.type !== 'RECORD' || (m.record as { stream: string }).stream !== 'Contact') continue;
      const email = String((m.record as { data: Record<string, unknown> }).data.Email);
      const n = copies.get(email) ?? 0;
      duplicates += Math.max(0, n - 1);
      if (n === 0 && !rejectedKeys.has(email)) lost.push(email);
      if (input.badContacts.has(email)) expect({ email, inOrg: n }).toEqual({ email, inOrg: 0 });
    }
    expect({ lost, why }).toEqual({ lost: [], why });
    const announced = runs.reduce((n, r) => n + announcedDuplicates(r), 0);
    expect({ duplicates: duplicates <= announced, duplicatesFound: duplicates, announced, why }).toEqual({ duplicates: true, duplicatesFound: duplicates, announced, why });
    expect(fake.jobs().filter((j) => j.state === 'Open').map((j) => j.id)).toEqual([]);
    // The chaos really happened (unless the first run was cancelled after it had done everything).
    if (runs.length > 1) {
      const statuses = new Set(fake.requests().map((r) => r.status));
      expect({ dropped: statuses.has(0), throttled: statuses.has(429), failed: [...statuses].some((st) => st >= 500), why })
        .toEqual({ dropped: true, throttled: true, failed: true, why });
    }
  } finally {
    fake.setFaultChooser(undefined);
    fake.set({ tokenExpiresAfterRequests: undefined });
    await proxy.close();
  }
}, 240_000);

/** A 503, a 429 with Retry-After, drops before and after handling, a 500 after handling: seeded calls. */
function scriptedFaults(random: () => number): FaultSpec[] {
  const nth = () => 1 + Math.floor(random() * 3);
  return [
    { route: 'ingest.create', status: 503, nth: nth() },
    { route: 'ingest.patch', status: 429, headers: { 'Retry-After': '0.2' }, nth: nth() },
    { route: 'ingest.upload', drop: true, nth: nth() },
    { route: 'ingest.info', drop: true, afterHandling: true, nth: nth() },
    { route: 'ingest.patch', status: 500, afterHandling: true, nth: 1 + nth() },
  ];
}

/** FNV-1a, to pick lock-error rows from their content and the seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
