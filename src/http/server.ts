import type { ListenAddress } from '../config/listen-address.js';
import type { Logger } from '../log.js';
import type { HttpEngine, HttpExchange, HttpServer } from './exchange.js';

export type Route = (exchange: HttpExchange) => void;

/**
 * Routes by exact path, then method. A key ending in `/*` serves every path under it (the
 * Pushgateway's `/metrics/job/...`). Unknown paths get 404, known paths with another method 405.
 */
export function listenHttp(
  engine: HttpEngine,
  address: ListenAddress,
  routes: Record<string, Partial<Record<'GET' | 'POST' | 'PUT' | 'DELETE', Route>>>,
  log: Logger,
): Promise<HttpServer> {
  const table = new Map(Object.entries(routes));
  const prefixes = [...table.keys()]
    .filter((path) => path.endsWith('/*'))
    .map((path) => [path.slice(0, -1), table.get(path)!] as const);
  const handler = (exchange: HttpExchange): void => {
    const byMethod =
      table.get(exchange.path) ??
      prefixes.find(([prefix]) => exchange.path.startsWith(prefix))?.[1];
    if (byMethod === undefined) {
      exchange.respond(404, { 'content-type': 'text/plain' }, 'not found\n');
      return;
    }
    const route = byMethod[exchange.method as keyof typeof byMethod];
    if (route === undefined) {
      const allow = Object.keys(byMethod).join(', ');
      exchange.respond(405, { 'content-type': 'text/plain', allow }, 'method not allowed\n');
      return;
    }
    try {
      route(exchange);
    } catch (err) {
      log.error({ err, path: exchange.path }, 'http route failed');
      exchange.respond(500, { 'content-type': 'text/plain' }, 'internal error\n');
    }
  };

  return engine.listen(address.host, address.port, handler).then((server) => {
    log.info({ address: address.host, port: server.port, engine: engine.name }, 'http listening');
    return server;
  });
}
