import { readFileSync, writeFileSync } from 'node:fs';
import { SELF_METRICS } from '../src/self-metrics.js';

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

export function replaceTable(readme: string, table: string): string {
  const start = readme.indexOf(START_MARK);
  const end = readme.indexOf(END_MARK);
  if (start < 0 || end < start) throw new Error(`README.md lacks ${START_MARK} … ${END_MARK}`);
  return `${readme.slice(0, start + START_MARK.length)}\n${table}\n${readme.slice(end)}`;
}

if (process.argv.includes('--write')) {
  const path = new URL('../../README.md', import.meta.url);
  writeFileSync(path, replaceTable(readFileSync(path, 'utf8'), renderSelfMetricsTable()));
}
