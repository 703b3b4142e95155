import type { HttpExchange } from './exchange.js';

/** GET /-/healthy: 200 while the process can answer at all. */
export function healthyRoute(exchange: HttpExchange): void {
  exchange.respond(200, { 'content-type': 'text/plain' }, 'OK\n');
}

/** GET /-/ready: 200 once every listener and worker is up (the first merge proves it). */
export function createReadyRoute(isReady: () => boolean): (exchange: HttpExchange) => void {
  return (exchange) => {
    if (isReady()) exchange.respond(200, { 'content-type': 'text/plain' }, 'OK\n');
    else exchange.respond(503, { 'content-type': 'text/plain' }, 'starting\n');
  };
}
