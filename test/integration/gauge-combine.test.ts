import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';

const RULES = `
mappings:
  - match: "q.ttl"
    name: "q_ttl"
    match_metric_type: gauge
    ttl: 1s
catalyst:
  aggregations:
    - { metric: q_sum, drop_labels: [instance], gauge_combine: sum }
    - { metric: q_avg, drop_labels: [instance], gauge_combine: avg }
    - { metric: q_min, drop_labels: [instance], gauge_combine: min }
    - { metric: q_max, drop_labels: [instance], gauge_combine: max }
    - { metric: q_last, drop_labels: [instance] }
    - { metric: q_ttl, drop_labels: [instance], gauge_combine: sum }
`;
const RULE_NAMES = ['sum', 'avg', 'min', 'max', 'last'];

/** One line per combined metric, all with the same value and instance. */
function linesFor(instance: string, value: string): string {
  return RULE_NAMES.map((rule) => `q_${rule}:${value}|g|#instance:${instance},zone:z\n`).join('');
}

// Two workers: each sendTcp is one record, and records go round-robin, so the instances
// and the two updates of c land on different shards. TCP, beside the UDP flood test.
describe('gauges combined across instances by their rule', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cm-combine-')), 'mapping.yml');
    writeFileSync(path, RULES);
    daemon = await startDaemon(['--workers', '2', '--mapping-config', path]);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it('exposes sum, avg, min, max and last over the latest value of each instance', async () => {
    await daemon.sendTcp(linesFor('a', '10'));
    await daemon.sendTcp(linesFor('b', '4'));
    await daemon.sendTcp(linesFor('c', '5'));
    await daemon.sendTcp(linesFor('c', '+2'));

    const expected = { sum: 21, avg: 7, min: 4, max: 10, last: 7 };
    // c's +2 is the last record sent: once `last` shows it, every earlier record is in.
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'q_last', { zone: 'z' }) === 7,
      'q_last at 7',
    );
    const got = Object.fromEntries(
      RULE_NAMES.map((rule) => [rule, valueOf(samples, `q_${rule}`, { zone: 'z' })]),
    );
    expect(got).toEqual(expected);
    expect(samples.filter((s) => s.name === 'q_sum')).toHaveLength(1);
  });

  it('applies a relative update to its own instance only', async () => {
    await daemon.sendTcp(linesFor('b', '-6'));
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'q_last', { zone: 'z' }) === 1,
      'q_last at 1',
    );
    const got = RULE_NAMES.map((rule) => valueOf(samples, `q_${rule}`, { zone: 'z' }));
    expect(got).toEqual([15, 5, -2, 10, 1]);
  });

  it('drops an instance idle past its TTL from the sum', async () => {
    await daemon.sendTcp('q.ttl:10|g|#instance:a\n');
    await daemon.sendTcp('q.ttl:4|g|#instance:b\n');
    await daemon.waitForSamples((s) => valueOf(s, 'q_ttl') === 14, 'q_ttl at 14');

    // Keep a alive with +0 until b's 1 s TTL has passed; bounded at 60 rounds of 250 ms.
    let value: number | undefined = 14;
    for (let round = 0; round < 60 && value !== 10; round++) {
      await daemon.sendTcp('q.ttl:+0|g|#instance:a\n');
      await new Promise((resolve) => setTimeout(resolve, 250));
      value = valueOf(await daemon.samples(), 'q_ttl');
    }
    expect(value).toBe(10);
  });
});
