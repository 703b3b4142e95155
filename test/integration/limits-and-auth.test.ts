import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';
import { checkMetrics } from '../helpers/promtool.js';
import { NEIGHBOUR_LINE, NEIGHBOUR_METRIC } from '../fixtures/hostile-statsd.js';

/**
 * Limits on what a client controls and the /metrics token, against the built daemon over
 * real sockets. Each refusal is counted under its reason and the neighbour still lands.
 */

const TOKEN = 'integration-token';
const PUSH_TOKEN = 'push-token';
const MAX_DATAGRAM_BYTES = 512;
const MAX_CONNECTIONS = 2;
const WAIT_MS = 10_000;

let daemon: RunningDaemon;

beforeAll(async () => {
  daemon = await startDaemon(
    [
      '--max-datagram-bytes',
      String(MAX_DATAGRAM_BYTES),
      '--tcp-max-connections',
      String(MAX_CONNECTIONS),
      '--max-labels-per-sample',
      '3',
      '--metrics-token',
      TOKEN,
      '--push-token',
      PUSH_TOKEN,
    ],
    { metricsToken: TOKEN },
  );
});
afterAll(async () => {
  expect(await daemon.stop()).toBe(0);
});

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves when the daemon closes or resets `socket`, bounded by WAIT_MS. */
function closedByPeer(socket: net.Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket not closed by the daemon')), WAIT_MS);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('--metrics-token', () => {
  it.each([
    { name: 'no Authorization header', headers: {} },
    { name: 'a wrong token', headers: { authorization: 'Bearer wrong' } },
  ])('answers 401 with a Bearer challenge to $name', async ({ headers }) => {
    const response = await fetch(`${daemon.baseUrl}/metrics`, { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="catalyst-metrics"');
    expect(await response.text()).toBe('unauthorized\n');
  });

  it('serves /metrics to the right token and leaves the health routes open', async () => {
    const scraped = await daemon.scrapeRaw();
    expect(scraped.status).toBe(200);
    expect((await fetch(`${daemon.baseUrl}/-/healthy`)).status).toBe(200);
    expect((await fetch(`${daemon.baseUrl}/-/ready`)).status).toBe(200);
  });
});

describe('--push-token', () => {
  const push = (path: string, authorization: string | null, body: string) =>
    fetch(`${daemon.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization === null ? {} : { authorization }),
      },
      body,
    });
  const sample = JSON.stringify({ samples: [{ name: 'pushed_jobs', type: 'counter', value: 2 }] });

  it.each([
    { path: '/api/v1/metrics', body: sample },
    { path: '/api/v1/logs', body: '{"message":"m","service":"s"}' },
  ])(
    'answers 401 to a push to $path without the token or with the metrics token',
    async ({ path, body }) => {
      expect((await push(path, null, body)).status).toBe(401);
      expect((await push(path, `Bearer ${TOKEN}`, body)).status).toBe(401);
    },
  );

  it('takes a JSON push that carries the push token', async () => {
    expect((await push('/api/v1/metrics', `Bearer ${PUSH_TOKEN}`, sample)).status).toBe(200);
    await daemon.waitForSamples(
      (samples) => valueOf(samples, 'pushed_jobs_total') === 2,
      'the pushed counter on /metrics',
    );
  });
});

describe('--max-datagram-bytes', () => {
  it('drops a datagram one byte over the limit whole, counts it, and takes the next', async () => {
    const over = `${'big.one:1|c\n'.repeat(50)}`.slice(0, MAX_DATAGRAM_BYTES - 1) + '\n';
    expect(Buffer.byteLength(over)).toBe(MAX_DATAGRAM_BYTES);
    await daemon.sendUdp(`${over}x`);
    await daemon.sendUdp(NEIGHBOUR_LINE);

    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, `${NEIGHBOUR_METRIC}_total`) === 1,
      'the neighbour landed',
    );
    expect(
      valueOf(samples, 'catalyst_ingest_refused_total', { reason: 'datagram_too_large' }),
    ).toBe(1);
    expect(valueOf(samples, 'big_one_total')).toBeUndefined();
  });
});

describe('--max-labels-per-sample over TCP', () => {
  it('refuses the line with too many tags under too_many_labels, keeps the next line', async () => {
    await daemon.sendTcp(`tagged.hits:1|c|#a:1,b:2,c:3,d:4\ntagged.hits:1|c|#a:1,b:2,c:3\n`);
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'tagged_hits_total', { a: '1', b: '2', c: '3' }) === 1,
      'the line within the limit landed',
    );
    expect(
      valueOf(samples, 'catalyst_parse_errors_total', {
        transport: 'tcp',
        reason: 'too_many_labels',
      }),
    ).toBe(1);
  });
});

describe('--tcp-max-connections', () => {
  it('closes a connection over the limit at once, counts it, and accepts again once one ends', async () => {
    const held = await Promise.all([
      connect(daemon.ports.statsdTcp!),
      connect(daemon.ports.statsdTcp!),
    ]);
    await daemon.waitForSamples(
      (s) => valueOf(s, 'catalyst_ingest_tcp_open_connections') === MAX_CONNECTIONS,
      'both held connections open',
    );

    // Not awaited as a connect: the reset may come before the client sees it connected.
    await closedByPeer(net.connect(daemon.ports.statsdTcp!, '127.0.0.1'));
    await daemon.waitForSamples(
      (s) => valueOf(s, 'catalyst_ingest_refused_total', { reason: 'connection_limit' }) === 1,
      'the refusal counted',
    );

    held[0].end('held.hits:1|c\n');
    held[1].end();
    await daemon.waitForSamples(
      (s) => valueOf(s, 'catalyst_ingest_tcp_open_connections') === 0,
      'held connections closed',
    );
    await daemon.sendTcp('after.limit:1|c\n');
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'after_limit_total') === 1 && valueOf(s, 'held_hits_total') === 1,
      'lines from a held connection and a new one landed',
    );
    expect(valueOf(samples, 'catalyst_ingest_refused_total', { reason: 'connection_limit' })).toBe(
      1,
    );
  });
});

describe('exposition injection and prototype names', () => {
  it('keeps a would-be exposition line in a label value, and sets object-property names aside', async () => {
    await daemon.sendUdp(
      [
        'inject.try:1|c|#k:a"} 99 # fake_metric{x="1',
        'fake_metric 1',
        '__proto__:2|c',
        'constructor:3|g',
        'toString_total:5|c',
        'hasOwnProperty:4|c|#__proto__:x,constructor:y',
        NEIGHBOUR_LINE,
      ].join('\n'),
    );
    const text = await (async () => {
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        const scraped = await daemon.scrape();
        if (scraped.includes('exported_hasOwnProperty_total')) return scraped;
        if (Date.now() > deadline) throw new Error('the lines did not land');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    const lines = text.split('\n');
    expect(lines).toContain('inject_try_total{k="a\\"} 99 # fake_metric{x=\\"1"} 1');
    expect(lines.filter((line) => line.startsWith('fake_metric'))).toEqual([]);
    expect(lines).toContain('exported_constructor 3');
    expect(lines).toContain('exported_toString_total 5');
    expect(lines.filter((line) => line.startsWith('exported_hasOwnProperty_total'))).toEqual([
      'exported_hasOwnProperty_total{constructor="y",exported___proto__="x"} 4',
    ]);
    expect(lines.filter((line) => line.includes('__proto__') && !line.startsWith('#'))).toEqual([
      'exported___proto___total 2',
      'exported_hasOwnProperty_total{constructor="y",exported___proto__="x"} 4',
    ]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect((await checkMetrics(text)).parseError).toBeNull();
  });
});
