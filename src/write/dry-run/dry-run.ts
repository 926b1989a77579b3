/**
 * `dry_run: true`: signs in, plans every stream (describe, the same checks as a sync), maps and
 * validates every row (record-mapper.ts, then row-checks.ts), and writes nothing to Salesforce: no
 * ingest job, no DML. Rows that would be rejected go to the rejects store marked `dry_run`; a LOG
 * per stream says how many rows would be sent and which would be rejected and why (input line, code,
 * fields, message without values). No STATE is echoed, so Airbyte does not advance; the outcome does
 * not depend on allow_failures. Bad input (a stream not in the catalog) still fails the run.
 */
import type { DestinationConfig } from '../../config/destination-config';
import type { Emitter } from '../../protocol/emitter';
import { streamKey, type AirbyteRecord, type ConfiguredCatalog, type InputMessage } from '../../protocol/types';
import { maskValues } from '../../rejects/mask-values';
import type { RejectsSink } from '../../rejects/rejects-sink';
import type { Describer } from '../../salesforce/types';
import { planStreams } from '../plan/stream-plan';
import { StreamRouter, unknownStreamError, type StreamWriter } from '../plan/stream-router';
import { checkRow, type RowProblem } from './row-checks';

export interface DryRunDeps {
  config: DestinationConfig;
  catalog: ConfiguredCatalog;
  emitter: Emitter;
  rejects: RejectsSink;
  /** Connects on first use (so empty input makes no API call). */
  openSalesforce: () => Promise<{ describer: Describer }>;
  now: () => number;
}

/** Rejected rows listed one by one in the LOG per stream; the rest are counted (all are in the rejects store). */
const LISTED_PER_STREAM = 50;

interface Report {
  wouldSend: number;
  rejected: Map<string, number>;
  listed: string[];
}

export class DryRun {
  private router: StreamRouter | undefined;
  private describer: Describer | undefined;
  private keyPrefixes = new Map<string, string>();
  private readonly reports = new Map<StreamWriter, Report>();
  private readonly catalogKeys: Set<string>;

  constructor(private readonly deps: DryRunDeps) {
    this.catalogKeys = new Set(deps.catalog.streams.map((s) => streamKey({ name: s.stream.name, namespace: s.stream.namespace ?? null })));
  }

  async run(messages: AsyncIterable<InputMessage>): Promise<void> {
    this.deps.emitter.info('Dry run (dry_run: true): rows are mapped and checked; nothing is written to Salesforce and no state is echoed.');
    for await (const msg of messages) {
      if (msg.type === 'RECORD') await this.onRecord(msg.record, msg.line);
    }
    await this.deps.rejects.flush();
    this.report();
  }

  private async onRecord(record: AirbyteRecord, line: number): Promise<void> {
    const key = streamKey({ name: record.stream, namespace: record.namespace ?? null });
    if (!this.catalogKeys.has(key)) throw unknownStreamError(key, line);
    const writer = (this.router ?? (await this.start())).route(key, line);
    writer.stats.read += 1;
    let mapped = writer.mapper.mapOrNeed(record.data);
    while ('need' in mapped) {
      for (const parent of mapped.need) writer.mapper.addParent(parent, await (this.describer as Describer).describe(parent));
      mapped = writer.mapper.mapOrNeed(record.data);
    }
    const problem: RowProblem | undefined = mapped.ok ? checkRow(writer.plan, mapped.cells, this.keyPrefixes) : mapped;
    const report = this.reportOf(writer);
    if (!problem) {
      report.wouldSend += 1;
      return;
    }
    report.rejected.set(problem.code, (report.rejected.get(problem.code) ?? 0) + 1);
    if (report.listed.length < LISTED_PER_STREAM) {
      const fields = problem.fields.length ? ` (${problem.fields.join(', ')})` : '';
      report.listed.push(`input line ${line}: ${problem.code}${fields}: ${maskValues(problem.message, record.data)}`);
    }
    const { plan } = writer;
    this.deps.rejects.add({
      record,
      stream: plan.stream,
      object: plan.object,
      operation: plan.operation,
      errorCode: problem.code,
      errorMessage: problem.message,
      fields: problem.fields,
      attempts: 0,
      rejectedAt: new Date(this.deps.now()).toISOString(),
      dryRun: true,
    });
  }

  private async start(): Promise<StreamRouter> {
    const { describer } = await this.deps.openSalesforce();
    const plans = await planStreams(this.deps.config, this.deps.catalog.streams, describer);
    for (const s of await describer.listSObjects()) {
      if (typeof s.keyPrefix === 'string' && s.keyPrefix) this.keyPrefixes.set(s.name, s.keyPrefix);
    }
    this.describer = describer;
    const limits = { maxBytes: Number.MAX_SAFE_INTEGER, maxRows: Number.MAX_SAFE_INTEGER };
    this.router = new StreamRouter(plans, limits, (m) => this.deps.emitter.warn(m));
    return this.router;
  }

  private reportOf(writer: StreamWriter): Report {
    let report = this.reports.get(writer);
    if (!report) {
      report = { wouldSend: 0, rejected: new Map(), listed: [] };
      this.reports.set(writer, report);
    }
    return report;
  }

  private report(): void {
    if (!this.router) {
      this.deps.emitter.info('Dry run finished: no records received; nothing would be sent.');
      return;
    }
    for (const writer of this.router.all()) {
      const r = this.reportOf(writer);
      const rejected = [...r.rejected.values()].reduce((a, b) => a + b, 0);
      const codes = [...r.rejected.entries()].map(([code, n]) => `${code}: ${n}`).join(', ');
      const head =
        `Dry run, stream ${writer.plan.key} → ${writer.plan.object} (${writer.plan.operation}): ${writer.stats.read} rows read, ` +
        `${r.wouldSend} would be sent, ${rejected} would be rejected${codes ? ` (${codes})` : ''}.`;
      const more = rejected > r.listed.length ? [`… and ${rejected - r.listed.length} more.`] : [];
      const lines = rejected ? [head, 'Rows that would be rejected:', ...r.listed.map((l) => `- ${l}`), ...more] : [head];
      this.deps.emitter.info(lines.join('\n'));
    }
    this.deps.emitter.info(`Dry run finished: nothing was written to Salesforce and no state was echoed. Rows that would be rejected: ${this.deps.rejects.location()}.`);
  }
}
