import type { Exposition } from '../protocol.js';
import type { HttpExchange } from './exchange.js';
import type { ExpositionCache } from './exposition-cache.js';
import { acceptsGzip, prefersOpenMetrics } from './negotiate.js';

const CONTENT_TYPES = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
} as const;

// What a refused scraper is told; Prometheus itself just tries again next interval.
const RETRY_AFTER_SECONDS = '1';

export interface ScrapeLimit {
  /** Responses being written at once; the next one is answered 503. */
  maxConcurrentScrapes: number;
  /** Counts one refused scrape (catalyst_http_scrapes_refused_total). */
  onRefused(): void;
  /** A response whose body makes no progress this long is cut; 0 never cuts. */
  writeTimeoutMs: number;
  /** Counts one cut response (catalyst_http_scrapes_cut_total). */
  onCut(): void;
}

const UNLIMITED: ScrapeLimit = {
  maxConcurrentScrapes: Infinity,
  onRefused: () => {},
  writeTimeoutMs: 0,
  onCut: () => {},
};

/**
 * GET /metrics: the merger's latest rendering, gzip-compressed when the scraper accepts it.
 * Every response is the same shared bytes, but a slow reader keeps its rendering alive and
 * its socket busy until it has read them all: past `maxConcurrentScrapes` such responses
 * the next scrape is refused with 503 and Retry-After, never queued. A reader that stops
 * reading is cut after `writeTimeoutMs` without progress, or it would hold its place forever.
 */
export function createMetricsRoute(
  cache: ExpositionCache,
  limit: ScrapeLimit = UNLIMITED,
): (exchange: HttpExchange) => void {
  let sending = 0;
  const serveLimited = (exchange: HttpExchange, exposition: Exposition | null): void => {
    if (sending >= limit.maxConcurrentScrapes) {
      limit.onRefused();
      exchange.respond(
        503,
        { 'content-type': 'text/plain', 'retry-after': RETRY_AFTER_SECONDS },
        'too many scrapes in progress\n',
      );
      return;
    }
    sending++;
    if (limit.writeTimeoutMs > 0) exchange.setWriteTimeout?.(limit.writeTimeoutMs);
    serve(exchange, exposition, acceptsGzip(exchange.header('accept-encoding')));
    const sent = exchange.whenSent?.() ?? Promise.resolve('sent');
    void sent.then((outcome) => {
      sending--;
      if (outcome === 'cut') limit.onCut();
    });
  };

  return (exchange) => {
    if (!prefersOpenMetrics(exchange.header('accept'))) {
      serveLimited(exchange, cache.text);
      return;
    }
    // OpenMetrics when it arrives in time; the text format otherwise, which Prometheus reads too.
    void cache.openMetrics().then((exposition) => serveLimited(exchange, exposition ?? cache.text));
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
