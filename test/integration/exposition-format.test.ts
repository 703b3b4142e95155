import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RawResponse, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';
import { checkMetrics } from '../helpers/promtool.js';

/** What /metrics serves, in which format and encoding, and what the start-up says about it. */

const OPENMETRICS_ACCEPT = 'application/openmetrics-text; version=1.0.0';
const SAME_RENDERING_ATTEMPTS = 50;

function linesOf(response: RawResponse): string[] {
  return response.body.toString('utf8').split('\n');
}

function buildInfoEngine(samples: Awaited<ReturnType<RunningDaemon['samples']>>): string[] {
  return samples.filter((s) => s.name === 'catalyst_build_info').map((s) => s.labels.http_engine);
}

function loggedEngines(daemon: RunningDaemon): unknown[] {
  return daemon.logs
    .filter((entry) => entry.msg === 'ready to receive')
    .map((entry) => entry.engine);
}

describe('exposition formats on the default HTTP engine', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon(['--workers', '2']);
    await daemon.sendUdp('orders:3|c|#env:prod\njobs_total:2|c\nqueue.depth:7|g');
    await daemon.sendUdp('checkout.latency:250|ms|#route:/pay');
    await daemon.nextFlush();
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it('serves the same text gzip-compressed when Accept-Encoding allows gzip', async () => {
    // A rendering lasts one flush interval: retry until both plain scrapes around the
    // gzip one saw the same rendering, so the gzip one saw it too.
    let plain: RawResponse | null = null;
    let gzip: RawResponse | null = null;
    for (let attempt = 0; attempt < SAME_RENDERING_ATTEMPTS; attempt++) {
      const before = await daemon.scrapeRaw();
      const compressed = await daemon.scrapeRaw({ 'accept-encoding': 'gzip, deflate' });
      const after = await daemon.scrapeRaw();
      if (before.body.equals(after.body)) {
        [plain, gzip] = [before, compressed];
        break;
      }
    }
    expect(plain, 'two scrapes in a row never saw the same rendering').not.toBeNull();

    expect(gzip!.headers['content-encoding']).toBe('gzip');
    expect(gzip!.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(gzip!.headers.vary).toBe('accept, accept-encoding');
    expect(plain!.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(gzip!.body).toString('utf8')).toBe(plain!.body.toString('utf8'));
    expect(linesOf(plain!)).toContain('orders_total{env="prod"} 3');
  });

  it('serves OpenMetrics when asked: family x, sample x_total, # EOF last', async () => {
    const response = await daemon.scrapeRaw({ accept: OPENMETRICS_ACCEPT });

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    const body = response.body.toString('utf8');
    expect(body.endsWith('\n# EOF\n')).toBe(true);
    expect(body.indexOf('# EOF')).toBe(body.length - '# EOF\n'.length);
    const lines = body.split('\n');
    expect(lines).toContain('# TYPE orders counter');
    expect(lines).toContain('orders_total{env="prod"} 3');
    // A name sent with _total is the same family, declared without it.
    expect(lines).toContain('# TYPE jobs counter');
    expect(lines).toContain('jobs_total 2');
    expect(lines).toContain('# TYPE catalyst_ingest_datagrams counter');
    expect(lines.filter((line) => line.startsWith('# TYPE orders_total'))).toEqual([]);
  });

  it('declares counters as x_total in the text format', async () => {
    const lines = (await daemon.scrape()).split('\n');
    expect(lines).toContain('# TYPE orders_total counter');
    expect(lines).toContain('orders_total{env="prod"} 3');
    expect(lines).toContain('# TYPE jobs_total counter');
    expect(lines).toContain('jobs_total 2');
    expect(lines.filter((line) => line === '# EOF')).toEqual([]);
  });

  it('keeps the first type of a name, counting other types as type_conflict', async () => {
    await daemon.sendUdp('dual.use:1|c');
    await daemon.sendUdp('dual.use:5|g\ndual.use:6|g');
    await daemon.nextFlush();
    await daemon.sendUdp('dual.use:7|g\ndual.use:250|ms');
    await daemon.nextFlush();

    const samples = await daemon.samples();
    expect(valueOf(samples, 'dual_use_total')).toBe(1);
    expect(
      samples.filter((s) => s.name.startsWith('dual_use') && s.name !== 'dual_use_total'),
    ).toEqual([]);
    expect(valueOf(samples, 'catalyst_samples_dropped_total', { reason: 'type_conflict' })).toBe(4);
  });

  it('renders one name with different tag keys as exposition promtool accepts', async () => {
    await daemon.sendUdp('mixed.keys:1|c|#a:1\nmixed.keys:2|c|#b:2\nmixed.keys:3|c');
    await daemon.nextFlush();

    const text = await daemon.scrape();
    const samples = await daemon.samples();
    expect(valueOf(samples, 'mixed_keys_total', { a: '1' })).toBe(1);
    expect(valueOf(samples, 'mixed_keys_total', { b: '2' })).toBe(2);
    expect(valueOf(samples, 'mixed_keys_total')).toBe(3);
    expect(
      text.split('\n').filter((line) => line === '# TYPE mixed_keys_total counter'),
    ).toHaveLength(1);
    expect(await checkMetrics(text)).toEqual({ parseError: null, lintProblems: [] });
  });

  it('names the native uWebSockets.js engine in build info and start-up log', async () => {
    const engines = buildInfoEngine(await daemon.samples());
    expect(engines).toHaveLength(1);
    expect(engines[0]).toMatch(/^uws-native:/);
    expect(loggedEngines(daemon)).toEqual(engines);
  });
});

describe('exposition on --http-engine node', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon(['--workers', '1', '--http-engine', 'node']);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it('names node-http in catalyst_build_info and in the start-up log', async () => {
    expect(buildInfoEngine(await daemon.samples())).toEqual(['node-http']);
    expect(loggedEngines(daemon)).toEqual(['node-http']);
  });

  it('serves gzip and OpenMetrics there too', async () => {
    await daemon.sendUdp('orders:4|c');
    await daemon.nextFlush();

    const compressed = await daemon.scrapeRaw({ 'accept-encoding': 'gzip' });
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(compressed.body).toString('utf8').split('\n')).toContain('orders_total 4');
    const openMetrics = await daemon.scrapeRaw({ accept: OPENMETRICS_ACCEPT });
    expect(openMetrics.headers['content-type']).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    expect(openMetrics.body.toString('utf8').endsWith('\norders_total 4\n# EOF\n')).toBe(true);
  });
});
