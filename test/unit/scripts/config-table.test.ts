import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { END_MARK, START_MARK, renderConfigTable } from '../../../scripts/config-table.js';
import { OPTIONS } from '../../../src/config/options.js';

describe('README configuration table', () => {
  it('matches src/config/options.ts row for row (regenerate with the script --write)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const block = readme.slice(
      readme.indexOf(START_MARK) + START_MARK.length,
      readme.indexOf(END_MARK),
    );
    expect(block.trim()).toBe(renderConfigTable());
  });

  it('gives each option its flag, file key, environment variable and default', () => {
    const rows = renderConfigTable().split('\n').slice(2);
    expect(rows.length).toBe(OPTIONS.length);
    expect(rows[0]).toBe(
      '| `--statsd-udp HOST:PORT` | `statsd-udp`, `statsd.listen-udp` | `CATALYST_STATSD_UDP` | ' +
        '`127.0.0.1:8125` | StatsD/DogStatsD over UDP, or off |',
    );
    expect(rows.find((row) => row.startsWith('| `--workers N`'))).toBe(
      '| `--workers N` | `workers` | `CATALYST_WORKERS` | cores - 1, at least 1 | ' +
        'parser/aggregator worker threads; the default is cores - 1, at least 1 |',
    );
  });
});
