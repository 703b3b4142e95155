import { describe, expect, it } from 'vitest';
import { createAdminRoutes } from '../../../../src/http/debug-routes.js';
import { fakeExchange } from '../../../helpers/fake-exchange.js';

const TOKEN = 'admin-secret';

function adminRoutes(token: string | null, withFaults: boolean) {
  const calls: string[] = [];
  const routes = createAdminRoutes({
    token,
    reload: async () => {
      calls.push('reload');
      return { isReloaded: true as const };
    },
    cardinality: async () => {
      calls.push('cardinality');
      return '{"series":0}';
    },
    faults: withFaults
      ? {
          injectFault: (shard, fault) => {
            calls.push(`fault ${shard} ${fault}`);
            return true;
          },
          injectMergerFault: (fault, delayMs) => {
            calls.push(`merger ${fault} ${delayMs}`);
            return true;
          },
          killLogWorker: async () => {
            calls.push('kill log worker');
          },
        }
      : null,
  });
  return { routes, calls };
}

async function call(
  routes: ReturnType<typeof adminRoutes>['routes'],
  path: string,
  method: 'GET' | 'POST',
  authorization: string | null,
  query = '',
) {
  const headers: Record<string, string> = authorization === null ? {} : { authorization };
  const { exchange, responses } = fakeExchange({ method, query, headers });
  routes[path][method]!(exchange);
  // The cardinality route answers after its report resolves.
  await new Promise((resolve) => setImmediate(resolve));
  return responses.map((response) => response.status);
}

const ROUTES = [
  { path: '/-/reload', method: 'POST', query: '', call: 'reload', status: 200 },
  { path: '/debug/cardinality', method: 'GET', query: '', call: 'cardinality', status: 200 },
  {
    path: '/debug/kill-worker',
    method: 'POST',
    query: 'shard=0',
    call: 'fault 0 throw',
    status: 202,
  },
  {
    path: '/debug/merger-fault',
    method: 'POST',
    query: 'fault=slow&delay-ms=50',
    call: 'merger slow 50',
    status: 202,
  },
  {
    path: '/debug/kill-log-worker',
    method: 'POST',
    query: '',
    call: 'kill log worker',
    status: 202,
  },
] as const;

describe('createAdminRoutes', () => {
  for (const row of ROUTES) {
    it(`answers 401 to ${row.method} ${row.path} without the admin token, running nothing`, async () => {
      const { routes, calls } = adminRoutes(TOKEN, true);
      expect(await call(routes, row.path, row.method, null, row.query)).toEqual([401]);
      expect(await call(routes, row.path, row.method, 'Bearer other', row.query)).toEqual([401]);
      expect(calls).toEqual([]);
    });

    it(`runs ${row.method} ${row.path} for the admin token`, async () => {
      const { routes, calls } = adminRoutes(TOKEN, true);
      const statuses = await call(routes, row.path, row.method, `Bearer ${TOKEN}`, row.query);
      expect(statuses).toEqual([row.status]);
      expect(calls).toEqual([row.call]);
    });
  }

  it('leaves every admin route open without a token, as before the flag', async () => {
    const { routes, calls } = adminRoutes(null, false);
    expect(await call(routes, '/-/reload', 'POST', null)).toEqual([200]);
    expect(await call(routes, '/debug/cardinality', 'GET', null)).toEqual([200]);
    expect(calls).toEqual(['reload', 'cardinality']);
  });

  it('mounts /debug/kill-worker only with fault injection on', () => {
    expect(Object.keys(adminRoutes(TOKEN, false).routes)).toEqual([
      '/-/reload',
      '/debug/cardinality',
    ]);
    expect(Object.keys(adminRoutes(TOKEN, true).routes)).toContain('/debug/kill-worker');
  });
});
