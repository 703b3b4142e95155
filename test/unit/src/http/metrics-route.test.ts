import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HttpExchange, SendOutcome } from '../../../../src/http/exchange.js';
import { ExpositionCache } from '../../../../src/http/exposition-cache.js';
import { createMetricsRoute } from '../../../../src/http/metrics-route.js';
import type { Exposition, ExpositionFormat } from '../../../../src/protocol.js';

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,' +
  'text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const TEXT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const OPENMETRICS_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

interface Response {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function exposition(format: ExpositionFormat, epoch: number): Exposition {
  return {
    kind: 'exposition',
    epoch,
    format,
    plain: new TextEncoder().encode(`${format} plain\n`),
    gzip: new TextEncoder().encode(`${format} gzip\n`),
  };
}

/** Runs the route for one request and resolves with what it responded. */
function scrape(cache: ExpositionCache, headers: Record<string, string>): Promise<Response> {
  return new Promise((resolve) => {
    const exchange: HttpExchange = {
      method: 'GET',
      path: '/metrics',
      query: '',
      isAborted: false,
      header: (name) => headers[name] ?? '',
      readBody: () => Promise.resolve({ kind: 'aborted' }),
      respond: (status, responseHeaders, body) =>
        resolve({ status, headers: responseHeaders, body: Buffer.from(body ?? '').toString() }),
    };
    createMetricsRoute(cache)(exchange);
  });
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('GET /metrics', () => {
  it('answers 503 until the merger has rendered once', async () => {
    const cache = new ExpositionCache({ requestRender: () => {} });
    expect(await scrape(cache, {})).toEqual({
      status: 503,
      headers: { 'content-type': 'text/plain' },
      body: 'no exposition rendered yet\n',
    });
  });

  it('serves the text rendering, gzip-compressed when the scraper accepts gzip', async () => {
    const cache = new ExpositionCache({ requestRender: () => {} });
    cache.accept(exposition('text', 0));

    expect(await scrape(cache, { accept: 'text/plain', 'accept-encoding': 'gzip' })).toEqual({
      status: 200,
      headers: {
        'content-type': TEXT_TYPE,
        vary: 'accept, accept-encoding',
        'content-encoding': 'gzip',
      },
      body: 'text gzip\n',
    });
    expect((await scrape(cache, {})).body).toBe('text plain\n');
  });

  it('serves OpenMetrics to Prometheus once it is rendered', async () => {
    const requested: ExpositionFormat[] = [];
    const cache = new ExpositionCache({ requestRender: (format) => requested.push(format) });
    cache.accept(exposition('text', 2));

    const response = scrape(cache, { accept: PROMETHEUS_ACCEPT });
    expect(requested).toEqual(['openmetrics']);
    cache.accept(exposition('openmetrics', 2));

    expect(await response).toEqual({
      status: 200,
      headers: { 'content-type': OPENMETRICS_TYPE, vary: 'accept, accept-encoding' },
      body: 'openmetrics plain\n',
    });
  });

  it('falls back to the text rendering when OpenMetrics does not come in time', async () => {
    const cache = new ExpositionCache({ requestRender: () => {} });
    cache.accept(exposition('text', 2));

    const response = scrape(cache, { accept: PROMETHEUS_ACCEPT });
    await vi.advanceTimersByTimeAsync(2000);

    expect(await response).toEqual({
      status: 200,
      headers: { 'content-type': TEXT_TYPE, vary: 'accept, accept-encoding' },
      body: 'text plain\n',
    });
  });

  it('answers 503 with Retry-After past the bound of responses being sent, and counts it', async () => {
    const cache = new ExpositionCache({ requestRender: () => {} });
    cache.accept(exposition('text', 0));
    let refused = 0;
    const route = createMetricsRoute(cache, {
      maxConcurrentScrapes: 2,
      onRefused: () => refused++,
      writeTimeoutMs: 0,
      onCut: () => {},
    });
    const statuses: number[] = [];
    const finishers: Array<() => void> = [];
    const slowReader = (): HttpExchange => {
      let finish: () => void = () => {};
      const sent = new Promise<SendOutcome>((resolve) => (finish = () => resolve('sent')));
      finishers.push(finish);
      return {
        method: 'GET',
        path: '/metrics',
        query: '',
        isAborted: false,
        header: () => '',
        readBody: () => Promise.resolve({ kind: 'aborted' }),
        respond: (status, headers) => {
          statuses.push(status);
          if (status === 503) expect(headers['retry-after']).toBe('1');
        },
        whenSent: () => sent,
      };
    };

    for (let i = 0; i < 3; i++) route(slowReader());
    expect(statuses).toEqual([200, 200, 503]);
    expect(refused).toBe(1);

    // One slow reader finishes: its place is free for the next scrape.
    finishers[0]();
    await Promise.resolve();
    route(slowReader());
    expect(statuses).toEqual([200, 200, 503, 200]);
    expect(refused).toBe(1);
  });

  it('sets the write timeout on each response, counts a cut one and frees its place', async () => {
    const cache = new ExpositionCache({ requestRender: () => {} });
    cache.accept(exposition('text', 0));
    let cuts = 0;
    const route = createMetricsRoute(cache, {
      maxConcurrentScrapes: 1,
      onRefused: () => {},
      writeTimeoutMs: 5000,
      onCut: () => cuts++,
    });
    const timeouts: number[] = [];
    const statuses: number[] = [];
    let cut: () => void = () => {};
    const stalledReader = (): HttpExchange => ({
      method: 'GET',
      path: '/metrics',
      query: '',
      isAborted: false,
      header: () => '',
      readBody: () => Promise.resolve({ kind: 'aborted' }),
      respond: (status) => statuses.push(status),
      setWriteTimeout: (ms) => timeouts.push(ms),
      whenSent: () => new Promise<SendOutcome>((resolve) => (cut = () => resolve('cut'))),
    });

    route(stalledReader());
    route(stalledReader());
    expect(statuses).toEqual([200, 503]);
    expect(timeouts).toEqual([5000]);

    // The write timeout cuts the first: counted once, and the next scrape is served.
    cut();
    await Promise.resolve();
    expect(cuts).toBe(1);
    route(stalledReader());
    expect(statuses).toEqual([200, 503, 200]);
  });
});
