/**
 * Sums over Prometheus text exposition, without building an object per sample: at 1M
 * series the bench must not become the bottleneck it measures.
 */

export interface ExpositionSums {
  /**
   * Sum of every sample whose line starts with the prefix asked for. A line prefix rather
   * than a name, so a peer's `name{label="bench.c` selects as well as our `bench_c`.
   */
  prefixSum: number;
  /** Number of samples whose line starts with the prefix asked for. */
  prefixSamples: number;
  /** Sums per exact sample name, for the self-metrics asked for. */
  byName: Map<string, number>;
}

export function sumExposition(
  text: string,
  prefix: string,
  names: readonly string[],
): ExpositionSums {
  const sums: ExpositionSums = { prefixSum: 0, prefixSamples: 0, byName: new Map() };
  const wanted = new Set(names);
  let start = 0;
  // Bounded by the text length: each pass consumes one line.
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (text.charCodeAt(start) !== 35 /* # */ && end > start) addLine(text.slice(start, end));
    start = end + 1;
  }
  return sums;

  function addLine(line: string): void {
    const brace = line.indexOf('{');
    const space = line.indexOf(' ');
    const hasLabels = brace >= 0 && brace < space;
    const name = line.slice(0, hasLabels ? brace : space);
    // The value follows the labels; a timestamp may follow the value (netdata, collectd).
    const valueStart = hasLabels ? line.lastIndexOf('}') + 2 : space + 1;
    const valueEnd = line.indexOf(' ', valueStart);
    const value = Number(line.slice(valueStart, valueEnd < 0 ? line.length : valueEnd));
    if (line.startsWith(prefix)) {
      sums.prefixSum += value;
      sums.prefixSamples++;
    }
    if (wanted.has(name)) sums.byName.set(name, (sums.byName.get(name) ?? 0) + value);
  }
}
