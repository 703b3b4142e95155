import type { ExpositionFormat } from '../../src/protocol.js';
import {
  braced,
  escapeText,
  familyHeader,
  formatLabelPairs,
  formatValue,
  withExtraLabel,
} from './exposition-writer.js';
import { HistogramFamily, type HistogramSeries, type ScalarSeries } from './families.js';
import type { StoreFamily } from './family-factory.js';
import { SummaryFamily, type SummarySeries } from './summary-family.js';

/**
 * Writes a series-store family straight from its series map into `lines` (joined by
 * newlines later), making no per-sample objects: at 1M series the registry's
 * `{ value, labels }` objects and label spreads were most of the merger's garbage.
 *
 * Label pairs are formatted from each series' labels at every rendering, not cached: for
 * 100k series of two labels, keeping formatLabelPairs' strings measured 212 B more heap
 * per series (about 60 B if flattened) to save about 105 ms per rendering (issue 3's
 * closing note), and a rendering now happens only after a change
 * (data-families.ts). Against the 300 B/series budget the memory was not worth it.
 */
export function writeStoreFamily(
  family: StoreFamily,
  format: ExpositionFormat,
  lines: string[],
): void {
  const name = escapeText(family.familyName(format));
  lines.push(familyHeader(name, family.help, family.type));
  if (family instanceof HistogramFamily) {
    writeHistogram(family, family.series as Map<string, HistogramSeries>, lines);
  } else if (family instanceof SummaryFamily) {
    writeSummary(family, name, lines);
  } else {
    // Counters: `<base>_total` in both formats (OpenMetrics adds it to the family `<base>`).
    const sampleName =
      family.type === 'counter' && format === 'openmetrics' ? `${name}_total` : name;
    for (const series of (family.series as Map<string, ScalarSeries>).values()) {
      lines.push(
        `${sampleName}${braced(formatLabelPairs(series.labels))} ${formatValue(series.value)}`,
      );
    }
  }
}

function writeHistogram(
  family: HistogramFamily,
  series: Map<string, HistogramSeries>,
  lines: string[],
): void {
  // Sample names are not escaped: prom-client escapes only the family name it defaults to.
  const bucketName = `${family.baseName}_bucket`;
  const sumName = `${family.baseName}_sum`;
  const countName = `${family.baseName}_count`;
  const leLabels = family.leLabels;
  for (const one of series.values()) {
    const pairs = formatLabelPairs(one.labels);
    let cumulative = 0;
    for (let i = 0; i < leLabels.length; i++) {
      cumulative += one.buckets[i];
      const labels = withExtraLabel(one.labels, pairs, 'le', leLabels[i]);
      lines.push(`${bucketName}${labels} ${formatValue(cumulative)}`);
    }
    lines.push(`${sumName}${braced(pairs)} ${formatValue(one.sum)}`);
    lines.push(`${countName}${braced(pairs)} ${formatValue(one.count)}`);
  }
}

function writeSummary(family: SummaryFamily, name: string, lines: string[]): void {
  const sumName = `${family.baseName}_sum`;
  const countName = `${family.baseName}_count`;
  const quantileLabels = family.quantileLabels;
  for (const one of (family.series as Map<string, SummarySeries>).values()) {
    const pairs = formatLabelPairs(one.labels);
    for (let i = 0; i < quantileLabels.length; i++) {
      const labels = withExtraLabel(one.labels, pairs, 'quantile', quantileLabels[i]);
      lines.push(`${name}${labels} ${formatValue(one.quantileValues[i])}`);
    }
    lines.push(`${sumName}${braced(pairs)} ${formatValue(one.sum)}`);
    lines.push(`${countName}${braced(pairs)} ${formatValue(one.count)}`);
  }
}
