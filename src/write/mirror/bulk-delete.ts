/**
 * Deletes records by Id through the chunk executor the sync uses (api-choice.ts: a few Ids through
 * sObject Collections in api_mode auto, many — and every hard delete — through Bulk jobs), one outcome per Id.
 */
import { type ChunkExecutor, settledRows } from '../execute/chunk-executor';
import type { DeleteOutcome } from './mirror-step';

export function bulkDeleter(executor: ChunkExecutor) {
  return async (object: string, operation: 'delete' | 'hardDelete', ids: string[]): Promise<DeleteOutcome[]> => {
    const rows = ids.map((id) => ({ cells: [id] }));
    const outcome = await executor.run({
      object, operation, columns: ['Id'], rows, types: new Map([['Id', 'id']]), key: { column: 'Id', kind: 'id' },
    });
    // The executor hands back the same row objects: match outcomes to Ids by identity, not position.
    const byRow = new Map(settledRows(outcome.settled).map((s) => [s.row, s.result]));
    return rows.map((row): DeleteOutcome => {
      const result = byRow.get(row);
      if (!result) return { deleted: false, code: 'DESTINATION_RESULT_MISSING', message: 'no outcome for this Id' };
      return result.kind === 'loaded' ? { deleted: true } : { deleted: false, code: result.code, message: result.message };
    });
  };
}
