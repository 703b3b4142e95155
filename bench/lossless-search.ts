/**
 * Finds the highest offered rate at which at least `minDeliveredRatio` of lines arrive.
 *
 * Two phases, both bounded in trial count:
 *   1. Growth: multiply the rate by `growthFactor` from `startRate` until a trial loses lines
 *      (or `maxRate` passes losslessly: the search then reports `maxRate` as a floor).
 *   2. Bisection between the last lossless and the first lossy rate, `bisectSteps` times.
 * `repeats` bisections run over the bracket found once by the growth phase; the figure is
 * their median, the spread their min and max. A trial is whatever `runTrial` does: the caller
 * owns sockets and processes, this file owns only the arithmetic.
 */

export interface TrialOutcome {
  offeredLinesPerSec: number;
  deliveredRatio: number;
}

export interface SearchOptions {
  startRate: number;
  maxRate: number;
  growthFactor: number;
  bisectSteps: number;
  repeats: number;
  minDeliveredRatio: number;
}

export interface SearchResult {
  /**
   * Median of the repeats: the rate the senders really offered in the highest lossless trial
   * of each, in lines per second; 0 when every trial lost lines.
   */
  losslessLinesPerSec: number;
  spread: { min: number; max: number };
  /** True when no trial lost lines: the figure is a floor set by `maxRate`, not a limit. */
  isCappedByMaxRate: boolean;
  trials: TrialOutcome[];
}

export type RunTrial = (linesPerSec: number) => Promise<TrialOutcome>;

export async function searchLosslessRate(
  options: SearchOptions,
  runTrial: RunTrial,
): Promise<SearchResult> {
  const trials: TrialOutcome[] = [];
  // Rates are searched as asked for, but reported as offered: senders may fall short.
  let lastOffered = 0;
  const isLossless = async (rate: number): Promise<boolean> => {
    const outcome = await runTrial(rate);
    trials.push(outcome);
    lastOffered = outcome.offeredLinesPerSec;
    return outcome.deliveredRatio >= options.minDeliveredRatio;
  };

  const bracket = await findBracket(options, isLossless, () => lastOffered);
  if (bracket.lossy === null) {
    const rate = bracket.losslessOffered;
    return {
      losslessLinesPerSec: rate,
      spread: { min: rate, max: rate },
      isCappedByMaxRate: true,
      trials,
    };
  }

  const found: number[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    let low = bracket.lossless;
    let lowOffered = bracket.losslessOffered;
    let high = bracket.lossy;
    for (let step = 0; step < options.bisectSteps; step++) {
      const middle = Math.round((low + high) / 2);
      if (await isLossless(middle)) {
        low = middle;
        lowOffered = lastOffered;
      } else {
        high = middle;
      }
    }
    found.push(lowOffered);
  }
  return {
    losslessLinesPerSec: median(found),
    spread: { min: Math.min(...found), max: Math.max(...found) },
    isCappedByMaxRate: false,
    trials,
  };
}

async function findBracket(
  options: SearchOptions,
  isLossless: (rate: number) => Promise<boolean>,
  offered: () => number,
): Promise<{ lossless: number; losslessOffered: number; lossy: number | null }> {
  let lossless = 0;
  let losslessOffered = 0;
  let rate = options.startRate;
  // Bounded: the rate grows geometrically and stops at maxRate.
  for (;;) {
    if (!(await isLossless(rate))) return { lossless, losslessOffered, lossy: rate };
    lossless = rate;
    losslessOffered = offered();
    if (rate >= options.maxRate) return { lossless, losslessOffered, lossy: null };
    rate = Math.min(options.maxRate, Math.round(rate * options.growthFactor));
  }
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
