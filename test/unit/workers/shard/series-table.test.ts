import { describe, expect, it } from 'vitest';
import { parseMappingText } from '../../../../src/config/mapping-file.js';
import { createParsedLine, parseStatsdLine } from '../../../../workers/parse/statsd-line.js';
import { Mapper } from '../../../../workers/shard/mapper.js';
import { DROPPED_ID, SeriesTable } from '../../../../workers/shard/series-table.js';

function tableOf(yaml: string): SeriesTable {
  return new SeriesTable(new Mapper(parseMappingText(yaml).config));
}

function resolve(table: SeriesTable, text: string): number {
  const line = createParsedLine();
  expect(parseStatsdLine(text, line)).toBeNull();
  return table.resolve(line, 0);
}

const RULES = `
mappings:
  - match: "web.*.hits"
    name: "web_hits"
    labels: { route: "$1", team: "core" }
  - match: "web.*.latency"
    name: "web_latency_seconds"
    labels: { route: "$1" }
    histogram_options: { buckets: [0.5, 1] }
    ttl: 10s
  - match: "junk.*"
    action: drop
catalyst:
  aggregations:
    - metric: web_hits
      drop_labels: [pod, instance]
    - metric: queue_depth
      drop_labels: [pod]
      gauge_combine: max
`;

describe('SeriesTable with mapping rules', () => {
  it('defines a mapped series once per spelling, with mapping labels over tags', () => {
    const table = tableOf(RULES);
    const id = resolve(table, 'web.home.hits:1|c|#team:other,env:prod');

    expect(resolve(table, 'web.home.hits:5|c|#team:other,env:prod')).toBe(id);
    expect(table.takeDefinitions()).toEqual([
      {
        id,
        kind: 0,
        name: 'web_hits',
        labels: ['env', 'prod', 'route', 'home', 'team', 'core'],
        firstOrder: 0,
      },
    ]);
    expect(table.spellingCount).toBe(1);
  });

  it('folds series that differ only in dropped labels into one id', () => {
    const table = tableOf(RULES);
    const a = resolve(table, 'web.home.hits:1|c|#pod:a,instance:1');
    const b = resolve(table, 'web.home.hits:1|c|#pod:b,instance:2');

    expect(b).toBe(a);
    expect(table.takeDefinitions().map((d) => d.labels)).toEqual([
      ['route', 'home', 'team', 'core'],
    ]);
    expect(table.spellingCount).toBe(2);
  });

  it('keeps one id per source of a gauge combined by a rule, with its dropped labels', () => {
    const table = tableOf(RULES);
    const a = resolve(table, 'queue_depth:3|g|#pod:a,zone:z1');
    const b = resolve(table, 'queue_depth:4|g|#pod:b,zone:z1');

    expect(b).not.toBe(a);
    expect(resolve(table, 'queue_depth:+1|g|#zone:z1,pod:a')).toBe(a);
    expect(table.takeDefinitions()).toEqual([
      {
        id: a,
        kind: 1,
        name: 'queue_depth',
        labels: ['zone', 'z1'],
        firstOrder: 0,
        gaugeSource: { rule: 'max', dropped: ['pod', 'a'] },
      },
      {
        id: b,
        kind: 1,
        name: 'queue_depth',
        labels: ['zone', 'z1'],
        firstOrder: 0,
        gaugeSource: { rule: 'max', dropped: ['pod', 'b'] },
      },
    ]);
  });

  it('still folds counters of a combined gauge name into one id', () => {
    const table = tableOf(RULES);
    const a = resolve(table, 'queue_depth:1|c|#pod:a');
    expect(resolve(table, 'queue_depth:1|c|#pod:b')).toBe(a);
    expect(table.takeDefinitions()).toEqual([
      { id: a, kind: 0, name: 'queue_depth', labels: [], firstOrder: 0 },
    ]);
  });

  it('gives a dropped name the DROPPED_ID and no definition', () => {
    const table = tableOf(RULES);
    expect(resolve(table, 'junk.x:1|c')).toBe(DROPPED_ID);
    expect(resolve(table, 'junk.x:1|c')).toBe(DROPPED_ID);
    expect(table.takeDefinitions()).toEqual([]);
  });

  it('carries the rule buckets and ttl on a histogram definition', () => {
    const table = tableOf(RULES);
    const id = resolve(table, 'web.home.latency:250|ms');

    expect(table.takeDefinitions()).toEqual([
      {
        id,
        kind: 2,
        name: 'web_latency_seconds',
        labels: ['route', 'home'],
        firstOrder: 0,
        buckets: [0.5, 1],
        ttlMs: 10_000,
      },
    ]);
    expect(table.bucketSets[table.bucketSetOf(id >>> 2)]).toEqual([0.5, 1]);
  });

  it('sanitises an unmatched name as without rules', () => {
    const table = tableOf(RULES);
    resolve(table, 'other.thing:1|g');
    expect(table.takeDefinitions().map((d) => d.name)).toEqual(['other_thing']);
  });
});
