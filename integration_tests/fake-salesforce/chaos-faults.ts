/**
 * Seeded random faults for chaos tests: a FaultChooser (see faults.ts) that, for each call, draws from
 * the seed whether it fails and how — 5xx, 429 with Retry-After, a connection dropped before or after
 * the request took effect. Same seed, same sequence of draws (the calls' order may still differ).
 */
import type { FaultChooser } from './faults';
import type { FaultSpec } from './types';

/** mulberry32: a tiny seeded PRNG (test data only; not for anything secret). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type FaultKind = 'http500' | 'http503' | 'http429' | 'dropBefore' | 'dropAfter' | 'http500After';

const ALL: FaultKind[] = ['http500', 'http503', 'http429', 'dropBefore', 'dropAfter', 'http500After'];
const BEFORE_ONLY: FaultKind[] = ['http500', 'http503', 'http429', 'dropBefore'];

/**
 * Kinds allowed per route. The token grant only fails before handling: a refresh whose outcome is
 * unknown is deliberately not resent (rotation-safe), so that would only end the sync.
 */
const ROUTE_KINDS: Record<string, FaultKind[]> = {
  'oauth.token': ['http503'],
  'sobjects.describe': BEFORE_ONLY,
  'ingest.create': ALL,
  'ingest.list': BEFORE_ONLY,
  'ingest.upload': ALL,
  'ingest.patch': ALL,
  'ingest.info': ALL,
  'ingest.successfulResults': ALL,
  'ingest.failedResults': ALL,
  'ingest.unprocessedrecords': ALL,
};

export interface ChaosOptions {
  /** Probability that a call of a listed route fails (default 0.04). */
  rate?: number;
  /** Retry-After seconds of a 429 (default '0.2'). */
  retryAfter?: string;
}

export interface ChaosChooser {
  choose: FaultChooser;
  /** Faults injected so far, per route and kind (for the test's report). */
  injected(): Record<string, number>;
}

export function chaosChooser(seed: number, opts: ChaosOptions = {}): ChaosChooser {
  const random = seededRandom(seed);
  const rate = opts.rate ?? 0.04;
  const counts: Record<string, number> = {};
  const choose: FaultChooser = (route) => {
    const kinds = ROUTE_KINDS[route];
    if (!kinds) return undefined;
    // Always two draws per call, so one route's faults do not shift another's sequence more than needed.
    const hit = random() < rate;
    const kind = kinds[Math.floor(random() * kinds.length)] as FaultKind;
    if (!hit) return undefined;
    counts[`${route} ${kind}`] = (counts[`${route} ${kind}`] ?? 0) + 1;
    return toSpec(route, kind, opts.retryAfter ?? '0.2');
  };
  return { choose, injected: () => ({ ...counts }) };
}

function toSpec(route: string, kind: FaultKind, retryAfter: string): FaultSpec {
  switch (kind) {
    case 'http500':
      return { route, status: 500 };
    case 'http503':
      return { route, status: 503 };
    case 'http429':
      return { route, status: 429, headers: { 'Retry-After': retryAfter } };
    case 'dropBefore':
      return { route, drop: true };
    case 'dropAfter':
      return { route, drop: true, afterHandling: true };
    case 'http500After':
      return { route, status: 500, afterHandling: true };
  }
}
