import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  END_MARK,
  START_MARK,
  renderSelfMetricsTable,
} from '../../../scripts/self-metrics-table.js';
import { SELF_METRICS } from '../../../src/self-metrics.js';

describe('README self-metrics table', () => {
  it('matches src/self-metrics.ts row for row (regenerate with the script --write)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const block = readme.slice(
      readme.indexOf(START_MARK) + START_MARK.length,
      readme.indexOf(END_MARK),
    );
    expect(block.trim()).toBe(renderSelfMetricsTable());
  });

  it('lists every self-metric with the catalyst_ prefix and _total only on counters', () => {
    for (const spec of Object.values(SELF_METRICS)) {
      expect(spec.name.startsWith('catalyst_')).toBe(true);
      expect(spec.name.endsWith('_total')).toBe(spec.type === 'counter');
    }
  });
});
