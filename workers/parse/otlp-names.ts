import { isObjectPropertyName, isReservedLabelName } from './sanitize.js';

/**
 * OTLP metric and attribute names → Prometheus names, following the rules the
 * OpenTelemetry Collector's Prometheus exporter applies (our own implementation):
 *  - every run of characters outside [a-zA-Z0-9] splits the name; the parts join with `_`
 *    (so dots become `_`, and no `__` or trailing `_` is left);
 *  - the unit, translated (`s` → `seconds`, `By` → `bytes`, `m/s` → `meters_per_second`),
 *    is appended unless the name already ends with it; `{annotations}` are dropped;
 *  - a gauge with unit `1` gets `_ratio`; a counter's `_total` is added at rendering.
 */
const UNITS: Record<string, string> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tebibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};
const PER_UNITS: Record<string, string> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

/** The family name; for counters the base without `_total` (the exposition adds it). */
export function translateMetricName(
  name: string,
  unit: string,
  isCounter: boolean,
  isGauge: boolean,
): string {
  const parts = name.split(/[^a-zA-Z0-9]+/).filter((part) => part !== '');
  // A counter's own `total` part moves to the very end, where the exposition puts it.
  if (isCounter && parts[parts.length - 1] === 'total') parts.pop();

  const unitParts = translateUnit(unit);
  if (unitParts.length > 0 && !endsWith(parts, unitParts)) parts.push(...unitParts);
  if (isGauge && unit === '1' && parts[parts.length - 1] !== 'ratio') parts.push('ratio');

  const joined = parts.join('_');
  if (joined === '') return '_';
  const family = /^[0-9]/.test(joined) ? `_${joined}` : joined;
  return isObjectPropertyName(family) ? `exported_${family}` : family;
}

function translateUnit(unit: string): string[] {
  const plain = unit.replace(/\{[^}]*\}/g, '').trim();
  if (plain === '' || plain === '1') return [];
  const [main, per] = plain.split('/', 2);
  const parts: string[] = [];
  if (main !== '') parts.push(...words(UNITS[main] ?? main));
  if (per !== undefined && per !== '')
    parts.push('per', ...words(PER_UNITS[per] ?? UNITS[per] ?? per));
  return parts;
}

function words(text: string): string[] {
  return text.split(/[^a-zA-Z0-9]+/).filter((part) => part !== '');
}

function endsWith(parts: readonly string[], suffix: readonly string[]): boolean {
  if (suffix.length > parts.length) return false;
  return suffix.every((part, i) => parts[parts.length - suffix.length + i] === part);
}

/**
 * Attribute keys → label names: anything outside [a-zA-Z0-9_] becomes `_`. Names
 * Prometheus gives a meaning to (`__name__`, `le`, ...) get `exported_`, as in sanitize.ts:
 * a `__name__` label made the sample unreadable to a Prometheus scrape.
 */
export function translateLabelName(key: string): string {
  const replaced = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (replaced === '') return '_';
  const name = /^[0-9]/.test(replaced) ? `key_${replaced}` : replaced;
  return isReservedLabelName(name) ? `exported_${name}` : name;
}
