/**
 * Turning StatsD names and tags into valid Prometheus names. Runs once per new series (the
 * shard caches the outcome per raw key), so clarity wins over speed here.
 */

const INVALID_NAME_CHARS = /[^a-zA-Z0-9_]/g;
const INVALID_LABEL_VALUE_CHARS = /\u0000/g;

/** `api.requests-total` → `api_requests_total`; a leading digit gets a `_` in front. */
export function sanitizeMetricName(raw: string): string {
  const name = toPrometheusName(raw);
  return isObjectPropertyName(name) ? `exported_${name}` : name;
}

/**
 * prom-client's Registry keys metrics on a plain object: a family named `constructor` or
 * `__proto__` (or a counter `constructor_total`, whose OpenMetrics family is `constructor`)
 * reads as already registered and throws, which kills the merger. Every receiver's names
 * go through this (StatsD and JSON here, OTLP in otlp-names.ts, text in prom-text.ts).
 */
export function isObjectPropertyName(name: string): boolean {
  const base = name.endsWith('_total') ? name.slice(0, -6) : name;
  return name in Object.prototype || base in Object.prototype;
}

/** Label names Prometheus gives a meaning to: `__` (reserved), and `le`/`quantile`. */
export function isReservedLabelName(name: string): boolean {
  return name.startsWith('__') || name === 'le' || name === 'quantile';
}

/**
 * Label names follow the metric-name rule. Names Prometheus gives a meaning to are moved
 * aside with an `exported_` prefix, as Prometheus itself does for clashing target labels:
 * any `__` prefix (reserved), and `le` / `quantile`, which histogram and summary series set.
 */
export function sanitizeLabelName(raw: string): string {
  // Labels live in prototype-less objects, so `constructor` stays an ordinary label name.
  const name = toPrometheusName(raw);
  return isReservedLabelName(name) ? `exported_${name}` : name;
}

/**
 * Label values may hold any UTF-8. Invalid sequences were already replaced with U+FFFD when
 * the bytes were decoded; NUL is replaced too because series keys use it as a separator.
 */
export function sanitizeLabelValue(raw: string): string {
  return raw.includes('\u0000') ? raw.replace(INVALID_LABEL_VALUE_CHARS, '\ufffd') : raw;
}

function toPrometheusName(raw: string): string {
  const name = raw.replace(INVALID_NAME_CHARS, '_');
  return startsWithDigit(name) ? `_${name}` : name;
}

function startsWithDigit(name: string): boolean {
  const first = name.charCodeAt(0);
  return first >= 48 && first <= 57;
}
