import { SELF_METRICS } from '../src/self-metrics.js';
import { writeReadmeBlock } from './readme-block.js';

/**
 * The README's self-metrics table, written from src/self-metrics.ts so the two cannot
 * drift. `node dist/scripts/self-metrics-table.js --write` updates README.md in place;
 * test/unit/scripts/self-metrics-table.test.ts fails when they differ.
 */
export const START_MARK = '<!-- self-metrics:start -->';
export const END_MARK = '<!-- self-metrics:end -->';

export function renderSelfMetricsTable(): string {
  const rows = Object.values(SELF_METRICS).map((spec) => {
    const labels = spec.labels.length === 0 ? '' : spec.labels.map((l) => `\`${l}\``).join(', ');
    return `| \`${spec.name}\` | ${spec.type} | ${labels} | ${spec.help} |`;
  });
  return ['| name | type | labels | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

if (process.argv.includes('--write')) {
  writeReadmeBlock({ start: START_MARK, end: END_MARK }, renderSelfMetricsTable());
}
