/**
 * The autocannon driver: scrapes /metrics as hard as `connections` allow for a bounded
 * time, and measures one plain and one gzip body.
 */
import autocannon from 'autocannon';
import http from 'node:http';

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
