import { ApiBudget } from '../../src/salesforce/api-budget';
import { HttpSalesforceApi } from '../../src/salesforce/http-client';
import { json, startLocalServer, type LocalServer } from './local-server';

const limits = (apiRemaining: number, batchesRemaining: number) => ({
  DailyApiRequests: { Max: 1000, Remaining: apiRemaining },
  DailyBulkApiBatches: { Max: 15000, Remaining: batchesRemaining },
});

describe('ApiBudget', () => {
  test('under the threshold nothing is refused; at it, the error says how much is used and what to change', () => {
    const budget = new ApiBudget(90);
    budget.observeLimits(limits(101, 15000));
    expect(budget.refusal()).toBeUndefined();
    budget.observeHeader('api-usage=900/1000');
    const error = budget.refusal();
    expect(error?.failureType).toBe('transient_error');
    expect(error?.message).toContain('900 of 1000 daily API requests are used (90%), at or above max_api_usage_percent 90');
    expect(error?.message).toContain('rolling 24 hours');
  });

  test('the daily Bulk API batches are watched the same way', () => {
    const budget = new ApiBudget(80);
    budget.observeLimits(limits(1000, 3001));
    expect(budget.refusal()).toBeUndefined();
    budget.observeLimits(limits(1000, 3000));
    expect(budget.refusal()?.message).toContain('12000 of 15000 daily Bulk API batches are used (80%)');
  });

  test('a /limits answer older than the latest header does not lower the usage; /limits is due again after 5 minutes', () => {
    let now = 0;
    const budget = new ApiBudget(90, () => now);
    expect(budget.limitsDue()).toBe(true);
    budget.observeHeader('api-usage=50/1000');
    budget.observeLimits(limits(960, 15000));
    expect(budget.apiUsage()).toEqual({ used: 50, max: 1000 });
    expect(budget.limitsDue()).toBe(false);
    now = 5 * 60_000;
    expect(budget.limitsDue()).toBe(true);
  });
});

describe('HttpSalesforceApi with a budget', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test('reads /limits before the first new call; once spent, new calls are refused unsent, settling calls still go', async () => {
    let used = 0;
    server = await startLocalServer((req, res) => {
      used += 1;
      const header = { 'Sforce-Limit-Info': `api-usage=${used}/10` };
      if (req.url?.endsWith('/limits')) return json(res, 200, { DailyApiRequests: { Max: 10, Remaining: 10 - used } }, header);
      return json(res, 200, { ok: true }, header);
    });
    const api = new HttpSalesforceApi({
      apiVersion: '62.0',
      session: { accessToken: 't', instanceUrl: server.url },
      renewSession: async () => ({ accessToken: 't', instanceUrl: server!.url }),
      budget: new ApiBudget(50),
    });
    for (let i = 0; i < 4; i += 1) await api.request({ method: 'POST', path: 'jobs/ingest', json: {} });
    expect(server.seen.map((s) => s.url)).toEqual(['/services/data/v62.0/limits', ...Array(4).fill('/services/data/v62.0/jobs/ingest')]);
    await expect(api.request({ method: 'POST', path: 'jobs/ingest', json: {} })).rejects.toMatchObject({
      failureType: 'transient_error',
      message: expect.stringContaining('5 of 10 daily API requests are used (50%)'),
    });
    expect(server.seen).toHaveLength(5);
    await api.request({ method: 'GET', path: 'jobs/ingest/750x', settles: true });
    expect(server.seen).toHaveLength(6);
  });
});
