/**
 * Shared helpers of the write CLI tests: build messages, run `write` against the fake Salesforce,
 * and assert that nothing was lost (every input row is in the org or rejected, echoed counts add up,
 * states echoed in order with their `id`).
 */
import { jsonl, ofType, runCli, writeTempJson, type CliResult } from '../helpers/cli';
import { startFakeSalesforce, type FakeSalesforce, type FakeSalesforceOptions, type ResultEcho } from '../fake-salesforce';

export type Msg = Record<string, unknown>;

const ECHOES: ResultEcho[] = ['as-uploaded', 'normalised'];

/** DSF_FAKE_RESULT_ECHO pins the fake's result echo for every CLI test ('as-uploaded' | 'normalised'). */
function pinnedEcho(): ResultEcho | undefined {
  const v = process.env.DSF_FAKE_RESULT_ECHO;
  if (v === undefined || v === '') return undefined;
  if (!(ECHOES as string[]).includes(v)) throw new Error(`DSF_FAKE_RESULT_ECHO must be one of ${ECHOES.join(', ')}, got ${v}`);
  return v as ResultEcho;
}

/**
 * The result-echo settings a test file runs its row-outcome cases under (`describe.each(RESULT_ECHOES)`):
 * both, unless DSF_FAKE_RESULT_ECHO pins one.
 */
export const RESULT_ECHOES: ResultEcho[] = pinnedEcho() ? [pinnedEcho() as ResultEcho] : ECHOES;

/** The same as [name, startFake options] pairs (`describe.each(ECHO_SETTINGS)`); as-uploaded without any number rewriting. */
export const ECHO_SETTINGS: Array<[ResultEcho, FakeSalesforceOptions]> = RESULT_ECHOES.map((e) => [
  e,
  e === 'as-uploaded' ? { resultEcho: e, normaliseResultValues: false } : { resultEcho: e },
]);

/**
 * Async processing ON by default: jobs wait before InProgress and process at a limited rate. The result echo is
 * DSF_FAKE_RESULT_ECHO's (default as-uploaded) unless `opts.resultEcho` says otherwise.
 */
export function startFake(opts: FakeSalesforceOptions = {}): Promise<FakeSalesforce> {
  return startFakeSalesforce({ processingDelayMs: 30, recordsPerSecond: 20_000, resultEcho: pinnedEcho(), ...opts });
}

export function record(stream: string, data: Record<string, unknown>, namespace?: string): Msg {
  return { type: 'RECORD', record: { stream, data, emitted_at: 1_700_000_000_000, ...(namespace ? { namespace } : {}) } };
}

let stateId = 0;
/** A STREAM state with a platform-style integer `id` and sourceStats. */
export function streamState(stream: string, cursor: unknown, recordCount?: number): Msg {
  stateId += 1;
  return {
    type: 'STATE',
    state: {
      type: 'STREAM',
      stream: { stream_descriptor: { name: stream }, stream_state: { cursor } },
      id: stateId,
      ...(recordCount !== undefined ? { sourceStats: { recordCount } } : {}),
    },
  };
}

export function globalState(cursor: unknown, recordCount?: number): Msg {
  stateId += 1;
  return {
    type: 'STATE',
    state: { type: 'GLOBAL', global: { shared_state: { cursor }, stream_states: [] }, id: stateId, ...(recordCount !== undefined ? { sourceStats: { recordCount } } : {}) },
  };
}

export function streamStatus(stream: string, status: 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE'): Msg {
  return { type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: stream }, status } } };
}

export interface StreamSpec {
  name: string;
  destination_sync_mode?: string;
  destination_object_name?: string;
  primary_key?: string[][];
  namespace?: string;
}

export function catalog(streams: Array<StreamSpec | string>): Msg {
  return {
    streams: streams.map((s) => {
      const spec = typeof s === 'string' ? { name: s } : s;
      const { name, namespace, ...rest } = spec;
      return {
        stream: { name, ...(namespace ? { namespace } : {}), json_schema: { type: 'object', properties: {} }, supported_sync_modes: ['full_refresh', 'incremental'] },
        sync_mode: 'incremental',
        destination_sync_mode: 'append',
        ...rest,
      };
    }),
  };
}

export interface WriteRun {
  result: CliResult;
  states: Msg[];
  logs: string[];
  errors: Msg[];
}

/** Short retry and re-send waits for CLI runs (the defaults are seconds). */
export const FAST_ENV: Record<string, string> = {
  DESTINATION_SALESFORCE_RETRY_BASE_MS: '5',
  DESTINATION_SALESFORCE_ROW_RETRY_SECONDS: '0.05',
  DESTINATION_SALESFORCE_RESEND_WAIT_SECONDS: '0.05',
};

/** A finished CLI run's STATE, LOG and error TRACE messages. */
export function writeRunOf(result: CliResult): WriteRun {
  return {
    result,
    states: ofType(result, 'STATE').map((m) => m.state as Msg),
    logs: ofType(result, 'LOG').map((m) => String(m.log.message)),
    errors: ofType(result, 'TRACE').filter((m) => m.trace.type === 'ERROR').map((m) => m.trace.error as Msg),
  };
}

export async function runWrite(
  fake: FakeSalesforce,
  opts: { config?: Msg; catalog: Msg; messages: Msg[] | string; env?: Record<string, string>; timeoutMs?: number },
): Promise<WriteRun> {
  const config = writeTempJson({ ...fake.config, allow_failures: true, ...opts.config }, 'config.json');
  const cat = writeTempJson(opts.catalog, 'catalog.json');
  const stdin = typeof opts.messages === 'string' ? opts.messages : jsonl(opts.messages);
  const result = await runCli(['write', '--config', config, '--catalog', cat], {
    stdin,
    env: { ...FAST_ENV, ...opts.env },
    timeoutMs: opts.timeoutMs ?? 60_000,
  });
  return writeRunOf(result);
}

/** Explains a failed run (stderr + errors) in assertion messages. */
export function explain(run: WriteRun): string {
  return `exit ${run.result.code}; errors: ${JSON.stringify(run.errors)}; stderr: ${run.result.stderr.slice(0, 2000)}`;
}

const inputStates = (messages: Msg[]) => messages.filter((m) => m.type === 'STATE').map((m) => m.state as Msg);
const inputRecords = (messages: Msg[]) => messages.filter((m) => m.type === 'RECORD').map((m) => m.record as { stream: string; data: Msg });

/**
 * The states echoed are the input states (a prefix of them, all when the sync succeeded), in order,
 * unchanged except for destinationStats; each one's loaded + rejected equals the records it covers.
 */
export function expectStatesEchoed(run: WriteRun, messages: Msg[], opts: { all?: boolean } = {}): void {
  const input = inputStates(messages);
  if (opts.all ?? true) expect(run.states.length).toBe(input.length);
  run.states.forEach((out, i) => {
    const { destinationStats, ...rest } = out as { destinationStats?: { recordCount: number; rejectedRecordCount?: number } };
    expect(rest).toEqual(input[i]);
    expect(destinationStats).toBeDefined();
    // records covered: since the previous state of the same scope
    const covered = coveredCounts(messages)[i] as number;
    expect((destinationStats?.recordCount ?? 0) + (destinationStats?.rejectedRecordCount ?? 0)).toBe(covered);
    const source = (input[i] as { sourceStats?: { recordCount?: number } }).sourceStats?.recordCount;
    if (source !== undefined) expect((destinationStats?.recordCount ?? 0) + (destinationStats?.rejectedRecordCount ?? 0)).toBe(source);
  });
}

/** For each input state: how many records it covers (STREAM: its stream since its previous state; else all). */
export function coveredCounts(messages: Msg[]): number[] {
  const open = new Map<string, number>();
  const out: number[] = [];
  for (const m of messages) {
    if (m.type === 'RECORD') {
      const s = (m.record as { stream: string }).stream;
      open.set(s, (open.get(s) ?? 0) + 1);
    } else if (m.type === 'STATE') {
      const st = m.state as { type?: string; stream?: { stream_descriptor: { name: string } } };
      if (st.type === 'STREAM' && st.stream) {
        const s = st.stream.stream_descriptor.name;
        out.push(open.get(s) ?? 0);
        open.delete(s);
      } else {
        out.push([...open.values()].reduce((a, b) => a + b, 0));
        open.clear();
      }
    }
  }
  return out;
}

/** Sums of the echoed destinationStats. */
export function echoedTotals(run: WriteRun): { loaded: number; rejected: number } {
  let loaded = 0;
  let rejected = 0;
  for (const s of run.states) {
    const d = s.destinationStats as { recordCount?: number; rejectedRecordCount?: number };
    loaded += d.recordCount ?? 0;
    rejected += d.rejectedRecordCount ?? 0;
  }
  return { loaded, rejected };
}

/**
 * Nothing lost: every input record (of `stream`) whose `key` value is in the org counts as loaded,
 * the others must be exactly the rejected ones; the echoed totals (when every record is covered by
 * a state) equal those numbers; and no key appears twice in the org (no duplicates from retries).
 */
export function expectNothingLost(
  run: WriteRun,
  messages: Msg[],
  org: Array<Record<string, unknown>>,
  opts: { key: string; orgKey?: string; stream?: string; expectRejected?: number },
): void {
  const records = inputRecords(messages).filter((r) => !opts.stream || r.stream === opts.stream);
  const orgKey = opts.orgKey ?? opts.key;
  const orgValues = org.map((r) => r[orgKey]);
  const counts = new Map<unknown, number>();
  for (const v of orgValues) counts.set(v, (counts.get(v) ?? 0) + 1);
  const duplicated = [...counts.entries()].filter(([, n]) => n > 1).map(([v]) => v);
  expect(duplicated).toEqual([]);
  const missing = records.filter((r) => !counts.has(r.data[opts.key]));
  if (opts.expectRejected !== undefined) expect(missing.length).toBe(opts.expectRejected);
  const covered = coveredCounts(messages).reduce((a, b) => a + b, 0);
  if (!opts.stream && covered === records.length && run.result.code === 0) {
    const totals = echoedTotals(run);
    expect(totals.loaded).toBe(records.length - missing.length);
    expect(totals.rejected).toBe(missing.length);
  }
}
