import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';
import {
  startPrometheus,
  type QueriedSample,
  type RunningPrometheus,
} from '../helpers/prometheus.js';
import { checkMetrics } from '../helpers/promtool.js';
import { HOSTILE_STATSD, NEIGHBOUR_LINE, NEIGHBOUR_METRIC } from '../fixtures/hostile-statsd.js';

/**
 * The real consumers: a Prometheus server (Debian package prometheus) scraping the daemon
 * every second, and promtool linting what it serves. Missing binaries fail these tests with
 * the install command; they are never skipped.
 */

/**
 * What the exposition itself must escape or refuse, beyond the shared corpus: quotes and
 * backslashes in label values, label names Prometheus reserves, the daemon's own names.
 */
const EXPOSITION_HOSTILE: Record<string, string> = {
  'quotes and backslashes in a label value': `quoted.value:1|c|#path:C:\\temp\\"x",emoji:\u{1F600}\n${NEIGHBOUR_LINE}`,
  'reserved label names': `reserved:1|c|#__name__:x,le:5,quantile:1,job:j\n${NEIGHBOUR_LINE}`,
  'a leading digit': `9lives:1|c\n${NEIGHBOUR_LINE}`,
  "the daemon's own names": `catalyst_build_info:5|g\ncatalyst_ingest_datagrams:1|c\n${NEIGHBOUR_LINE}`,
};

const HOSTILE_PAYLOADS: Array<string | Buffer> = [
  ...Object.values(HOSTILE_STATSD),
  ...Object.values(EXPOSITION_HOSTILE),
];
// Every payload holds the neighbour line once, except the empty datagram.
const NEIGHBOURS_PER_PASS = HOSTILE_PAYLOADS.filter((payload) => payload.length > 0).length;

/**
 * Lint problems the daemon, not the sender, would be to blame for. Names come from traffic,
 * so naming advice (abbreviated units, a type in the name, camelCase) is the sender's; help
 * text, the counter suffix, reserved labels and the daemon's own names are the daemon's.
 */
function isDaemonsFault(problem: string): boolean {
  return (
    problem.startsWith('catalyst_') ||
    problem.includes('no help text') ||
    problem.includes('counter metrics should have "_total" suffix') ||
    problem.includes('should not have "le" label') ||
    problem.includes('should not have "quantile" label')
  );
}

function only(samples: QueriedSample[]): number {
  expect(samples).toHaveLength(1);
  return samples[0].value;
}

describe('a real Prometheus scraping the daemon', () => {
  let daemon: RunningDaemon;
  let hostileDaemon: RunningDaemon;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    [daemon, hostileDaemon] = await Promise.all([
      startDaemon(['--workers', '2']),
      startDaemon(['--workers', '2']),
    ]);
    prometheus = await startPrometheus([
      { name: 'catalyst', target: `127.0.0.1:${daemon.ports.http}` },
      { name: 'hostile', target: `127.0.0.1:${hostileDaemon.ports.http}` },
    ]);
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    expect(await daemon.stop()).toBe(0);
    expect(await hostileDaemon.stop()).toBe(0);
  });

  it('reads back exact counter, gauge and histogram values through the query API', async () => {
    await daemon.sendUdp('shop.checkouts:3|c|#env:test\nshop.cart.items:17|g');
    await daemon.sendTcp('shop.checkouts:4|c|#env:test\n');
    // Four timings at or under 0.1 s and four above it: the median is the 0.1 s bound.
    await daemon.sendUdp(Array(4).fill('shop.checkout.duration:62.5|ms').join('\n'));
    await daemon.sendUdp(Array(4).fill('shop.checkout.duration:187.5|ms').join('\n'));
    await daemon.nextFlush();
    await prometheus.waitForScrapeAfter(Date.now());

    const job = '{job="catalyst"}';
    expect(only(await prometheus.query(`up${job}`))).toBe(1);
    const checkouts = await prometheus.query(`shop_checkouts_total${job}`);
    expect(checkouts.map((sample) => [sample.labels.env, sample.value])).toEqual([['test', 7]]);
    expect(only(await prometheus.query(`shop_cart_items${job}`))).toBe(17);
    expect(only(await prometheus.query(`shop_checkout_duration_count${job}`))).toBe(8);
    expect(only(await prometheus.query(`shop_checkout_duration_sum${job}`))).toBe(1);
    expect(
      only(await prometheus.query(`histogram_quantile(0.5, shop_checkout_duration_bucket${job})`)),
    ).toBe(0.1);

    // Prometheus asks for OpenMetrics first, so the values above came through that format.
    // The rendering that timed the first OpenMetrics render is the one after it: wait for it.
    const openMetricsRenders = (samples: Parameters<typeof valueOf>[0]): number =>
      valueOf(samples, 'catalyst_render_duration_seconds_count', { format: 'openmetrics' }) ?? 0;
    const samples = await daemon.waitForSamples(
      (current) => openMetricsRenders(current) > 0,
      'an OpenMetrics rendering counted',
    );
    expect(openMetricsRenders(samples)).toBeGreaterThan(0);
  });

  it('serves exposition promtool accepts without a single lint problem', async () => {
    expect(await checkMetrics(await daemon.scrape())).toEqual({
      parseError: null,
      lintProblems: [],
    });
  });

  // promtool's lint is quadratic in a series' label count: the 10 000-label series alone
  // keeps it busy for seconds, so this test gets a wider bound than the default.
  it('stays parseable for promtool and scrapeable after the hostile corpus', async () => {
    for (const payload of HOSTILE_PAYLOADS) {
      await hostileDaemon.sendUdp(payload);
      // Over TCP a chunk's unfinished last line waits for more, so each payload ends one.
      await hostileDaemon.sendTcp(Buffer.concat([Buffer.from(payload), Buffer.from('\n')]));
    }
    await hostileDaemon.nextFlush();

    const text = await hostileDaemon.scrape();
    const verdict = await checkMetrics(text);
    expect(verdict.parseError).toBeNull();
    expect(verdict.lintProblems.filter(isDaemonsFault)).toEqual([]);
    const samples = await hostileDaemon.samples();
    expect(valueOf(samples, `${NEIGHBOUR_METRIC}_total`)).toBe(2 * NEIGHBOURS_PER_PASS);

    // The scrape after the flush must succeed: waitForScrapeAfter reports a failed one.
    await prometheus.waitForScrapeAfter(Date.now());
    expect(only(await prometheus.query('up{job="hostile"}'))).toBe(1);
    expect(only(await prometheus.query(`${NEIGHBOUR_METRIC}_total{job="hostile"}`))).toBe(
      2 * NEIGHBOURS_PER_PASS,
    );
  }, 120_000);
});
