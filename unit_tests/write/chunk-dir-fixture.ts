/** A ChunkDir in a fresh temp folder per test, removed after it (jest hooks registered by the call). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChunkDir } from '../../src/write/chunk/chunk-dir';

export function useChunkDir(prefix: string): { dir: () => ChunkDir; parent: () => string } {
  let parent = '';
  let dir: ChunkDir | undefined;
  beforeEach(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dir = ChunkDir.create(parent);
  });
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));
  return { dir: () => dir as ChunkDir, parent: () => parent };
}
