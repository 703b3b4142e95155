import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObservabilityPlugin, type ObservabilityPlugin } from 'catalyst-metrics';
import { parseExposition, valueOf, type ExpositionSample } from '../helpers/exposition.js';
import { push } from '../helpers/push.js';

/**
 * The plugin embedded in a small router-like program, imported by package name as the
 * Catalyst router would: its own counters and gauges and what services push, one /metrics.
 */

interface Router {
  port: number;
  close(): Promise<void>;
}

/** Routes /ok and /fail, counting requests by route and status, and requests in flight. */
async function startRouter(plugin: ObservabilityPlugin): Promise<Router> {
  const requests = plugin.createCounter('router_requests_total', 'Requests routed.', [
    'route',
    'status',
  ]);
  const inFlight = plugin.createGauge('router_in_flight', 'Requests being routed.');
  const server = http.createServer((request, response) => {
    inFlight.inc();
    const isOk = request.url === '/ok';
    const status = isOk ? 200 : 502;
    requests.inc({ route: request.url ?? '', status: String(status) });
    response.writeHead(status).end(() => inFlight.dec());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the ObservabilityPlugin embedded in a router', () => {
  let plugin: ObservabilityPlugin;
  let router: Router;
  let metricsUrl: string;
  beforeAll(async () => {
    plugin = createObservabilityPlugin({ args: ['--flush-interval-ms', '100', '--workers', '2'] });
    router = await startRouter(plugin);
    plugin.startServer(0);
    metricsUrl = `http://127.0.0.1:${await plugin.ready()}`;
  });
  afterAll(async () => {
    await router.close();
    await plugin.stop();
  });

  async function waitForSamples(
    isDone: (samples: ExpositionSample[]) => boolean,
  ): Promise<ExpositionSample[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const samples = parseExposition(await (await fetch(`${metricsUrl}/metrics`)).text());
      if (isDone(samples)) return samples;
      if (Date.now() > deadline) throw new Error('samples not within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("shows the router's own metrics beside a service's push on one /metrics", async () => {
    for (const path of ['/ok', '/ok', '/ok', '/fail']) {
      await fetch(`http://127.0.0.1:${router.port}${path}`);
    }
    plugin.ingestMetric({ name: 'router_config_reloads', type: 'counter', value: 2 });
    const pushed = await push(
      metricsUrl,
      '/api/v1/metrics',
      JSON.stringify({ samples: [{ name: 'service_jobs', type: 'gauge', value: 11 }] }),
      { 'content-type': 'application/json' },
    );

    expect(pushed.status).toBe(200);
    const samples = await waitForSamples(
      (s) =>
        valueOf(s, 'router_requests_total', { route: '/fail', status: '502' }) === 1 &&
        valueOf(s, 'router_config_reloads_total') === 2 &&
        valueOf(s, 'service_jobs') === 11,
    );
    expect(valueOf(samples, 'router_requests_total', { route: '/ok', status: '200' })).toBe(3);
    expect(valueOf(samples, 'router_in_flight')).toBe(0);
  });

  it('throws on a label the metric did not declare', () => {
    const counter = plugin.createCounter('router_errors_total', 'Errors.', ['kind']);
    expect(() => counter.inc({ route: '/x' })).toThrow(
      'metric router_errors_total has no label route',
    );
  });
});
