/**
 * Where a process spent its CPU, from a V8 `.cpuprofile` (`BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR"`):
 * self time by source file (project files by path, dependencies by package, V8/Node internals by name) and
 * the top functions. Usage: node dist/benchmarks/profile-summary.js DIR/CPU….cpuprofile [top=25]
 */
import * as fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A readable place for a frame: project file, dependency package, or the V8/Node category. */
export function placeOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `dep ${nm[1]}`;
  if (url.startsWith('node:')) return url;
  const own = /\/dist\/(.+)$/.exec(url);
  return own ? (own[1] as string) : url;
}

export function summarise(profile: Profile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byPlace = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    const place = placeOf(n.callFrame);
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${place}:${n.callFrame.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
  }
  const lines = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
  return [`total sampled ${(total / 1e6).toFixed(2)} s`, '', 'self time by place:', ...lines(byPlace), '', 'self time by function:', ...lines(byFn)].join('\n');
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: profile-summary.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile, Number(process.argv[3] ?? 25)));
}
