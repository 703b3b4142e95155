import type { SearchOptions } from '../lossless-search.js';

/** Flush interval of the daemon in throughput trials: short, so a trial settles quickly. */
export const TRIAL_FLUSH_INTERVAL_MS = 250;

/** "Lossless" as the issue defines it: at least 99.9 % of lines arrive. */
export const MIN_DELIVERED_RATIO = 0.999;

export function searchOptions(isQuick: boolean, startRate: number): SearchOptions {
  return isQuick
    ? {
        startRate,
        maxRate: 20_000_000,
        growthFactor: 3,
        bisectSteps: 2,
        repeats: 1,
        minDeliveredRatio: MIN_DELIVERED_RATIO,
      }
    : {
        startRate,
        maxRate: 20_000_000,
        growthFactor: 2,
        bisectSteps: 3,
        repeats: 3,
        minDeliveredRatio: MIN_DELIVERED_RATIO,
      };
}

export function trialDurationMs(isQuick: boolean): number {
  return isQuick ? 500 : 1000;
}
