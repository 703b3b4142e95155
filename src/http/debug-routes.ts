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

/** POST /-/reload: 200 when the mapping file was re-read, 500 with the reason when kept. */
export function createReloadRoute(reload: () => ReloadOutcome): (exchange: HttpExchange) => void {
  return (exchange) => {
    const outcome = reload();
    if (outcome.isReloaded) exchange.respond(200, { 'content-type': 'text/plain' }, 'reloaded\n');
    else exchange.respond(500, { 'content-type': 'text/plain' }, `${outcome.reason}\n`);
  };
}
