import { describe, expect, it } from 'vitest';
import { replayGauge, type GaugeContribution } from '../../../../workers/merge/gauge-replay.js';

const RECORD = 65536;

function deltasOnly(...pairs: number[]): GaugeContribution {
  return { hasSet: false, setOrder: 0, setValue: 0, log: Float64Array.from(pairs) };
}

function setThen(setOrder: number, setValue: number, ...pairs: number[]): GaugeContribution {
  return { hasSet: true, setOrder, setValue, log: Float64Array.from(pairs) };
}

describe('replayGauge', () => {
  it.each([
    {
      name: 'no contribution keeps the previous value',
      previous: 7,
      contributions: [],
      value: 7,
    },
    {
      name: 'deltas only, on two shards, add to the previous value',
      previous: 10,
      contributions: [deltasOnly(1 * RECORD, 2, 4 * RECORD, -1), deltasOnly(2 * RECORD, 0.5)],
      value: 11.5,
    },
    {
      name: 'one set replaces the previous value',
      previous: 10,
      contributions: [setThen(3 * RECORD, 4)],
      value: 4,
    },
    {
      name: 'one set plus the deltas its own shard logged after it',
      previous: 10,
      contributions: [setThen(3 * RECORD, 4, 5 * RECORD, 1, 6 * RECORD, 2)],
      value: 7,
    },
    {
      name: "a set on one shard keeps only the other shard's deltas positioned after it",
      previous: 10,
      contributions: [
        setThen(3 * RECORD, 100),
        deltasOnly(1 * RECORD, 1000, 2 * RECORD, 1000, 4 * RECORD, 5, 9 * RECORD, 6),
      ],
      value: 111,
    },
    {
      name: 'sets on two shards: the later set wins, with deltas after it from both',
      previous: 10,
      contributions: [
        setThen(2 * RECORD, 50, 3 * RECORD, 1, 8 * RECORD, 2),
        setThen(5 * RECORD, 20, 6 * RECORD, 3),
      ],
      value: 25,
    },
    {
      name: 'sets on two shards, listed the other way round',
      previous: 10,
      contributions: [
        setThen(5 * RECORD, 20, 6 * RECORD, 3),
        setThen(2 * RECORD, 50, 3 * RECORD, 1, 8 * RECORD, 2),
      ],
      value: 25,
    },
    {
      name: 'deltas in the same record as the set, after it, count',
      previous: 10,
      contributions: [setThen(4 * RECORD + 1, 30, 4 * RECORD + 2, 2), deltasOnly(3 * RECORD, 9)],
      value: 32,
    },
    {
      name: 'a zero set is a set',
      previous: 10,
      contributions: [setThen(1 * RECORD, 0), deltasOnly(0, 5)],
      value: 0,
    },
  ])('$name', ({ previous, contributions, value }) => {
    expect(replayGauge(previous, contributions)).toBe(value);
  });
});
