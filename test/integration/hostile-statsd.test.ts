import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';
import { checkMetrics } from '../helpers/promtool.js';
import { HOSTILE_STATSD, NEIGHBOUR_METRIC } from '../fixtures/hostile-statsd.js';

/**
 * The StatsD corpus entries aimed at the exposition itself, over UDP and TCP, with the
 * exact lines they must become: every quote and backslash escaped inside its label value,
 * reserved label names set aside as exported_*, no line of their making.
 */

let daemon: RunningDaemon;
beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(async () => {
  expect(await daemon.stop()).toBe(0);
});

describe('StatsD lines that try to write the exposition', () => {
  it('stay inside escaped label values over UDP and TCP, and the neighbours land', async () => {
    for (const name of ['exposition injection', 'reserved label names'] as const) {
      await daemon.sendUdp(HOSTILE_STATSD[name]);
      await daemon.sendTcp(`${HOSTILE_STATSD[name]}\n`);
    }
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, `${NEIGHBOUR_METRIC}_total`) === 4 && valueOf(s, 'inj_name__total') === 2,
      'both payloads over both transports',
    );
    expect(
      valueOf(samples, 'catalyst_parse_errors_total', {
        transport: 'udp',
        reason: 'malformed_line',
      }),
    ).toBe(1);
    expect(
      valueOf(samples, 'catalyst_parse_errors_total', {
        transport: 'tcp',
        reason: 'malformed_line',
      }),
    ).toBe(1);

    const text = await daemon.scrape();
    const mine = text
      .split('\n')
      .filter((line) => /^(inj|reserved|fake)/.test(line))
      .sort();
    expect(mine).toEqual([
      'inj_influx_total{k="a\\"}\\\\"} 2',
      'inj_key_total{k___="v"} 2',
      'inj_name__total 2',
      'inj_value_total{back="slash\\\\",k="a\\"} 99 # fake_metric{x=\\"1"} 2',
      'reserved_dog_total{constructor="y",exported___name__="n",exported___proto__="x",exported_le="1",exported_quantile="0.5"} 2',
      'reserved_influx{constructor="y",exported___name__="n",exported___proto__="x",exported_le="1",exported_quantile="0.5"} 1',
    ]);
    expect((await checkMetrics(text)).parseError).toBeNull();
  });
});
