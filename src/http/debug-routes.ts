import type { ReloadOutcome } from '../config/mapping-reload.js';
import { guardRoutes } from './auth.js';
import {
  createKillLogWorkerRoute,
  createKillWorkerRoute,
  createMergerFaultRoute,
  type InjectFault,
  type InjectMergerFault,
} from './debug-route.js';
import type { HttpExchange } from './exchange.js';
import type { Route } from './server.js';

export interface AdminRouteOptions {
  /** --admin-token (or its file); null leaves the routes open, as before the flag existed. */
  token: string | null;
  reload: () => Promise<ReloadOutcome>;
  cardinality: () => Promise<string>;
  /** Set only with --debug-fault-injection on: mounts the /debug fault routes below. */
  faults: {
    injectFault: InjectFault;
    injectMergerFault: InjectMergerFault;
    killLogWorker: () => Promise<void>;
  } | null;
}

/**
 * The operator's routes: POST /-/reload and everything under /debug. All of them sit behind
 * the admin token here, in one table, so a debug route added later cannot be left open.
 */
export function createAdminRoutes(
  options: AdminRouteOptions,
): Record<string, Partial<Record<'GET' | 'POST', Route>>> {
  const routes: Record<string, Partial<Record<'GET' | 'POST', Route>>> = {
    '/-/reload': { POST: createReloadRoute(options.reload) },
    '/debug/cardinality': { GET: createCardinalityRoute(options.cardinality) },
  };
  const faults = options.faults;
  if (faults !== null) {
    routes['/debug/kill-worker'] = { POST: createKillWorkerRoute(faults.injectFault) };
    routes['/debug/merger-fault'] = { POST: createMergerFaultRoute(faults.injectMergerFault) };
    routes['/debug/kill-log-worker'] = { POST: createKillLogWorkerRoute(faults.killLogWorker) };
  }
  return guardRoutes(options.token, routes);
}

/** GET /debug/cardinality: the merger's JSON report of metrics by series count. */
export function createCardinalityRoute(
  report: () => Promise<string>,
): (exchange: HttpExchange) => void {
  return (exchange) => {
    void report().then((json) => {
      exchange.respond(200, { 'content-type': 'application/json' }, `${json}\n`);
    });
  };
}

/**
 * POST /-/reload: 200 once the merger and every shard applied the re-read file; 500 with the
 * reason when the file was kept; 503 when a thread did not acknowledge in time.
 */
export function createReloadRoute(
  reload: () => Promise<ReloadOutcome>,
): (exchange: HttpExchange) => void {
  return (exchange) => {
    const headers = { 'content-type': 'text/plain' };
    void reload().then(
      (outcome) => {
        if (outcome.isReloaded) exchange.respond(200, headers, 'reloaded\n');
        else exchange.respond(outcome.status, headers, `${outcome.reason}\n`);
      },
      (err: unknown) => exchange.respond(500, headers, `${(err as Error).message}\n`),
    );
  };
}
