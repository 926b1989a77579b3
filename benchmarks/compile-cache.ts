/**
 * The image's compile cache for the connector runs: when the Dockerfile sets NODE_COMPILE_CACHE, the image
 * warms it at build time with a `RUN node -e "…"` that loads every module a command may load. The benchmark
 * does the same once per invocation, with the Dockerfile's own script (run from the repository root, where
 * `./dist/…` is the built CLI) and the connector's Node flags, into a folder of its work directory, so every
 * measured connector run starts as it does in the image.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The warm-up script of the Dockerfile's last stage, if it sets NODE_COMPILE_CACHE. */
export function imageCompileCacheWarmUp(dockerfile: string): string | undefined {
  const text = fs.readFileSync(dockerfile, 'utf8').replace(/\\\r?\n/g, ' ');
  const lastStage = text.slice(text.lastIndexOf('\nFROM '));
  if (!/NODE_COMPILE_CACHE=/.test(lastStage)) return undefined;
  return /RUN node (?:--\S+ )*-e "([^"]*)"/.exec(lastStage)?.[1];
}

/** NODE_COMPILE_CACHE for the connector runs (warmed on first use), or nothing when the image has no cache. */
export function compileCacheEnv(dockerfile: string, workDir: string, nodeArgs: string[]): Record<string, string> {
  const script = imageCompileCacheWarmUp(dockerfile);
  if (script === undefined) return {};
  const dir = path.join(workDir, 'compile-cache');
  if (!fs.existsSync(dir)) {
    execFileSync(process.execPath, [...nodeArgs, '-e', script], {
      cwd: path.dirname(dockerfile),
      env: { ...process.env, NODE_COMPILE_CACHE: dir },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return { NODE_COMPILE_CACHE: dir };
}
