/**
 * Sums over Prometheus text exposition, without building an object per sample: at 1M
 * series the bench must not become the bottleneck it measures.
 */

export interface ExpositionSums {
  /** Sum of every sample whose name starts with the prefix asked for. */
  prefixSum: number;
  /** Number of samples whose name starts with the prefix asked for. */
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
    const name = line.slice(0, brace >= 0 && brace < space ? brace : space);
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (name.startsWith(prefix)) {
      sums.prefixSum += value;
      sums.prefixSamples++;
    }
    if (wanted.has(name)) sums.byName.set(name, (sums.byName.get(name) ?? 0) + value);
  }
}
