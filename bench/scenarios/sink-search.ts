/** One lossless-rate search against one sink: the search arithmetic driving UDP trials. */
import { runUdpTrial, type SinkUnderTest, type TrialPoint } from '../load/udp-trial.js';
import type { WorkloadShape } from '../load/workload.js';
import { searchLosslessRate, type SearchResult } from '../lossless-search.js';
import type { BenchContext } from './scenario.js';
import { searchOptions, trialDurationMs } from './trial-settings.js';

export interface SinkSearch {
  label: string;
  sink: SinkUnderTest;
  shape: WorkloadShape;
  startRate: number;
  /** Every trial is appended here as it ends. */
  trials?: TrialPoint[];
  /** A reference (ceiling, peer), searched once rather than repeated for a spread. */
  isReference?: boolean;
  /**
   * A trial that does not settle ends the search as fallen over, and is not waited out:
   * for peers, where each further trial would only wait out the same bound again.
   */
  isUnsettledFallingOver?: boolean;
}

export function searchSink(search: SinkSearch, context: BenchContext): Promise<SearchResult> {
  const options = searchOptions(context.isQuick, search.startRate, search.isReference);
  const isUnsettledFallingOver = search.isUnsettledFallingOver ?? false;
  const settings = {
    shape: search.shape,
    durationMs: trialDurationMs(context.isQuick),
    senders: context.senders,
    isWaitingOutUnsettled: !isUnsettledFallingOver,
  };
  return searchLosslessRate(options, async (rate) => {
    context.progress(`${search.label} at ${formatRate(rate)} lines/s`);
    const point = await runUdpTrial(search.sink, settings, rate);
    search.trials?.push(point);
    return {
      offeredLinesPerSec: point.offeredLinesPerSec,
      deliveredRatio: 1 - point.lossPercent / 100,
      hasFallenOver: isUnsettledFallingOver && !point.isSettled,
    };
  });
}

export function formatRate(linesPerSec: number): string {
  if (linesPerSec >= 1e6) return `${(linesPerSec / 1e6).toFixed(2)} M`;
  return `${Math.round(linesPerSec / 1000)} k`;
}
