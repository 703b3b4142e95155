import { ConfigError } from '../errors.js';
import {
  DEFAULT_SUMMARY_AGE_BUCKETS,
  DEFAULT_SUMMARY_MAX_AGE_MS,
  DEFAULT_SUMMARY_QUANTILES,
  type SummaryOptions,
} from './mapping-types.js';
import { parseDuration } from './duration.js';
import { asObject, checkKeys } from './yaml-shape.js';

/**
 * statsd_exporter's `summary_options` (and the older top-level `quantiles`), in `defaults`
 * or a mapping. What a mapping leaves out comes from `defaults`, then from statsd_exporter's
 * own defaults. `buf_cap` sizes client_golang's insert buffer; an HDR histogram has none.
 */
export type PartialSummaryOptions = Partial<Omit<SummaryOptions, 'significantDigits'>>;

const SUMMARY_KEYS = ['quantiles', 'max_age', 'age_buckets', 'buf_cap'];
const QUANTILE_KEYS = ['quantile', 'error'];
// Four digits already cost 8x the memory of three per histogram; an error of 0 gets four.
const MAX_SIGNIFICANT_DIGITS = 4;
/** The error of a quantile written without one (statsd_exporter would read it as 0). */
const DEFAULT_ERROR = 0.001;

export function readSummaryOptions(
  section: Record<string, unknown>,
  where: string,
  warnings: string[],
): PartialSummaryOptions {
  const options = asObject(section.summary_options ?? {}, `${where}.summary_options`);
  checkKeys(options, SUMMARY_KEYS, `${where}.summary_options.`);
  if (options.buf_cap !== undefined) {
    warnings.push(`${where}.summary_options.buf_cap is ignored: quantiles come from a histogram`);
  }

  const read: PartialSummaryOptions = {};
  const quantiles = options.quantiles ?? section.quantiles;
  const quantilesAt = options.quantiles === undefined ? 'quantiles' : 'summary_options.quantiles';
  if (quantiles !== undefined) read.quantiles = readQuantiles(quantiles, `${where}.${quantilesAt}`);
  if (options.max_age !== undefined) {
    const ms = typeof options.max_age === 'string' ? parseDuration(options.max_age) : NaN;
    if (!(ms > 0)) {
      throw new ConfigError(
        `${where}.summary_options.max_age must be a duration like 10m, got ${String(options.max_age)}`,
      );
    }
    read.maxAgeMs = ms;
  }
  if (options.age_buckets !== undefined) {
    const buckets = options.age_buckets;
    if (!Number.isInteger(buckets) || (buckets as number) < 1) {
      throw new ConfigError(
        `${where}.summary_options.age_buckets must be a positive integer, got ${String(buckets)}`,
      );
    }
    read.ageBuckets = buckets as number;
  }
  return read;
}

/** A mapping's options over the file's defaults over statsd_exporter's defaults. */
export function completeSummaryOptions(
  own: PartialSummaryOptions,
  defaults: PartialSummaryOptions,
): SummaryOptions {
  const quantiles = own.quantiles ?? defaults.quantiles ?? DEFAULT_SUMMARY_QUANTILES;
  const smallestError = Math.min(...quantiles.map((q) => q.error));
  // An HDR histogram with d digits is within 10^-d of the true value, relatively.
  const digits = smallestError === 0 ? Infinity : Math.ceil(-Math.log10(smallestError) - 1e-9);
  return {
    quantiles,
    maxAgeMs: own.maxAgeMs ?? defaults.maxAgeMs ?? DEFAULT_SUMMARY_MAX_AGE_MS,
    ageBuckets: own.ageBuckets ?? defaults.ageBuckets ?? DEFAULT_SUMMARY_AGE_BUCKETS,
    significantDigits: Math.min(MAX_SIGNIFICANT_DIGITS, Math.max(1, digits)),
  };
}

function readQuantiles(value: unknown, where: string): SummaryOptions['quantiles'] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(`${where} must be a non-empty list of { quantile, error }`);
  }
  const quantiles = value.map((entry, index) => {
    const at = `${where}[${index}]`;
    const objective = asObject(entry, at);
    checkKeys(objective, QUANTILE_KEYS, `${at}.`);
    const { quantile } = objective;
    const error = objective.error ?? DEFAULT_ERROR;
    if (typeof quantile !== 'number' || !(quantile >= 0 && quantile <= 1)) {
      throw new ConfigError(`${at}.quantile must be a number from 0 to 1, got ${String(quantile)}`);
    }
    if (typeof error !== 'number' || !(error >= 0 && error < 1)) {
      throw new ConfigError(`${at}.error must be a number from 0 to below 1, got ${String(error)}`);
    }
    return { quantile, error };
  });
  return quantiles.sort((a, b) => a.quantile - b.quantile);
}
