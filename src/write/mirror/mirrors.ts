/**
 * The mirror streams of one sync, as the write pipeline meets them (issue 16): which streams are
 * mirrors, the keys their source sent, their held-back last STATE, the scope check before any row is
 * written, and the mirror steps once every row is settled.
 */
import type { DestinationConfig } from '../../config/destination-config';
import { streamKey, type AirbyteStateMessage, type ConfiguredCatalog } from '../../protocol/types';
import type { BulkQueryClient } from '../../salesforce/bulk-query-client';
import { keyKindOf } from '../chunk/record-key';
import type { StreamPlan } from '../plan/stream-plan';
import { MirrorKeySet } from './key-set';
import { mirrorScopeOf, type MirrorPlan } from './mirror-plan';
import { runMirrorStep, type MirrorStepDeps } from './mirror-step';
import { MirrorStateHold } from './state-hold';

type MirrorStream = StreamPlan & { mirror: MirrorPlan };

export class Mirrors {
  private readonly keys = new Map<string, MirrorKeySet>();
  private readonly hold: MirrorStateHold;
  /** Streams the catalog makes mirrors (known before connecting). */
  readonly streamKeys: ReadonlySet<string>;

  constructor(config: DestinationConfig, catalog: ConfiguredCatalog) {
    const keys = new Set<string>();
    for (const cs of catalog.streams) {
      try {
        if (mirrorScopeOf(config, cs) !== undefined) keys.add(streamKey({ name: cs.stream.name, namespace: cs.stream.namespace ?? null }));
      } catch {
        // Overwrite without a scope: planning refuses it with the full message.
      }
    }
    this.streamKeys = keys;
    this.hold = new MirrorStateHold(keys);
  }

  get any(): boolean {
    return this.streamKeys.size > 0;
  }

  /** Each mirror's scope must be valid SOQL for its object: checked before any row is written. */
  async checkScopes(plans: StreamPlan[], query: BulkQueryClient): Promise<void> {
    for (const plan of mirrorsOf(plans)) {
      const { name, type, caseSensitive } = plan.mirror.keyField;
      this.keys.set(plan.key, new MirrorKeySet(name, keyKindOf(name, type, caseSensitive === true), plan.columnMapping));
      await query.checkSoql(`SELECT Id FROM ${plan.object} WHERE (${plan.mirror.scope}) LIMIT 1`, `The mirror_scope of stream ${plan.key} (${plan.mirror.scope})`);
    }
  }

  /** Notes a source row of a mirror stream (whatever becomes of it: rejected rows count as present). */
  noteRow(plan: StreamPlan, data: Record<string, unknown>): void {
    this.keys.get(plan.key)?.add(data);
  }

  /** States ready to echo → the ones to echo now (a mirror's latest is held). */
  pass(states: AirbyteStateMessage[]): AirbyteStateMessage[] {
    return this.hold.pass(states);
  }

  /** Runs every mirror step, then gives back the held states to echo. */
  async finish(plans: StreamPlan[], deps: MirrorStepDeps): Promise<AirbyteStateMessage[]> {
    for (const plan of mirrorsOf(plans)) {
      await runMirrorStep(plan, this.keys.get(plan.key) as MirrorKeySet, deps);
    }
    return this.hold.releaseAll();
  }
}

function mirrorsOf(plans: StreamPlan[]): MirrorStream[] {
  return plans.filter((p): p is MirrorStream => p.mirror !== undefined);
}
