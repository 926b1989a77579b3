/**
 * Routes RECORDs to their stream's writer (plan + mapper + chunker + counters).
 * A RECORD for a stream that is not in the configured catalog is malformed input: system_error.
 */
import { type ConnectorError, systemError } from '../../errors';
import type { ChunkFile } from '../chunk/chunk-file';
import { CsvChunker, type ChunkLimits } from '../chunk/csv-chunker';
import { LookAlikeMarker } from '../execute/look-alikes';
import { RecordMapper } from '../map/record-mapper';
import type { Segment } from '../settle/checkpoint-ledger';
import type { KeptRecord } from '../settle/record-spool';
import type { StreamPlan } from './stream-plan';

/** What a row in flight keeps besides its CSV values (measured in benchmarks/README.md). */
export interface RowMeta {
  /**
   * The record as it arrived, for the rejects sink: in the record spool (settle/record-spool.ts) once
   * the row is mapped — the parsed record would keep its values in memory until the row is settled.
   */
  record: KeptRecord;
  segment: Segment;
  seq: number;
}

export interface StreamStats {
  read: number;
  loaded: number;
  /** Input rows folded into an earlier version of their record (one row, one job). */
  merged: number;
  /** Records whose versions were merged (counted once per chunk they were merged in). */
  mergedRecords: number;
  rejectedByCode: Map<string, number>;
  jobs: number;
}

export interface StreamWriter {
  plan: StreamPlan;
  mapper: RecordMapper;
  chunker: CsvChunker<RowMeta>;
  stats: StreamStats;
}

export class StreamRouter {
  private readonly writers = new Map<string, StreamWriter>();
  private readonly list: StreamWriter[];

  /** `newFile`: open chunks go to disk as rows arrive (chunk/csv-chunker.ts); without it they stay in memory. */
  constructor(plans: StreamPlan[], limits: ChunkLimits, warn: (message: string) => void, newFile?: () => ChunkFile) {
    for (const plan of plans) {
      const mapper = new RecordMapper(plan, warn);
      // Lookup columns (AccountId, Account.Ext_Id__c, …): rows of one parent go together (fewer row locks).
      const isParent = (column: string): boolean => column.includes('.') || mapper.columnTypes.get(column) === 'reference';
      // The record key column (Id / external id) leads every chunk's header; versions of a record merge.
      const writer: StreamWriter = {
        plan,
        mapper,
        // Look-alike waves are marked as rows arrive (the cells of a chunk on disk are gone by the cut).
        chunker: new CsvChunker<RowMeta>(limits, plan.recordKey ? [plan.recordKey.column] : [], isParent, plan.recordKey, {
          ...(newFile ? { newFile } : {}),
          marker: new LookAlikeMarker((column) => mapper.columnTypes.get(column), plan.recordKey),
        }),
        stats: { read: 0, loaded: 0, merged: 0, mergedRecords: 0, rejectedByCode: new Map(), jobs: 0 },
      };
      this.writers.set(plan.key, writer);
    }
    this.list = [...this.writers.values()];
  }

  /** The writer of the stream `key` (streamKey of the record's stream). */
  route(key: string, line: number): StreamWriter {
    const writer = this.writers.get(key);
    if (writer) return writer;
    throw unknownStreamError(key, line);
  }

  /** Every writer, in catalog order (the same array each time: do not change it). */
  all(): readonly StreamWriter[] {
    return this.list;
  }
}

/** A RECORD whose stream is not in the configured catalog: malformed input, the sync stops. */
export function unknownStreamError(key: string, line: number): ConnectorError {
  return systemError(
    `Malformed input on stdin, line ${line}: a RECORD for stream "${key}", which is not in the configured catalog. The sync stopped.`,
  );
}
