import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../../src/config/duration.js';
import { parseMappingText, validateMappingFile } from '../../../../src/config/mapping-file.js';
import { ConfigError } from '../../../../src/errors.js';

describe('parseMappingText', () => {
  it('reads a statsd_exporter file and our catalyst section into rules with defaults applied', () => {
    const { config, warnings } = parseMappingText(`
defaults:
  observer_type: histogram
  ttl: 5m
  histogram_options: { buckets: [0.1, 1] }
mappings:
  - match: "api.*.calls"
    name: "api_calls"
    labels: { route: "$1", a: "x" }
    match_metric_type: counter
  - match: "^raw_(.*)$"
    match_type: regex
    name: "raw_$1"
    ttl: 0
  - match: "noise.*"
    action: drop
catalyst:
  ttl: { gauge: 90s }
  series_limits: { api_calls: 100 }
  aggregations:
    - metric: api_calls
      drop_labels: [pod]
    - metric: queue_depth
      drop_labels: [instance]
      gauge_combine: sum
`);
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      rules: [
        {
          match: 'api.*.calls',
          matchType: 'glob',
          isDrop: false,
          name: 'api_calls',
          labels: [
            ['a', 'x'],
            ['route', '$1'],
          ],
          metricType: 'counter',
          observer: 'histogram',
          summary: null,
          buckets: [0.1, 1],
          ttlMs: 300_000,
        },
        {
          match: '^raw_(.*)$',
          matchType: 'regex',
          isDrop: false,
          name: 'raw_$1',
          labels: [],
          metricType: null,
          observer: 'histogram',
          summary: null,
          buckets: [0.1, 1],
          ttlMs: 0,
        },
        {
          match: 'noise.*',
          matchType: 'glob',
          isDrop: true,
          name: '',
          labels: [],
          metricType: null,
          observer: 'histogram',
          summary: null,
          buckets: [0.1, 1],
          ttlMs: 300_000,
        },
      ],
      typeTtlMs: [0, 90_000, 0, 0],
      seriesLimits: { api_calls: 100 },
      aggregations: [
        { metric: 'api_calls', dropLabels: ['pod'], gaugeCombine: 'last' },
        { metric: 'queue_depth', dropLabels: ['instance'], gaugeCombine: 'sum' },
      ],
    });
  });

  const REFUSED: Array<{ case: string; yaml: string; message: string }> = [
    {
      case: 'unknown top-level key',
      yaml: 'mapping: []',
      message: 'mapping is not a supported key',
    },
    {
      case: 'unknown key in a mapping',
      yaml: 'mappings: [{ match: a.b, name: x, lables: {} }]',
      message: 'mappings[0].lables is not a supported key',
    },
    {
      case: 'unknown key in defaults',
      yaml: 'defaults: { ttl_seconds: 5 }',
      message: 'defaults.ttl_seconds is not a supported key',
    },
    {
      case: 'unknown key in histogram_options',
      yaml: 'mappings: [{ match: a, name: x, histogram_options: { native: true } }]',
      message: 'mappings[0].histogram_options.native is not a supported key',
    },
    {
      case: 'mapping without a name',
      yaml: 'mappings: [{ match: a.b }]',
      message: 'mappings[0].name must be a metric name (may use $1, ${1}), got undefined',
    },
    {
      case: 'bad match_metric_type',
      yaml: 'mappings: [{ match: a, name: x, match_metric_type: set }]',
      message: 'mappings[0].match_metric_type must be counter, gauge or observer, got set',
    },
    {
      case: 'bad regex',
      yaml: 'mappings: [{ match: "(", match_type: regex, name: x }]',
      message: 'mappings[0].match is not a valid regex',
    },
    {
      case: 'glob with a character statsd names cannot hold',
      yaml: 'mappings: [{ match: "a b", name: x }]',
      message: 'mappings[0].match must be dot-separated words and *, got a b',
    },
    {
      case: 'descending buckets',
      yaml: 'mappings: [{ match: a, name: x, histogram_options: { buckets: [2, 1] } }]',
      message: 'mappings[0].histogram_options.buckets must be ascending finite numbers',
    },
    {
      case: 'ttl that is not a duration',
      yaml: 'mappings: [{ match: a, name: x, ttl: soon }]',
      message: 'mappings[0].ttl must be a duration like 30s or 5m, got soon',
    },
    {
      case: 'unknown catalyst key',
      yaml: 'catalyst: { max_series: 5 }',
      message: 'catalyst.max_series is not a supported key',
    },
    {
      case: 'zero series limit',
      yaml: 'catalyst: { series_limits: { x: 0 } }',
      message: 'catalyst.series_limits.x must be a positive integer',
    },
    {
      case: 'unknown gauge combine rule',
      yaml: 'catalyst: { aggregations: [{ metric: q, drop_labels: [i], gauge_combine: median }] }',
      message:
        'catalyst.aggregations[0].gauge_combine must be one of last, sum, avg, min, max, got median',
    },
    {
      case: 'quantile above 1',
      yaml: 'mappings: [{ match: a, name: x, summary_options: { quantiles: [{ quantile: 2 }] } }]',
      message:
        'mappings[0].summary_options.quantiles[0].quantile must be a number from 0 to 1, got 2',
    },
    {
      case: 'max_age that is not a duration',
      yaml: 'defaults: { summary_options: { max_age: 10 } }',
      message: 'defaults.summary_options.max_age must be a duration like 10m, got 10',
    },
    {
      case: 'zero age buckets',
      yaml: 'mappings: [{ match: a, name: x, summary_options: { age_buckets: 0 } }]',
      message: 'mappings[0].summary_options.age_buckets must be a positive integer, got 0',
    },
    {
      case: 'unknown key in summary_options',
      yaml: 'mappings: [{ match: a, name: x, summary_options: { maxage: 1m } }]',
      message: 'mappings[0].summary_options.maxage is not a supported key',
    },
    { case: 'not YAML', yaml: 'mappings: [', message: 'not valid YAML' },
  ];
  for (const row of REFUSED) {
    it(`refuses at load, naming the key: ${row.case}`, () => {
      expect(() => parseMappingText(row.yaml)).toThrow(ConfigError);
      expect(() => parseMappingText(row.yaml)).toThrow(row.message);
    });
  }

  it('warns, naming the key, about what it reads and does not honour', () => {
    const { warnings } = parseMappingText(`
mappings:
  - match: "t.*"
    name: "t"
    observer_type: summary
    summary_options: { buf_cap: 1000 }
    help: "time"
`);
    expect(warnings).toEqual([
      'mappings[0].help is ignored: HELP names the source',
      'mappings[0].summary_options.buf_cap is ignored: quantiles come from a histogram',
    ]);
  });

  it("reads summary options over the file's defaults over statsd_exporter's", () => {
    const { config, warnings } = parseMappingText(`
defaults:
  summary_options: { max_age: 1m }
mappings:
  - match: "a.*"
    name: "a"
    observer_type: summary
  - match: "b.*"
    name: "b"
    timer_type: summary
    summary_options:
      quantiles: [{ quantile: 0.99, error: 0.0005 }, { quantile: 0.5, error: 0.05 }]
      age_buckets: 3
  - match: "c.*"
    name: "c"
    observer_type: summary
    quantiles: [{ quantile: 0.9, error: 0.05 }]
  - match: "d.*"
    name: "d"
`);
    expect(warnings).toEqual([]);
    expect(config.rules.map((rule) => rule.summary)).toEqual([
      {
        quantiles: [
          { quantile: 0.5, error: 0.05 },
          { quantile: 0.9, error: 0.01 },
          { quantile: 0.99, error: 0.001 },
        ],
        maxAgeMs: 60_000,
        ageBuckets: 5,
        significantDigits: 3,
      },
      {
        quantiles: [
          { quantile: 0.5, error: 0.05 },
          { quantile: 0.99, error: 0.0005 },
        ],
        maxAgeMs: 60_000,
        ageBuckets: 3,
        significantDigits: 4,
      },
      {
        quantiles: [{ quantile: 0.9, error: 0.05 }],
        maxAgeMs: 60_000,
        ageBuckets: 5,
        significantDigits: 2,
      },
      null,
    ]);
  });

  it('takes an empty file as no rules', () => {
    expect(parseMappingText('').config.rules).toEqual([]);
  });
});

describe('validateMappingFile', () => {
  it('names the file and the key in its error', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cm-map-')), 'bad.yml');
    writeFileSync(path, 'mappings: [{ match: a, name: x, tll: 5s }]');
    expect(() => validateMappingFile(path)).toThrow(
      `--mapping-config ${path}: mappings[0].tll is not a supported key`,
    );
  });

  it('names a missing file', () => {
    expect(() => validateMappingFile('/nonexistent/m.yml')).toThrow(
      '--mapping-config /nonexistent/m.yml: ENOENT',
    );
  });
});

describe('parseDuration', () => {
  const CASES: Array<[string, number]> = [
    ['0', 0],
    ['250ms', 250],
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['1.5s', 1500],
  ];
  for (const [text, ms] of CASES) {
    it(`reads ${text} as ${ms} ms`, () => expect(parseDuration(text)).toBe(ms));
  }
  it('gives NaN for text that is not a duration', () => expect(parseDuration('5 min')).toBeNaN());
});
