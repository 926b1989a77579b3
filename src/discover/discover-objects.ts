/**
 * Lists the org's sObjects, narrows them by `discover_objects`, describes them (and the parents of
 * their lookups, for relationship paths) with bounded concurrency, and builds the operations.
 * An object that cannot be described is skipped with a WARN log; only when every describe fails
 * does discover fail. Retries of 429/5xx are the SalesforceApi's job.
 */
import { asConnectorError, transientError } from '../errors';
import type { DestinationOperation } from '../protocol/types';
import type { Describer, SObjectDescribe, SObjectSummary } from '../salesforce/types';
import { mapWithConcurrency } from './concurrency';
import { operationsFor, referencedObjects } from './operation-catalog';

export interface DiscoverLogger {
  warn(message: string): void;
  info(message: string): void;
}

export interface DiscoverOptions {
  describer: Describer;
  logger: DiscoverLogger;
  /** `discover_objects`: object names or name prefixes, case-insensitive; a trailing `*` is allowed. */
  discoverObjects?: string[];
  /** Describe calls in flight at once (default 8). */
  concurrency?: number;
}

export const DEFAULT_DESCRIBE_CONCURRENCY = 8;

const writable = (s: SObjectSummary): boolean => s.createable || s.updateable || s.deletable;

/** A pattern matches a name equal to it or starting with it, ignoring case (`Invoice` → `Invoice__c`). */
export function matchesObjectFilter(name: string, patterns: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return patterns.some((p) => {
    const prefix = p.trim().replace(/\*+$/, '').toLowerCase();
    return prefix.length > 0 && lower.startsWith(prefix);
  });
}

/** The objects to describe: writable ones, narrowed by the filter when one is given. */
export function selectObjects(all: SObjectSummary[], patterns: readonly string[] | undefined, logger: DiscoverLogger): SObjectSummary[] {
  const candidates = all.filter(writable);
  if (!patterns || patterns.length === 0) return candidates;
  for (const p of patterns) {
    if (!all.some((s) => matchesObjectFilter(s.name, [p]))) logger.warn(`discover_objects: "${p}" matches no sObject in this org.`);
  }
  return candidates.filter((s) => matchesObjectFilter(s.name, patterns));
}

/** The user-facing text of an error (internal details and stacks stay out of the log). */
const reason = (err: unknown): string => asConnectorError(err).message;

export async function discoverOperations(opts: DiscoverOptions): Promise<DestinationOperation[]> {
  const { describer, logger } = opts;
  const limit = opts.concurrency ?? DEFAULT_DESCRIBE_CONCURRENCY;
  const all = await describer.listSObjects();
  const selected = selectObjects(all, opts.discoverObjects, logger);
  const known = new Set(all.map((s) => s.name));

  const failures: unknown[] = [];
  const describes = await mapWithConcurrency(selected, limit, async (s) => {
    try {
      const d = await describer.describe(s.name);
      if (!d) logger.warn(`Skipped sObject ${s.name}: Salesforce no longer knows it (describe returned NOT_FOUND).`);
      return d;
    } catch (err) {
      failures.push(err);
      logger.warn(`Skipped sObject ${s.name}: its describe failed, so it is not in the catalog: ${reason(err)}`);
      return undefined;
    }
  });
  const described = describes.filter((d): d is SObjectDescribe => d !== undefined);
  if (selected.length > 0 && described.length === 0 && failures.length > 0) {
    const e = asConnectorError(failures[0]);
    throw e.failureType === 'config_error' ? e : transientError(`Could not describe any of the ${selected.length} sObjects selected for discover: ${reason(failures[0])}`, e.internalMessage);
  }

  // Parents of lookups, for relationship paths (`Account.Ext_Id__c`); the describer caches per object.
  const byName = new Map(described.map((d) => [d.name, d]));
  const parents = [...new Set(described.flatMap(referencedObjects))].filter((n) => !byName.has(n) && known.has(n));
  await mapWithConcurrency(parents, limit, async (name) => {
    try {
      const d = await describer.describe(name);
      if (d) byName.set(name, d);
    } catch (err) {
      logger.warn(`Could not describe ${name}, so lookups to it are offered by Id only: ${reason(err)}`);
    }
  });

  const lookup = (name: string): SObjectDescribe | undefined => byName.get(name);
  const operations = described.flatMap((d) => operationsFor(d, lookup));
  logger.info(`Discovered ${operations.length} operations on ${new Set(operations.map((o) => o.object_name)).size} of ${selected.length} sObjects described.`);
  return operations;
}
