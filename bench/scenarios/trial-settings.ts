import type { SearchOptions } from '../lossless-search.js';

/** Flush interval of the daemon in throughput trials: short, so a trial settles quickly. */
export const TRIAL_FLUSH_INTERVAL_MS = 250;

/** "Lossless" as the issue defines it: at least 99.9 % of lines arrive. */
export const MIN_DELIVERED_RATIO = 0.999;

/**
 * Search settings. catalyst-metrics, the subject, gets three repeats (a median and a
 * spread) of two bisection steps, each resolving the rate to a quarter of the bracket's
 * floor; the references (ceiling, peers) one repeat of three steps, to an eighth. That
 * keeps a full run near five minutes on 2 cores.
 */
export function searchOptions(
  isQuick: boolean,
  startRate: number,
  isReference = false,
): SearchOptions {
  const common = { startRate, maxRate: 20_000_000, minDeliveredRatio: MIN_DELIVERED_RATIO };
  if (isQuick) return { ...common, growthFactor: 3, bisectSteps: 2, repeats: 1 };
  return isReference
    ? { ...common, growthFactor: 2, bisectSteps: 3, repeats: 1 }
    : { ...common, growthFactor: 2, bisectSteps: 2, repeats: 3 };
}

/** Each trial blasts this long. The shorter, the more loss the 8 MiB socket buffer hides. */
export function trialDurationMs(isQuick: boolean): number {
  return isQuick ? 500 : 1000;
}
