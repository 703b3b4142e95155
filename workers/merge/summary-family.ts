import type { SummaryOptions } from '../../src/protocol.js';
import { Family, type FamilyType, type Labels } from './families.js';
import { SummaryWindow } from './summary-window.js';

/** A summary series: cumulative `_sum` and `_count`, quantiles over a sliding window. */
export interface SummarySeries {
  labels: Labels;
  sum: number;
  count: number;
  window: SummaryWindow;
  /** One per family quantile, as last read from the window (fold.ts refreshes them). */
  quantileValues: number[];
}

/** Renders `name{quantile="0.5"}`, `name_sum` and `name_count`, in both formats. */
export class SummaryFamily extends Family<SummarySeries> {
  readonly options: SummaryOptions;
  readonly #quantiles: number[];
  /** `quantile` label of each quantile line, as written. */
  readonly quantileLabels: readonly string[];

  constructor(baseName: string, help: string, options: SummaryOptions) {
    super(baseName, help);
    this.options = options;
    this.#quantiles = options.quantiles.map((q) => q.quantile);
    this.quantileLabels = this.#quantiles.map(String);
  }

  get type(): FamilyType {
    return 'summary';
  }

  familyName(): string {
    return this.baseName;
  }

  createSeries(labels: Labels): SummarySeries {
    const quantileValues = this.#quantiles.map(() => NaN);
    return { labels, sum: 0, count: 0, window: new SummaryWindow(this.options), quantileValues };
  }

  /** Moves every series' window to `nowMs` and reads the quantiles of those that changed. */
  refresh(nowMs: number): void {
    for (const series of this.series.values()) {
      series.window.advance(nowMs);
      if (series.window.isDirty) series.quantileValues = series.window.quantiles(this.#quantiles);
    }
  }
}
