import { describe, expect, it } from 'vitest';
import { median, searchLosslessRate, type SearchOptions } from '../../../bench/lossless-search.js';

const OPTIONS: SearchOptions = {
  startRate: 100,
  maxRate: 10_000,
  growthFactor: 2,
  bisectSteps: 3,
  repeats: 1,
  minDeliveredRatio: 0.999,
};

/** A sink that loses nothing up to `limit` lines/s and half of everything above it. */
function sinkWithLimit(limit: number, offeredShare = 1) {
  const asked: number[] = [];
  const runTrial = async (rate: number) => {
    asked.push(rate);
    return { offeredLinesPerSec: rate * offeredShare, deliveredRatio: rate <= limit ? 1 : 0.5 };
  };
  return { asked, runTrial };
}

describe('searchLosslessRate', () => {
  it('doubles until a trial loses lines, then bisects the bracket', async () => {
    const sink = sinkWithLimit(500);

    const result = await searchLosslessRate(OPTIONS, sink.runTrial);

    expect(sink.asked).toEqual([100, 200, 400, 800, 600, 500, 550]);
    expect(result.losslessLinesPerSec).toBe(500);
    expect(result.spread).toEqual({ min: 500, max: 500 });
    expect(result.isCappedByMaxRate).toBe(false);
    expect(result.trials).toHaveLength(7);
  });

  it('reports the rate the senders offered, not the rate asked for', async () => {
    const sink = sinkWithLimit(500, 0.9);

    const result = await searchLosslessRate(OPTIONS, sink.runTrial);

    expect(result.losslessLinesPerSec).toBe(450);
  });

  it('reports maxRate as a capped floor when no trial loses lines', async () => {
    const sink = sinkWithLimit(Infinity);

    const result = await searchLosslessRate({ ...OPTIONS, maxRate: 1000 }, sink.runTrial);

    expect(sink.asked).toEqual([100, 200, 400, 800, 1000]);
    expect(result).toMatchObject({ losslessLinesPerSec: 1000, isCappedByMaxRate: true });
  });

  it('stops at the first trial in which the sink falls over, keeping the last lossless rate', async () => {
    const asked: number[] = [];
    const runTrial = async (rate: number) => {
      asked.push(rate);
      return { offeredLinesPerSec: rate, deliveredRatio: 1, hasFallenOver: rate >= 400 };
    };

    const result = await searchLosslessRate({ ...OPTIONS, repeats: 3 }, runTrial);

    expect(asked).toEqual([100, 200, 400]);
    expect(result).toMatchObject({
      losslessLinesPerSec: 200,
      fellOverAtLinesPerSec: 400,
      isCappedByMaxRate: false,
    });
  });

  it('stops bisecting when the sink falls over inside the bracket', async () => {
    const asked: number[] = [];
    const runTrial = async (rate: number) => {
      asked.push(rate);
      return {
        offeredLinesPerSec: rate,
        deliveredRatio: rate <= 500 ? 1 : 0.5,
        hasFallenOver: rate === 600,
      };
    };

    const result = await searchLosslessRate({ ...OPTIONS, repeats: 3 }, runTrial);

    expect(asked).toEqual([100, 200, 400, 800, 600]);
    expect(result).toMatchObject({ losslessLinesPerSec: 400, fellOverAtLinesPerSec: 600 });
  });

  it('bisects below the start rate when the start rate already loses lines', async () => {
    const sink = sinkWithLimit(50);

    const result = await searchLosslessRate({ ...OPTIONS, bisectSteps: 2 }, sink.runTrial);

    expect(sink.asked).toEqual([100, 50, 75]);
    expect(result.losslessLinesPerSec).toBe(50);
  });

  it('reports 0 when every trial loses lines', async () => {
    const sink = sinkWithLimit(0);

    const result = await searchLosslessRate({ ...OPTIONS, bisectSteps: 2 }, sink.runTrial);

    expect(sink.asked).toEqual([100, 50, 25]);
    expect(result.losslessLinesPerSec).toBe(0);
  });

  it('takes the median of repeated bisections and their min and max as the spread', async () => {
    // The sink's limit moves between repeats, as a noisy machine's does.
    const limits = [500, 700, 500, 550, 500, 650, 650, 650];
    let trial = 0;
    const runTrial = async (rate: number) => {
      const limit = limits[Math.min(trial++, limits.length - 1)];
      return { offeredLinesPerSec: rate, deliveredRatio: rate <= Math.max(limit, 400) ? 1 : 0.5 };
    };

    const result = await searchLosslessRate({ ...OPTIONS, bisectSteps: 1, repeats: 3 }, runTrial);

    // Growth 100, 200, 400, 800 (lossy); then three one-step bisections at 600.
    expect(result.trials.map((t) => t.offeredLinesPerSec)).toEqual([
      100, 200, 400, 800, 600, 600, 600,
    ]);
    expect(result.spread).toEqual({ min: 400, max: 600 });
    expect(result.losslessLinesPerSec).toBe(600);
  });
});

describe('median', () => {
  it.each([
    { name: 'odd count', values: [3, 1, 2], expected: 2 },
    { name: 'even count', values: [4, 1, 3, 2], expected: 2.5 },
    { name: 'no values', values: [], expected: 0 },
  ])('takes the middle of $name', ({ values, expected }) => {
    expect(median(values)).toBe(expected);
  });
});
