/** startFakeSalesforce: the in-process server plus the inspection/control surface tests use. */
import { toFakeJob } from './jobs';
import { RETRIES_EXHAUSTED } from './poison-rows';
import { Org } from './org';
import { findField, findObject } from './org-schema';
import { listenHosts } from './hosts';
import type { FieldValue } from './store';
import type { FakeSalesforce, FakeSalesforceOptions } from './types';

function toFieldValue(v: unknown): FieldValue {
  if (v instanceof Date) return v.toISOString();
  if (v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
  return JSON.stringify(v);
}

export async function startFakeSalesforce(options: FakeSalesforceOptions = {}): Promise<FakeSalesforce> {
  const org = new Org(options);
  const hosts = await listenHosts(org);
  const c = org.credentials;

  const fake: FakeSalesforce = {
    loginUrl: org.loginUrl,
    instanceUrl: org.instanceUrl,
    credentials: c,
    config: {
      auth_type: 'oauth2_refresh_token',
      client_id: c.clientId,
      client_secret: c.clientSecret,
      refresh_token: c.refreshToken,
      domain: org.loginUrl,
      // The suites written before sObject Collections assert Bulk jobs for small loads; REST tests set api_mode themselves.
      api_mode: 'bulk',
    },
    records: (object) => org.store.live(object).map((r) => ({ ...r.values })),
    deletedIds: (object) => org.store.deleted(object).map((r) => r.id),
    seed: (object, rows) => {
      const obj = findObject(object);
      if (!obj) throw new Error(`fake-salesforce: unknown object ${object}`);
      return rows.map((row) => {
        const values: Record<string, FieldValue> = {};
        for (const [k, v] of Object.entries(row)) {
          const fd = findField(obj, k);
          if (!fd) throw new Error(`fake-salesforce: unknown field ${obj.name}.${k}`);
          if (fd.name !== 'Id') values[fd.name] = toFieldValue(v);
        }
        for (const fd of obj.fields) {
          if (fd.name in values || !fd.createable) continue;
          if (fd.name === 'OwnerId') values.OwnerId = org.userId;
          else if (fd.defaultValue !== undefined && fd.defaultValue !== null) values[fd.name] = fd.defaultValue;
        }
        return org.store.insert(obj, values).id;
      });
    },
    requests: () => org.log.map((e) => ({ ...e })),
    jobs: () => [...org.jobs.values()].map(toFakeJob),
    injectFault: (f) => org.faults.add(f),
    setFaultChooser: (chooser) => org.faults.setChooser(chooser),
    failRowsOnce: (match, code) => org.lockRules.add(match, code),
    failRows: (match, { code, times }) => org.lockRules.add(match, code, times),
    failNextJob: (failure = {}) =>
      void org.jobFailures.push({
        afterRows: failure.afterRows ?? 0,
        errorMessage: failure.errorMessage ?? RETRIES_EXHAUSTED,
      }),
    poisonRows: (match, errorMessage) => org.poisonRows.add(match, errorMessage),
    set: (o) => org.set(o),
    reset: () => org.reset(),
    close: () => {
      org.reset();
      return hosts.close();
    },
  };
  return fake;
}
