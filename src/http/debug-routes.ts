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
  reload: () => ReloadOutcome;
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

/** POST /-/reload: 200 when the mapping file was re-read, 500 with the reason when kept. */
export function createReloadRoute(reload: () => ReloadOutcome): (exchange: HttpExchange) => void {
  return (exchange) => {
    const outcome = reload();
    if (outcome.isReloaded) exchange.respond(200, { 'content-type': 'text/plain' }, 'reloaded\n');
    else exchange.respond(500, { 'content-type': 'text/plain' }, `${outcome.reason}\n`);
  };
}
