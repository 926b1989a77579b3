/** What CAT's test_docker_env and Airbyte's platform read from the Dockerfile and the built image. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/cli';

export interface DockerfileFacts {
  entrypoint: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
  user?: string;
  workdir?: string;
}

/** Splits `K=V K2="V 2"` (ENV/LABEL key=value form) into pairs, honouring double quotes and backslash escapes. */
function keyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) break;
    let key = '';
    while (i < text.length && text[i] !== '=' && !/\s/.test(text[i] as string)) key += text[i++];
    if (text[i] !== '=') throw new Error(`Dockerfile: expected key=value near "${text.slice(i - key.length, i + 20)}"`);
    i++;
    let value = '';
    let quote: string | undefined;
    while (i < text.length) {
      const c = text[i] as string;
      if (quote) {
        if (c === '\\' && quote === '"' && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        if (c === quote) quote = undefined;
        else value += c;
      } else if (c === '"' || c === "'") quote = c;
      else if (/\s/.test(c)) break;
      else value += c;
      i++;
    }
    out[key] = value;
  }
  return out;
}

/** The facts of the Dockerfile's last stage that CAT's test_docker_env and Airbyte's platform rely on. */
export function parseDockerfile(text: string): DockerfileFacts {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  let facts: DockerfileFacts = { entrypoint: [], env: {}, labels: {} };
  for (const line of logical) {
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const instruction = (m[1] as string).toUpperCase();
    const rest = m[2] as string;
    switch (instruction) {
      case 'FROM':
        facts = { entrypoint: [], env: {}, labels: {} }; // a new stage; only the last one is the image
        break;
      case 'ENV':
        Object.assign(facts.env, rest.includes('=') ? keyValues(rest) : { [rest.split(/\s+/)[0] as string]: rest.replace(/^\S+\s+/, '') });
        break;
      case 'LABEL':
        Object.assign(facts.labels, keyValues(rest));
        break;
      case 'ENTRYPOINT':
        facts.entrypoint = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : ['/bin/sh', '-c', rest];
        break;
      case 'USER':
        facts.user = rest;
        break;
      case 'WORKDIR':
        facts.workdir = rest;
        break;
    }
  }
  return facts;
}

/**
 * The built image's config (Entrypoint, Env, User, WorkingDir), for image runs: asked of the container
 * tool (`inspect`), or read from /tmp/dsf-image-config.json, which .ci/run writes just after the build.
 */
export function imageConfig(): { Entrypoint?: string[]; Env?: string[]; User?: string; WorkingDir?: string; Labels?: Record<string, string> } {
  const tool = path.resolve(REPO_ROOT, '..', 'shared', 'tools', 'container');
  try {
    return JSON.parse(execFileSync('bash', [tool, 'inspect'], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (err) {
    const saved = '/tmp/dsf-image-config.json';
    if (fs.existsSync(saved)) return JSON.parse(fs.readFileSync(saved, 'utf8'));
    throw new Error(`cannot read the image config (container inspect failed: ${(err as Error).message})`);
  }
}

export function envMap(env: string[] | undefined): Record<string, string> {
  return Object.fromEntries((env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}
