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
 *
 * A trial that reports the sink has fallen over (it did not even settle) ends the search at
 * once: each further trial would wait out the same bound and say nothing new.
 */

export interface TrialOutcome {
  offeredLinesPerSec: number;
  deliveredRatio: number;
  /** True when the sink is past measuring (e.g. still busy at the settle bound). */
  hasFallenOver?: boolean;
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
  /** Offered rate of the trial at which the sink fell over; null when it never did. */
  fellOverAtLinesPerSec: number | null;
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
  let fellOverAt: number | null = null;
  const isLossless = async (rate: number): Promise<boolean> => {
    const outcome = await runTrial(rate);
    trials.push(outcome);
    lastOffered = outcome.offeredLinesPerSec;
    if (outcome.hasFallenOver === true) fellOverAt = outcome.offeredLinesPerSec;
    return outcome.deliveredRatio >= options.minDeliveredRatio && fellOverAt === null;
  };
  const single = (rate: number, isCapped: boolean): SearchResult => ({
    losslessLinesPerSec: rate,
    spread: { min: rate, max: rate },
    isCappedByMaxRate: isCapped,
    fellOverAtLinesPerSec: fellOverAt,
    trials,
  });

  const bracket = await findBracket(options, isLossless, () => lastOffered);
  if (fellOverAt !== null) return single(bracket.losslessOffered, false);
  if (bracket.lossy === null) return single(bracket.losslessOffered, true);

  const found: number[] = [];
  for (let repeat = 0; repeat < options.repeats && fellOverAt === null; repeat++) {
    let low = bracket.lossless;
    let lowOffered = bracket.losslessOffered;
    let high = bracket.lossy;
    for (let step = 0; step < options.bisectSteps && fellOverAt === null; step++) {
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
    fellOverAtLinesPerSec: fellOverAt,
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
