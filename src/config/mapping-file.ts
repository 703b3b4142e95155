import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';
import {
  GAUGE_COMBINES,
  type GaugeCombine,
  type MappingConfig,
  type MappingRule,
  type MetricTypeFilter,
} from '../protocol.js';
import { parseDuration } from './duration.js';
import {
  completeSummaryOptions,
  readSummaryOptions,
  type PartialSummaryOptions,
} from './summary-options.js';
import { asObject, checkKeys } from './yaml-shape.js';

/**
 * Reads a statsd_exporter mapping file as it is, plus our own `catalyst:` section, into a
 * MappingConfig: plain data that crosses to the shards and the merger by structured clone.
 *
 *   defaults:  observer_type, timer_type, match_type, glob_disable_ordering, ttl,
 *              histogram_options.buckets, buckets, summary_options, quantiles
 *   mappings:  match, match_type, name, labels, match_metric_type, observer_type, timer_type,
 *              histogram_options.buckets, buckets, summary_options, quantiles, ttl, action, help
 *   catalyst:  ttl.{counter,gauge,histogram,set}, series_limits.{metric: N},
 *              aggregations[{metric, drop_labels, gauge_combine}]
 *
 * A key outside these lists is an error naming it (a typo must not silently map nothing).
 * Keys we read but do not honour (help, scale, buf_cap) come back as warnings.
 */

export interface LoadedMappingFile {
  config: MappingConfig;
  /** Keys read and not honoured, one sentence each, naming the key. */
  warnings: string[];
}

const DEFAULTS_KEYS = [
  'observer_type',
  'timer_type',
  'match_type',
  'glob_disable_ordering',
  'ttl',
  'histogram_options',
  'buckets',
  'summary_options',
  'quantiles',
];
const MAPPING_KEYS = [
  'match',
  'match_type',
  'name',
  'labels',
  'match_metric_type',
  'observer_type',
  'timer_type',
  'histogram_options',
  'buckets',
  'summary_options',
  'quantiles',
  'ttl',
  'action',
  'help',
  'scale',
];
const CATALYST_KEYS = ['ttl', 'series_limits', 'aggregations'];
const AGGREGATION_KEYS = ['metric', 'drop_labels', 'gauge_combine'];
const TYPE_TTL_KEYS = ['counter', 'gauge', 'histogram', 'set'] as const;
const METRIC_TYPES: readonly string[] = ['counter', 'gauge', 'observer', 'timer'];
const GLOB_RE = /^[a-zA-Z0-9_*:-]+(\.[a-zA-Z0-9_*:-]+)*$/;
const METRIC_NAME_RE = /^([a-zA-Z_:]|\$\{?\w+\}?)([a-zA-Z0-9_:]|\$\{?\w+\}?)*$/;
const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Reads and checks `path`; throws ConfigError naming the file and the offending key. */
export function validateMappingFile(path: string): LoadedMappingFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`--mapping-config ${path}: ${(error as Error).message}`);
  }
  try {
    return parseMappingText(text);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`--mapping-config ${path}: ${error.message}`);
  }
}

/**
 * A check for the whole configuration (issue 7's CONFIG_CHECKS list): reads the file
 * --mapping-config names, so --check-config covers it without starting the daemon.
 */
export function checkMappingConfig(config: { mappingConfig: string | null }): void {
  if (config.mappingConfig !== null) validateMappingFile(config.mappingConfig);
}

/** The file's text to a MappingConfig. Throws ConfigError naming the key at fault. */
export function parseMappingText(text: string): LoadedMappingFile {
  let document: unknown;
  try {
    document = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(`not valid YAML: ${(error as Error).message}`);
  }
  const root = asObject(document, 'the file');
  checkKeys(root, ['defaults', 'mappings', 'catalyst'], '');
  const warnings: string[] = [];

  const defaults = asObject(root.defaults ?? {}, 'defaults');
  checkKeys(defaults, DEFAULTS_KEYS, 'defaults.');
  const defaultMatchType = readMatchType(defaults.match_type, 'defaults.match_type') ?? 'glob';
  const defaultObserver = readObserver(defaults, 'defaults') ?? 'histogram';
  const defaultSummary = readSummaryOptions(defaults, 'defaults', warnings);
  const defaultBuckets = readBuckets(defaults, 'defaults');
  const defaultTtlMs = readTtl(defaults.ttl, 'defaults.ttl');
  if (defaults.glob_disable_ordering !== undefined) {
    warnings.push('defaults.glob_disable_ordering is ignored: rules always match in file order');
  }

  const mappingList = root.mappings ?? [];
  if (!Array.isArray(mappingList)) throw new ConfigError('mappings must be a list');
  const rules = mappingList.map((entry, index) => {
    const where = `mappings[${index}]`;
    const mapping = asObject(entry, where);
    checkKeys(mapping, MAPPING_KEYS, `${where}.`);
    return readRule(mapping, where, warnings, {
      matchType: defaultMatchType,
      observer: defaultObserver,
      summary: defaultSummary,
      buckets: defaultBuckets,
      ttlMs: defaultTtlMs,
    });
  });

  return { config: { rules, ...readCatalyst(root.catalyst ?? {}) }, warnings };
}

interface RuleDefaults {
  matchType: 'glob' | 'regex';
  observer: 'histogram' | 'summary';
  summary: PartialSummaryOptions;
  buckets: number[] | null;
  ttlMs: number;
}

function readRule(
  mapping: Record<string, unknown>,
  where: string,
  warnings: string[],
  defaults: RuleDefaults,
): MappingRule {
  const match = mapping.match;
  if (typeof match !== 'string' || match === '') {
    throw new ConfigError(`${where}.match must be a non-empty string`);
  }
  const matchType = readMatchType(mapping.match_type, `${where}.match_type`) ?? defaults.matchType;
  if (matchType === 'glob' && !GLOB_RE.test(match)) {
    throw new ConfigError(`${where}.match must be dot-separated words and *, got ${match}`);
  }
  if (matchType === 'regex') {
    try {
      new RegExp(match);
    } catch (error) {
      throw new ConfigError(`${where}.match is not a valid regex: ${(error as Error).message}`);
    }
  }

  const action = mapping.action ?? 'map';
  if (action !== 'map' && action !== 'drop') {
    throw new ConfigError(`${where}.action must be map or drop, got ${String(action)}`);
  }
  const name = mapping.name;
  if (action === 'map' && (typeof name !== 'string' || !METRIC_NAME_RE.test(name))) {
    throw new ConfigError(`${where}.name must be a metric name (may use $1, \${1}), got ${name}`);
  }

  const labels: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(asObject(mapping.labels ?? {}, `${where}.labels`))) {
    if (!LABEL_NAME_RE.test(key))
      throw new ConfigError(`${where}.labels.${key} is not a label name`);
    labels.push([key, String(value)]);
  }
  labels.sort((a, b) => (a[0] < b[0] ? -1 : 1));

  const metricType = mapping.match_metric_type;
  if (metricType !== undefined && !METRIC_TYPES.includes(String(metricType))) {
    throw new ConfigError(
      `${where}.match_metric_type must be counter, gauge or observer, got ${String(metricType)}`,
    );
  }
  if (mapping.help !== undefined) warnings.push(`${where}.help is ignored: HELP names the source`);
  if (mapping.scale !== undefined) warnings.push(`${where}.scale is not supported and ignored`);

  const observer = readObserver(mapping, where) ?? defaults.observer;
  const summary = readSummaryOptions(mapping, where, warnings);
  return {
    match,
    matchType,
    isDrop: action === 'drop',
    name: typeof name === 'string' ? name : '',
    labels,
    metricType: metricType === 'timer' ? 'observer' : ((metricType ?? null) as MetricTypeFilter),
    observer,
    summary: observer === 'summary' ? completeSummaryOptions(summary, defaults.summary) : null,
    buckets: readBuckets(mapping, where) ?? defaults.buckets,
    ttlMs: mapping.ttl === undefined ? defaults.ttlMs : readTtl(mapping.ttl, `${where}.ttl`),
  };
}

function readCatalyst(value: unknown): Omit<MappingConfig, 'rules'> {
  const section = asObject(value, 'catalyst');
  checkKeys(section, CATALYST_KEYS, 'catalyst.');

  const ttl = asObject(section.ttl ?? {}, 'catalyst.ttl');
  checkKeys(ttl, TYPE_TTL_KEYS, 'catalyst.ttl.');
  const typeTtlMs = TYPE_TTL_KEYS.map((kind) => readTtl(ttl[kind], `catalyst.ttl.${kind}`));

  const seriesLimits: Record<string, number> = {};
  for (const [metric, limit] of Object.entries(
    asObject(section.series_limits ?? {}, 'catalyst.series_limits'),
  )) {
    if (!Number.isInteger(limit) || (limit as number) < 1) {
      throw new ConfigError(`catalyst.series_limits.${metric} must be a positive integer`);
    }
    seriesLimits[metric] = limit as number;
  }

  const list = section.aggregations ?? [];
  if (!Array.isArray(list)) throw new ConfigError('catalyst.aggregations must be a list');
  const aggregations = list.map((entry, index) => {
    const where = `catalyst.aggregations[${index}]`;
    const aggregation = asObject(entry, where);
    checkKeys(aggregation, AGGREGATION_KEYS, `${where}.`);
    const labels = aggregation.drop_labels;
    if (typeof aggregation.metric !== 'string' || aggregation.metric === '') {
      throw new ConfigError(`${where}.metric must be a metric name`);
    }
    if (!Array.isArray(labels) || !labels.every((label) => typeof label === 'string')) {
      throw new ConfigError(`${where}.drop_labels must be a list of label names`);
    }
    const combine = aggregation.gauge_combine ?? 'last';
    if (!GAUGE_COMBINES.includes(combine as GaugeCombine)) {
      throw new ConfigError(
        `${where}.gauge_combine must be one of ${GAUGE_COMBINES.join(', ')}, got ${String(combine)}`,
      );
    }
    return {
      metric: aggregation.metric,
      dropLabels: labels as string[],
      gaugeCombine: combine as GaugeCombine,
    };
  });
  return { typeTtlMs, seriesLimits, aggregations };
}

function readObserver(
  section: Record<string, unknown>,
  where: string,
): 'histogram' | 'summary' | null {
  const value = section.observer_type ?? section.timer_type;
  if (value === undefined) return null;
  if (value !== 'histogram' && value !== 'summary') {
    throw new ConfigError(`${where}.observer_type must be histogram or summary, got ${value}`);
  }
  return value;
}

function readBuckets(section: Record<string, unknown>, where: string): number[] | null {
  const options = asObject(section.histogram_options ?? {}, `${where}.histogram_options`);
  checkKeys(options, ['buckets'], `${where}.histogram_options.`);
  const buckets = options.buckets ?? section.buckets;
  if (buckets === undefined) return null;
  const isValid =
    Array.isArray(buckets) &&
    buckets.length > 0 &&
    buckets.every((b, i) => Number.isFinite(b) && (i === 0 || b > buckets[i - 1]));
  if (!isValid) {
    throw new ConfigError(`${where}.histogram_options.buckets must be ascending finite numbers`);
  }
  return buckets as number[];
}

function readTtl(value: unknown, where: string): number {
  if (value === undefined || value === 0) return 0;
  const ms = typeof value === 'string' ? parseDuration(value) : NaN;
  if (!(ms >= 0)) throw new ConfigError(`${where} must be a duration like 30s or 5m, got ${value}`);
  return ms;
}

function readMatchType(value: unknown, where: string): 'glob' | 'regex' | null {
  if (value === undefined || value === '') return null;
  if (value !== 'glob' && value !== 'regex') {
    throw new ConfigError(`${where} must be glob or regex, got ${String(value)}`);
  }
  return value;
}
