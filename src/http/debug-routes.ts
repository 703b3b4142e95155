import type { ReloadOutcome } from '../config/mapping-reload.js';
import type { HttpExchange } from './exchange.js';

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
