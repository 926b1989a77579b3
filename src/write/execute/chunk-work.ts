/** A stream's cut chunk → the work a ChunkExecutor takes (pure): target, columns, rows and their field types. */
import type { Chunk, ChunkRow } from '../chunk/csv-chunker';
import type { RowMeta, StreamWriter } from '../plan/stream-router';
import type { ChunkWork } from './chunk-executor';

export function chunkWork(writer: Pick<StreamWriter, 'plan' | 'mapper'>, chunk: Chunk<RowMeta>, assignmentRuleId?: string, last = false): ChunkWork<ChunkRow<RowMeta>> {
  const { plan, mapper } = writer;
  return {
    object: plan.object,
    operation: plan.operation,
    ...(plan.externalIdFieldName ? { externalIdFieldName: plan.externalIdFieldName } : {}),
    ...(assignmentRuleId ? { assignmentRuleId } : {}),
    ...(plan.recordKey ? { key: plan.recordKey } : {}),
    columns: chunk.columns,
    rows: chunk.rows,
    ...(chunk.file ? { file: chunk.file } : {}),
    marked: chunk.marked,
    ...(last ? { last } : {}),
    types: new Map(chunk.columns.map((c) => [c, mapper.columnTypes.get(c) ?? 'string'])),
  };
}
