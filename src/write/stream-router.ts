/**
 * Routes RECORDs to their stream's writer (plan + mapper + chunker + counters).
 * A RECORD for a stream that is not in the configured catalog is malformed input: system_error.
 */
import { type ConnectorError, systemError } from '../errors';
import { streamKey, type AirbyteRecord } from '../protocol/types';
import type { Segment } from './checkpoint-ledger';
import { keyColumn } from './key-waves';
import { CsvChunker, type ChunkLimits } from './csv-chunker';
import { RecordMapper } from './record-mapper';
import type { StreamPlan } from './stream-plan';

/** What a row in flight keeps besides its CSV values. */
export interface RowMeta {
  /**
   * The record as it arrived, for the rejects sink. Kept parsed: its text values are the very strings
   * in the row's CSV values, so this costs less than keeping the stdin line (measured in benchmarks/README.md).
   */
  record: AirbyteRecord;
  segment: Segment;
  seq: number;
}

export interface StreamStats {
  read: number;
  loaded: number;
  rejectedByCode: Map<string, number>;
  jobs: number;
}

export interface StreamWriter {
  plan: StreamPlan;
  mapper: RecordMapper;
  chunker: CsvChunker<RowMeta>;
  stats: StreamStats;
}

function requiredColumns(plan: StreamPlan): string[] {
  switch (plan.operation) {
    case 'update':
    case 'delete':
    case 'hardDelete':
      return ['Id'];
    case 'upsert':
      return plan.externalIdFieldName ? [plan.externalIdFieldName] : [];
    default:
      return [];
  }
}

export class StreamRouter {
  private readonly writers = new Map<string, StreamWriter>();

  constructor(plans: StreamPlan[], limits: ChunkLimits, warn: (message: string) => void) {
    for (const plan of plans) {
      const mapper = new RecordMapper(plan, warn);
      // Lookup columns (AccountId, Account.Ext_Id__c, …): rows of one parent go together (fewer row locks).
      const isParent = (column: string): boolean => column.includes('.') || mapper.columnTypes.get(column) === 'reference';
      this.writers.set(plan.key, {
        plan,
        mapper,
        chunker: new CsvChunker<RowMeta>(limits, requiredColumns(plan), isParent, keyColumn(plan.operation, plan.externalIdFieldName)),
        stats: { read: 0, loaded: 0, rejectedByCode: new Map(), jobs: 0 },
      });
    }
  }

  route(record: AirbyteRecord, line: number): StreamWriter {
    const key = streamKey({ name: record.stream, namespace: record.namespace ?? null });
    const writer = this.writers.get(key);
    if (writer) return writer;
    throw unknownStreamError(key, line);
  }

  get(key: string): StreamWriter | undefined {
    return this.writers.get(key);
  }

  all(): StreamWriter[] {
    return [...this.writers.values()];
  }
}

/** A RECORD whose stream is not in the configured catalog: malformed input, the sync stops. */
export function unknownStreamError(key: string, line: number): ConnectorError {
  return systemError(
    `Malformed input on stdin, line ${line}: a RECORD for stream "${key}", which is not in the configured catalog. The sync stopped.`,
  );
}
