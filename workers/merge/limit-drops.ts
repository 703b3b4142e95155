/**
 * Samples dropped because a series limit refused their series, per metric and per limit,
 * for /debug/cardinality. Three limits refuse series:
 *  - max_series:    the daemon's --max-series, over every metric (hidden gauge sources too);
 *  - metric_limit:  the metric's own `catalyst.series_limits` entry;
 *  - max_summary_series: the daemon's --max-summary-series, over summary series only;
 *  - worker_spellings: a worker's per-interval budget of new raw names, counted before any
 *    mapping, so it has no metric name.
 */
export type SeriesLimitKind = 'max_series' | 'metric_limit' | 'max_summary_series';

export interface LimitDropsJson {
  /** Totals since start, by limit. */
  byLimit: Record<SeriesLimitKind | 'worker_spellings', number>;
  /** Largest first; metrics past the tally bound are summed in `otherMetrics`. */
  byMetric: Array<{ metric: string; limit: SeriesLimitKind; droppedSamples: number }>;
  otherMetrics: number;
}

// A flood of names is refused by max_series one new name at a time: tallying each would grow
// without bound, so past this many (metric, limit) pairs the rest go to `otherMetrics`.
const MAX_TALLIED = 1000;
const MAX_REPORTED = 50;

interface Tally {
  metric: string;
  limit: SeriesLimitKind;
  droppedSamples: number;
}

export class LimitDrops {
  readonly #tallies = new Map<string, Tally>();
  readonly #byLimit = {
    max_series: 0,
    metric_limit: 0,
    max_summary_series: 0,
    worker_spellings: 0,
  };
  #otherMetrics = 0;

  get total(): number {
    return Object.values(this.#byLimit).reduce((total, samples) => total + samples, 0);
  }

  count(metric: string, limit: SeriesLimitKind, samples: number): void {
    this.#byLimit[limit] += samples;
    const key = `${limit}\u0000${metric}`;
    let tally = this.#tallies.get(key);
    if (tally === undefined) {
      if (this.#tallies.size >= MAX_TALLIED) {
        this.#otherMetrics += samples;
        return;
      }
      tally = { metric, limit, droppedSamples: 0 };
      this.#tallies.set(key, tally);
    }
    tally.droppedSamples += samples;
  }

  countSpellings(samples: number): void {
    this.#byLimit.worker_spellings += samples;
  }

  report(): LimitDropsJson {
    const byMetric = [...this.#tallies.values()]
      .sort((a, b) => b.droppedSamples - a.droppedSamples || (a.metric < b.metric ? -1 : 1))
      .slice(0, MAX_REPORTED)
      .map((tally) => ({ ...tally }));
    return { byLimit: { ...this.#byLimit }, byMetric, otherMetrics: this.#otherMetrics };
  }
}
