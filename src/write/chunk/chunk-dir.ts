/**
 * The temporary folder of one sync's chunk files (chunk-file.ts): `<tmp>/dsf-salesforce/<pid>-XXXXXX`, made at
 * the first job and removed at the end (with any file left); folders that killed processes left there are
 * removed when the next sync starts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChunkFile } from './chunk-file';

/** This connector's folder in the temp folder; each process's chunk folder in it is `<pid>-XXXXXX`. */
const ROOT = 'dsf-salesforce';

/**
 * Removes `<pid>-…` folders whose process is gone (a SIGKILL leaves its folder behind). Only our own
 * folder is read, never the whole temp folder (tens of thousands of entries on a busy host).
 */
function removeStale(root: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** `<tmp>/dsf-salesforce`, made private to this user; undefined when it exists as something else (another user's folder, a file). */
function sharedRoot(tmp: string): string | undefined {
  const root = path.join(tmp, ROOT);
  try {
    fs.mkdirSync(root, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const stat = fs.lstatSync(root);
  const uid = process.getuid?.();
  return stat.isDirectory() && (uid === undefined || stat.uid === uid) ? root : undefined;
}

/** A folder for this process's chunk files, removed (with any file left) by `remove`. */
export class ChunkDir {
  private next = 0;

  private constructor(
    readonly path: string,
    private readonly root: string | undefined,
  ) {}

  /**
   * `<tmp>/dsf-salesforce/<pid>-XXXXXX`; folders there left by processes that no longer run (killed) are
   * removed first. When `dsf-salesforce` is not ours, `<tmp>/dsf-salesforce-<pid>-XXXXXX` (no clean-up).
   */
  static create(tmp = os.tmpdir()): ChunkDir {
    for (let attempt = 1; ; attempt++) {
      try {
        const root = sharedRoot(tmp);
        if (!root) return new ChunkDir(fs.mkdtempSync(path.join(tmp, `${ROOT}-${process.pid}-`)), undefined);
        removeStale(root);
        return new ChunkDir(fs.mkdtempSync(path.join(root, `${process.pid}-`)), root);
      } catch (err) {
        // Another process removed the shared folder as it left it empty: make it again (each such removal is
        // another sync ending, so this does not go on; the bound only ends it when the temp folder is missing).
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 20) throw err;
      }
    }
  }

  newFile(): ChunkFile {
    this.next += 1;
    return new ChunkFile(path.join(this.path, `chunk-${this.next}.csv`));
  }

  /** Removes this process's folder, and the shared folder when no other process has one in it. */
  remove(): void {
    fs.rmSync(this.path, { recursive: true, force: true });
    if (!this.root) return;
    try {
      fs.rmdirSync(this.root);
    } catch {
      // not empty (another sync is running) or already gone
    }
  }
}
