/**
 * Scrape load on /metrics for a bounded time, two ways:
 *  - autocannon, as the issue asks, with one plain and one gzip body measured after;
 *  - a keep-alive node:http client, for latency. autocannon appends every body chunk to a
 *    string and parses HTTP in JavaScript: with megabyte bodies the client, not the
 *    daemon, sets its latency (measured 2026-12-03: against a node:http server answering a
 *    fixed 1.26 MB body it reached 53 req/s, p50 76 ms, with 4 connections).
 */
import autocannon from 'autocannon';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface ScrapeFigures {
  requestsPerSec: number;
  /** Response bytes per second as autocannon read them (gzip on the wire). */
  wireBytesPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  bodyBytesPlain: number;
  bodyBytesGzip: number;
  non2xx: number;
}

export async function loadScrape(
  url: string,
  durationSec: number,
  connections: number,
): Promise<ScrapeFigures> {
  const result = await autocannon({
    url,
    connections,
    duration: durationSec,
    headers: { 'accept-encoding': 'gzip' },
  });
  return {
    requestsPerSec: Math.round(result.requests.average),
    wireBytesPerSec: Math.round(result.throughput.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    bodyBytesPlain: await bodyBytes(url, {}),
    bodyBytesGzip: await bodyBytes(url, { 'accept-encoding': 'gzip' }),
    non2xx: result.non2xx,
  };
}

/** Bytes on the wire, undecoded: fetch() would inflate gzip before counting. */
function bodyBytes(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () => resolve(bytes));
      })
      .on('error', reject);
  });
}

export interface LatencyFigures {
  requestsPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

/**
 * `connections` keep-alive loops of gzip GETs, each waiting for the whole body, until
 * `durationSec` passes: what a scraper sees of the served bytes, without autocannon's cost.
 */
export async function measureScrapeLatency(
  url: string,
  durationSec: number,
  connections: number,
): Promise<LatencyFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latenciesMs: number[] = [];
  const endsAt = performance.now() + durationSec * 1000;
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        // Bounded by the deadline: each pass is one complete request.
        while (performance.now() < endsAt) {
          const started = performance.now();
          await getWholeBody(url, agent);
          latenciesMs.push(performance.now() - started);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  latenciesMs.sort((a, b) => a - b);
  const at = (share: number): number =>
    Math.round(
      (latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(latenciesMs.length * share))] ?? 0) *
        10,
    ) / 10;
  return {
    requestsPerSec: Math.round(latenciesMs.length / durationSec),
    latencyP50Ms: at(0.5),
    latencyP99Ms: at(0.99),
  };
}

function getWholeBody(url: string, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers: { 'accept-encoding': 'gzip' } }, (response) => {
        response.on('data', () => {});
        response.on('end', () => resolve());
      })
      .on('error', reject);
  });
}
