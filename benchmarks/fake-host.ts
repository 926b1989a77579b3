/**
 * The Salesforce stand-in in its own process (forked by run.ts), so its CPU is measured apart from the
 * connector's and from the benchmark driver's. Talks to the parent over the IPC channel:
 *
 *   → {id, cmd:'start', options}   ← {id, loginUrl, instanceUrl, config}
 *   → {id, cmd:'set', options}     ← {id}
 *   → {id, cmd:'reset'}            ← {id}            (records, jobs, request log)
 *   → {id, cmd:'stats'}            ← {id, stats: HostStats}
 *   → {id, cmd:'close'}            ← {id}, then exits
 *
 * It builds the Org and listeners itself (rather than startFakeSalesforce) to read job timings
 * (createdAt / startedAt / finishedAt) that the public `jobs()` view leaves out; behaviour is the same.
 */
import { Org } from '../integration_tests/fake-salesforce/org';
import { type FakeHosts, listenHosts } from '../integration_tests/fake-salesforce/hosts';
import type { FakeSalesforceOptions } from '../integration_tests/fake-salesforce/types';

export interface HostJob {
  id: string;
  object: string;
  operation: string;
  state: string;
  rows: number;
  failed: number;
  uploadedBytes: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** Last GET of one of its result CSVs (the connector is done with the job then). */
  lastResultAt?: number;
}

/** One request to the instance host: when it arrived and when its answer was sent (ms since the epoch). */
export interface HostRequest {
  at: number;
  endAt: number;
  method: string;
  path: string;
}

export interface HostStats {
  /** Cumulative CPU of the host process (ms). */
  cpuUserMs: number;
  cpuSystemMs: number;
  rssBytes: number;
  requests: number;
  byRoute: Record<string, number>;
  jobs: HostJob[];
  liveRecords: Record<string, number>;
  requestTimes: HostRequest[];
  /** When the first describe of an object was answered (the connector can create jobs from then on). */
  firstDescribeAt?: number;
}

type Request =
  | { id: number; cmd: 'start'; options: FakeSalesforceOptions }
  | { id: number; cmd: 'set'; options: Partial<FakeSalesforceOptions> }
  | { id: number; cmd: 'reset' }
  | { id: number; cmd: 'stats' }
  | { id: number; cmd: 'close' };

let org: Org | undefined;
let hosts: FakeHosts | undefined;
const lastResultAt = new Map<string, number>();
let firstDescribeAt: number | undefined;
/** When each instance request arrived and was answered (for timelines: `stats().requestTimes`). */
const requestTimes: HostRequest[] = [];
const RESULT_PATH = /\/jobs\/ingest\/([^/]+)\/(successfulResults|failedResults|unprocessedrecords)\/?$/;
const DESCRIBE_PATH = /\/sobjects\/[^/]+\/describe\/?$/;

function reply(msg: Record<string, unknown>): void {
  process.send?.(msg);
}

async function start(options: FakeSalesforceOptions): Promise<{ loginUrl: string; instanceUrl: string; config: Record<string, unknown> }> {
  const o = new Org(options);
  org = o;
  hosts = await listenHosts(o);
  // The stand-in closes idle keep-alive sockets after 5 s. jsforce's bulk2 builds a large CSV for longer than
  // that before its PUT goes out on the socket its job create used; the close races the write, the PUT fails,
  // and jsforce's retry cannot resend the stream it already consumed ("Response body object should not be
  // disturbed or locked"). Salesforce's own keep-alive timeout is not documented; 65 s lets the loader run.
  hosts.instance.keepAliveTimeout = 65_000;
  hosts.instance.on('request', (req, res) => {
    const urlPath = (req.url ?? '').split('?')[0] ?? '';
    const entry: HostRequest = { at: Date.now(), endAt: 0, method: req.method ?? '', path: urlPath };
    requestTimes.push(entry);
    res.on('finish', () => (entry.endAt = Date.now()));
    const m = RESULT_PATH.exec(urlPath);
    if (m) req.on('end', () => lastResultAt.set(m[1] as string, Date.now()));
    else if (firstDescribeAt === undefined && DESCRIBE_PATH.test(urlPath)) res.on('finish', () => (firstDescribeAt ??= Date.now()));
  });
  const c = o.credentials;
  return {
    loginUrl: o.loginUrl,
    instanceUrl: o.instanceUrl,
    config: { auth_type: 'oauth2_refresh_token', client_id: c.clientId, client_secret: c.clientSecret, refresh_token: c.refreshToken, domain: o.loginUrl },
  };
}

function stats(): HostStats {
  const o = org as Org;
  const cpu = process.cpuUsage();
  const byRoute: Record<string, number> = {};
  for (const e of o.log) byRoute[e.route] = (byRoute[e.route] ?? 0) + 1;
  const jobs: HostJob[] = [...o.jobs.values()].map((j) => ({
    id: j.id,
    object: j.object,
    operation: j.operation,
    state: j.state,
    rows: j.results.length,
    failed: j.results.filter((r) => !r.ok).length,
    uploadedBytes: j.uploadedBytes,
    createdAt: j.createdAt,
    ...(j.startedAt !== undefined ? { startedAt: j.startedAt } : {}),
    ...(j.finishedAt !== undefined ? { finishedAt: j.finishedAt } : {}),
    ...(lastResultAt.has(j.id) ? { lastResultAt: lastResultAt.get(j.id) } : {}),
  }));
  const liveRecords: Record<string, number> = {};
  for (const name of ['Account', 'Contact']) liveRecords[name] = o.store.live(name).length;
  return {
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    rssBytes: process.memoryUsage.rss(),
    requests: o.log.length,
    byRoute,
    jobs,
    liveRecords,
    requestTimes,
    ...(firstDescribeAt !== undefined ? { firstDescribeAt } : {}),
  };
}

process.on('message', (raw: unknown) => {
  const req = raw as Request;
  void (async () => {
    try {
      switch (req.cmd) {
        case 'start':
          reply({ id: req.id, ...(await start(req.options)) });
          break;
        case 'set':
          org?.set(req.options);
          reply({ id: req.id });
          break;
        case 'reset':
          org?.reset();
          lastResultAt.clear();
          requestTimes.length = 0;
          firstDescribeAt = undefined;
          // The last run's records are garbage now: collect them here, not during the next measured run.
          (globalThis as { gc?: () => void }).gc?.();
          reply({ id: req.id });
          break;
        case 'stats':
          reply({ id: req.id, stats: stats() });
          break;
        case 'close':
          org?.reset();
          void hosts?.close();
          reply({ id: req.id });
          process.disconnect?.();
          break;
      }
    } catch (err) {
      reply({ id: req.id, error: err instanceof Error ? err.stack ?? err.message : String(err) });
    }
  })();
});
