/** Assertions every CLI test makes: no secret on stdout or stderr, nothing written under HOME. */
import * as fs from 'node:fs';
import type { CliResult } from '../helpers/cli';

/** Values that must never be printed, PEM keys also line by line. */
export function secretValues(values: Array<string | undefined>): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (!v) continue;
    out.push(v);
    if (v.includes('-----BEGIN')) out.push(...v.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----')));
  }
  return out;
}

export function expectNoLeaks(result: CliResult, secrets: string[]): void {
  for (const s of secrets) {
    expect({ where: 'stdout', leaked: result.stdout.includes(s) ? s : undefined }).toEqual({ where: 'stdout', leaked: undefined });
    expect({ where: 'stderr', leaked: result.stderr.includes(s) ? s : undefined }).toEqual({ where: 'stderr', leaked: undefined });
  }
  expect(fs.readdirSync(result.home)).toEqual([]);
}
