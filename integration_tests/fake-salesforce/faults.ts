/** Fault injection: scripted answers per route, and rows that fail once with a transient error. */
import type { RowError } from './field-values';
import type { FaultSpec } from './types';

interface ArmedFault {
  spec: FaultSpec;
  calls: number;
}

/** Picks a fault for a call no scripted fault matched (a seeded chaos source: chaos-faults.ts). */
export type FaultChooser = (route: string) => FaultSpec | undefined;

export class FaultBook {
  private faults: ArmedFault[] = [];
  private chooser: FaultChooser | undefined;

  /** Consulted after the scripted faults; undefined removes it. Cleared by clear(). */
  setChooser(chooser: FaultChooser | undefined): void {
    this.chooser = chooser;
  }

  add(spec: FaultSpec): void {
    this.faults.push({ spec, calls: 0 });
  }

  clear(): void {
    this.faults = [];
    this.chooser = undefined;
  }

  /** Counts this call of `route` for every fault on it; returns the first fault whose window it falls in. */
  hit(route: string): FaultSpec | undefined {
    let found: FaultSpec | undefined;
    for (const f of this.faults) {
      if (f.spec.route !== route) continue;
      f.calls += 1;
      const first = f.spec.nth ?? 1;
      const last = first + (f.spec.times ?? 1) - 1;
      if (!found && f.calls >= first && f.calls <= last) found = f.spec;
    }
    return found ?? this.chooser?.(route);
  }
}

/** Default body of an injected fault: Salesforce's generic 5xx body, or empty. */
export function defaultFaultBody(status: number): string {
  if (status >= 500) {
    return '[{"errorCode":"UNKNOWN_EXCEPTION","message":"An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-1234 (-1234567890)"}]';
  }
  return '';
}

const MESSAGES: Record<string, (id: string) => string> = {
  UNABLE_TO_LOCK_ROW: (id) => `unable to obtain exclusive access to this record or 200 records: ${id}`,
  FIELD_CUSTOM_VALIDATION_EXCEPTION: () => 'Injected validation rule failure',
  CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY: () => 'Injected trigger failure',
};

interface LockRule {
  match: (row: Record<string, string>) => boolean;
  code: string;
  /** How often each matching row (same values) has failed so far. */
  failures: Map<string, number>;
  times: number;
}

export class LockRules {
  private rules: LockRule[] = [];

  /** Matching rows fail their first `times` tries (Infinity: every try). */
  add(match: (row: Record<string, string>) => boolean, code = 'UNABLE_TO_LOCK_ROW', times = 1): void {
    this.rules.push({ match, code, failures: new Map(), times });
  }

  clear(): void {
    this.rules = [];
  }

  isEmpty(): boolean {
    return this.rules.length === 0;
  }

  /** A matching row (same values) fails its rule's first `times` tries; later it passes. */
  check(row: Record<string, string>, lockedId: string): RowError | undefined {
    const key = JSON.stringify(row);
    for (const rule of this.rules) {
      const failed = rule.failures.get(key) ?? 0;
      if (failed >= rule.times || !rule.match(row)) continue;
      rule.failures.set(key, failed + 1);
      const message = (MESSAGES[rule.code] ?? (() => 'Injected failure'))(lockedId);
      return { code: rule.code, message, fields: [] };
    }
    return undefined;
  }
}
