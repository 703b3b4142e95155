import type { ExpositionFormat } from '../../src/protocol.js';
import type { FamilySnapshot, Labels } from './families.js';

/**
 * Turns data families into exposition text, byte for byte as prom-client 15's Registry
 * writes them, so replacing the registry for data changed no line of /metrics:
 *
 *   family    `# HELP <name> <help>\n# TYPE <name> <type>` then one line per sample
 *   samples   `<name>{<label>="<value>",...} <value>`, no braces when there are no labels
 *   escaping  HELP and names: `\` and newline; label values: `\`, newline and `"`
 *   values    NaN as `Nan`, ±Infinity as `+Inf`/`-Inf`, anything else as JS prints it
 *   counters  OpenMetrics samples carry `_total` added to the family name
 *
 * Families are joined by a blank line in text and by a newline in OpenMetrics (the `# EOF`
 * and the self-metrics around them are exposition.ts's business).
 */

/** The sample value as prom-client spells it; `Nan` (sic) is what it has always written. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}

/** HELP text and family names: backslash and newline escaped. */
export function escapeText(text: string): string {
  // Most names and help carry neither; skip the two regex passes for them.
  if (text.indexOf('\\') < 0 && text.indexOf('\n') < 0) return text;
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function escapeLabelValue(value: string): string {
  if (value.indexOf('\\') < 0 && value.indexOf('\n') < 0 && value.indexOf('"') < 0) {
    return value;
  }
  return escapeText(value).replace(/"/g, '\\"');
}

/**
 * `a="x",b="y"` (no braces), in the labels' key order, as prom-client lists them. Empty
 * when there are none.
 */
export function formatLabelPairs(labels: Labels): string {
  let pairs = '';
  for (const name in labels) {
    const pair = `${name}="${escapeLabelValue(labels[name])}"`;
    pairs = pairs.length === 0 ? pair : `${pairs},${pair}`;
  }
  return pairs;
}

/** `{pairs}` or nothing. */
export function braced(pairs: string): string {
  return pairs.length === 0 ? '' : `{${pairs}}`;
}

/**
 * Label pairs with one more label (`le`, `quantile`) put where prom-client's object spread
 * puts it: last, or in place when the series' own labels already hold that name.
 */
export function withExtraLabel(labels: Labels, pairs: string, name: string, value: string): string {
  if (Object.prototype.hasOwnProperty.call(labels, name)) {
    return braced(formatLabelPairs({ ...labels, [name]: value }));
  }
  const extra = `${name}="${escapeLabelValue(value)}"`;
  return pairs.length === 0 ? `{${extra}}` : `{${pairs},${extra}}`;
}

/** The two header lines of a family. */
export function familyHeader(name: string, help: string, type: string): string {
  return `# HELP ${name} ${escapeText(help)}\n# TYPE ${name} ${type}`;
}

/**
 * A family given as a list of samples (push groups, OTLP), written as the registry writes
 * any metric's `get()` result. The store's own families take the faster paths in
 * store-family-writer.ts, which make no sample objects.
 */
export function writeSnapshot(snapshot: FamilySnapshot, format: ExpositionFormat): string {
  const name = escapeText(snapshot.name);
  const isCounterSample = format === 'openmetrics' && snapshot.type === 'counter';
  let out = familyHeader(name, snapshot.help, snapshot.type);
  for (const sample of snapshot.values) {
    const metricName = sample.metricName ?? name;
    const sampleName = isCounterSample ? `${metricName}_total` : metricName;
    const labels = braced(formatLabelPairs(sample.labels ?? {}));
    out += `\n${sampleName}${labels} ${formatValue(sample.value)}`;
  }
  return out;
}
