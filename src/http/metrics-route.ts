import type { Exposition } from '../protocol.js';
import type { HttpExchange } from './exchange.js';
import type { ExpositionCache } from './exposition-cache.js';
import { acceptsGzip, prefersOpenMetrics } from './negotiate.js';

const CONTENT_TYPES = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
} as const;

/** GET /metrics: the merger's latest rendering, gzip-compressed when the scraper accepts it. */
export function createMetricsRoute(cache: ExpositionCache): (exchange: HttpExchange) => void {
  return (exchange) => {
    const accept = exchange.header('accept');
    const isGzip = acceptsGzip(exchange.header('accept-encoding'));
    if (!prefersOpenMetrics(accept)) {
      serve(exchange, cache.text, isGzip);
      return;
    }
    // OpenMetrics when it arrives in time; the text format otherwise, which Prometheus reads too.
    void cache
      .openMetrics()
      .then((exposition) => serve(exchange, exposition ?? cache.text, isGzip));
  };
}

function serve(exchange: HttpExchange, exposition: Exposition | null, isGzip: boolean): void {
  if (exposition === null) {
    exchange.respond(503, { 'content-type': 'text/plain' }, 'no exposition rendered yet\n');
    return;
  }
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPES[exposition.format],
    vary: 'accept, accept-encoding',
  };
  if (isGzip) headers['content-encoding'] = 'gzip';
  exchange.respond(200, headers, isGzip ? exposition.gzip : exposition.plain);
}
