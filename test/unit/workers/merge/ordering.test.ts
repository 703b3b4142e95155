import { describe, expect, it } from 'vitest';
import type { HistogramSeries, ScalarSeries } from '../../../../workers/merge/families.js';
import { foldEpoch } from '../../../../workers/merge/fold.js';
import type { SeriesStore } from '../../../../workers/merge/series-store.js';
import { LINES_PER_RECORD, ShardState } from '../../../../workers/shard/shard-state.js';
import { createMergedStore } from '../../../helpers/merge.js';

/**
 * One StatsD stream processed by 1, 3 and 4 shards the way the daemon splits it (records
 * dealt round-robin, epochs cut at fixed seqs, deltas folded per epoch) must give the
 * merged values that processing it in order gives. Values are chosen so that every sum is
 * exact in binary floating point: a difference here is an ordering bug, not rounding.
 */

const BUCKETS = [0.25, 1, 5];
const RECORD_COUNT = 400;
// Records per epoch, repeated; the 0 and 1 make epochs in which most shards see nothing.
const EPOCH_LENGTHS = [30, 17, 1, 0, 25, 40, 3, 31];

interface Sample {
  type: 'c' | 'g' | 'h' | 'ms' | 's';
  name: string;
  /** One DogStatsD tag `key:value`, or ''. */
  tag: string;
  /** As written on the wire: milliseconds for `ms`. */
  value: number;
  /** Gauges: written with a sign, so it moves the gauge instead of setting it. */
  isDelta: boolean;
  rate: number;
  member: string;
}

/** Merged values by `owner|labels`; histograms add `|sum`, `|count` and `|le=...` keys. */
type Snapshot = Record<string, number>;

function textOf(sample: Sample): string {
  const { type, name, tag, value, isDelta, rate, member } = sample;
  const shown = type === 's' ? member : isDelta && value >= 0 ? `+${value}` : `${value}`;
  const rateField = rate === 1 ? '' : `|@${rate}`;
  const tagField = tag === '' ? '' : `|#${tag}`;
  return `${name}:${shown}|${type}${rateField}${tagField}`;
}

/** mulberry32: a small deterministic generator, so the stream is the same on every run. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSample(random: () => number, mayBeMix: boolean): Sample {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const tag = pick(['', 'env:prod', 'env:dev']);
  const base = { tag, value: 0, isDelta: false, rate: 1, member: '' };
  const roll = random();
  if (roll < 0.25) {
    const rate = pick([1, 0.5, 0.25]);
    return { ...base, type: 'c', name: pick(['c_a', 'c_b']), value: pick([0, 1, 2, 7]), rate };
  }
  if (roll < 0.55) {
    const isDelta = random() < 0.6;
    const value = isDelta ? pick([-5, -2, -0.5, 0.5, 1, 3]) : pick([0, 4, 10, 17]);
    return { ...base, type: 'g', name: pick(['g_a', 'g_b']), value, isDelta };
  }
  if (roll < 0.65) {
    return { ...base, type: 'h', name: 'h_a', value: pick([0.25, 0.5, 1, 2, 7.5]), rate: 0.5 };
  }
  if (roll < 0.75) {
    // Milliseconds whose value in seconds is exact.
    return { ...base, type: 'ms', name: 'h_b', value: pick([125, 250, 1000, 2500, 12_000]) };
  }
  if (roll < 0.9 || !mayBeMix) {
    return { ...base, type: 's', name: 's_a', member: pick(['u1', 'u2', 'u3', 'u4']) };
  }
  // `mix` comes as a counter and as a gauge: the first in the stream claims the name.
  return random() < 0.5
    ? { ...base, tag: '', type: 'c', name: 'mix', value: 1 }
    : { ...base, tag: '', type: 'g', name: 'mix', value: 4 };
}

/**
 * Records of one to four lines; some pile sets and deltas of one gauge into one record.
 * `mix` first comes as a counter in record 7, then as a gauge in record 9: with 3 and 4
 * shards the gauge lands on a shard whose delta is listed before the counter's.
 */
function generateStream(): Sample[][] {
  const random = createRandom(20_240_601);
  const records: Sample[][] = [];
  for (let seq = 0; seq < RECORD_COUNT; seq++) {
    const gauge = { type: 'g', name: 'g_a', tag: 'env:prod', rate: 1, member: '' } as const;
    if (seq === 7) {
      records.push([{ ...gauge, tag: '', type: 'c', name: 'mix', value: 1, isDelta: false }]);
    } else if (seq === 9) {
      records.push([{ ...gauge, tag: '', name: 'mix', value: 4, isDelta: false }]);
    } else if (seq % 11 === 5) {
      records.push([
        { ...gauge, value: 2, isDelta: true },
        { ...gauge, value: 30, isDelta: false },
        { ...gauge, value: -1, isDelta: true },
        { ...gauge, value: 0.5, isDelta: true },
      ]);
    } else {
      const lines = 1 + Math.floor(random() * 4);
      records.push(Array.from({ length: lines }, () => randomSample(random, seq > 9)));
    }
  }
  return records;
}

/** [first seq, end seq) of every epoch, cut at fixed seqs. */
function epochRanges(): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let start = 0, i = 0; start < RECORD_COUNT; i++) {
    const end = Math.min(RECORD_COUNT, start + EPOCH_LENGTHS[i % EPOCH_LENGTHS.length]);
    ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

/**
 * The daemon's path with `shardCount` shards. Returns the merged snapshot after every
 * epoch and the type_conflict samples counted.
 */
function runSharded(records: Sample[][], shardCount: number) {
  const shards = Array.from(
    { length: shardCount },
    () => new ShardState({ histogramBuckets: BUCKETS, keepsGaugeOrder: shardCount > 1 }),
  );
  const { store } = createMergedStore(BUCKETS);
  const snapshots: Snapshot[] = [];
  let typeConflictSamples = 0;

  epochRanges().forEach(([start, end], epoch) => {
    for (let seq = start; seq < end; seq++) {
      const text = records[seq].map(textOf).join('\n');
      shards[seq % shardCount].ingestStatsd(text, 0, (seq - start) * LINES_PER_RECORD);
    }
    const deltas = shards.map((shard, index) => shard.takeDelta(index, 0, epoch));
    typeConflictSamples += foldEpoch(store, deltas).typeConflictSamples;
    snapshots.push(snapshotOf(store));
  });
  return { snapshots, typeConflictSamples };
}

function snapshotOf(store: SeriesStore): Snapshot {
  const snapshot: Snapshot = {};
  for (const [owner, family] of store.families) {
    for (const [labelsKey, series] of family.series) {
      const key = `${owner}|${labelsKey}`;
      if (!('buckets' in series)) {
        snapshot[key] = (series as ScalarSeries).value;
        continue;
      }
      const histogram = series as HistogramSeries;
      snapshot[`${key}|sum`] = histogram.sum;
      snapshot[`${key}|count`] = histogram.count;
      histogram.buckets.forEach((count, b) => {
        snapshot[`${key}|le=${BUCKETS[b] ?? '+Inf'}`] = count;
      });
    }
  }
  return snapshot;
}

const KIND_OF_TYPE = {
  c: 'counter',
  g: 'gauge',
  h: 'histogram',
  ms: 'histogram',
  s: 'set',
} as const;

/** In-order processing, written from the StatsD rules, not from the daemon's code. */
function runReference(records: Sample[][]) {
  const ownerOfName = new Map<string, string>();
  const values: Snapshot = {};
  let setMembers = new Map<string, Set<string>>();
  const snapshots: Snapshot[] = [];
  let typeConflictSamples = 0;

  const apply = (sample: Sample): void => {
    const kind = KIND_OF_TYPE[sample.type];
    const owner = `${kind}:${sample.name}`;
    if (!ownerOfName.has(sample.name)) ownerOfName.set(sample.name, owner);
    if (ownerOfName.get(sample.name) !== owner) {
      typeConflictSamples++;
      return;
    }
    const key = `${owner}|${sample.tag.replace(':', '\u0000')}`;
    if (kind === 'counter') values[key] = (values[key] ?? 0) + sample.value / sample.rate;
    if (kind === 'gauge') {
      values[key] = sample.isDelta ? (values[key] ?? 0) + sample.value : sample.value;
    }
    if (kind === 'set') {
      values[key] ??= 0;
      setMembers.set(key, (setMembers.get(key) ?? new Set()).add(sample.member));
    }
    if (kind === 'histogram') {
      const seconds = sample.type === 'ms' ? sample.value / 1000 : sample.value;
      const weight = 1 / sample.rate;
      // `le` is inclusive; past the last bound is +Inf.
      const found = BUCKETS.findIndex((bound) => seconds <= bound);
      const bucket = found < 0 ? BUCKETS.length : found;
      values[`${key}|sum`] = (values[`${key}|sum`] ?? 0) + seconds * weight;
      values[`${key}|count`] = (values[`${key}|count`] ?? 0) + weight;
      for (let b = 0; b <= BUCKETS.length; b++) {
        const le = `${key}|le=${BUCKETS[b] ?? '+Inf'}`;
        values[le] = (values[le] ?? 0) + (b === bucket ? weight : 0);
      }
    }
  };

  for (const [start, end] of epochRanges()) {
    for (let seq = start; seq < end; seq++) records[seq].forEach(apply);
    // A set shows the distinct members of the epoch that just closed.
    for (const key of Object.keys(values)) {
      if (key.startsWith('set:')) values[key] = setMembers.get(key)?.size ?? 0;
    }
    setMembers = new Map();
    snapshots.push({ ...values });
  }
  return { snapshots, typeConflictSamples };
}

describe('ordering across shards', () => {
  const records = generateStream();
  const reference = runReference(records);

  it('feeds the comparison a stream that exercises every kind, conflicts and empty epochs', () => {
    const final = reference.snapshots.at(-1)!;
    expect(reference.snapshots.length).toBeGreaterThan(15);
    expect(final['counter:mix|']).toBeGreaterThan(0);
    expect(final['gauge:mix|']).toBeUndefined();
    expect(reference.typeConflictSamples).toBeGreaterThan(1);
    expect(Object.keys(final).filter((key) => key.startsWith('histogram:')).length).toBe(36);
    expect(Object.keys(final).filter((key) => key.startsWith('gauge:g_')).length).toBe(6);
    expect(reference.snapshots.some((snapshot) => snapshot['set:s_a|'] === 0)).toBe(true);
  });

  it.each([1, 3, 4])(
    'gives with %i shard(s) exactly what in-order processing gives',
    (shardCount) => {
      const sharded = runSharded(records, shardCount);

      sharded.snapshots.forEach((snapshot, epoch) => {
        expect({ epoch, ...snapshot }).toEqual({ epoch, ...reference.snapshots[epoch] });
      });
      expect(sharded.typeConflictSamples).toBe(reference.typeConflictSamples);
    },
  );

  it('gives the same final values with 1, 3 and 4 shards', () => {
    const [one, three, four] = [1, 3, 4].map((count) =>
      runSharded(records, count).snapshots.at(-1),
    );
    expect(three).toEqual(one);
    expect(four).toEqual(one);
  });
});
