import {
  COUNTER_ROW,
  GAUGE_RECORD_HEAD,
  HISTOGRAM_ROW_HEAD,
  type SeriesDefinition,
  type ShardDelta,
} from '../../src/protocol.js';
import type { GaugeFamily, HistogramSeries, ScalarSeries } from './families.js';
import { replayGauge, type GaugeContribution } from './gauge-replay.js';
import { REFUSED, type SeriesRef, type SeriesStore } from './series-store.js';

export interface FoldOutcome {
  /** Samples whose series lost a type conflict. */
  typeConflictSamples: number;
}

/**
 * Folds one epoch's deltas, from every shard, into the merged series. Counters and
 * histograms add; gauges replay in stream order (gauge-replay.ts); a set series shows the
 * distinct members of this epoch over all shards, and 0 when it saw none.
 */
export function foldEpoch(
  store: SeriesStore,
  deltas: readonly ShardDelta[],
  options: { isLate: boolean } = { isLate: false },
): FoldOutcome {
  const outcome: FoldOutcome = { typeConflictSamples: 0 };
  defineInStreamOrder(store, deltas);

  const gauges = new Map<ScalarSeries, GaugeContribution[]>();
  const setMembers = new Map<ScalarSeries, Set<string>>();
  for (const delta of deltas) {
    const resolve = (id: number): SeriesRef | undefined =>
      store.lookup(delta.shard, delta.generation, id);
    foldCounters(delta.counters, resolve, outcome);
    foldHistograms(delta, resolve, outcome);
    collectGauges(delta.gauges, resolve, gauges, outcome);
    collectSets(delta.sets, resolve, setMembers, outcome);
  }

  for (const [series, contributions] of gauges) {
    series.value = replayGauge(series.value, contributions);
  }
  // A late delta holds one shard's part of an epoch already shown: its set members cannot
  // be united with the others' any more, and zeroing every other set would be wrong.
  if (!options.isLate) applySets(store, setMembers);
  return outcome;
}

/** The first sample in the stream claims a name's type, whichever shard it landed on. */
function defineInStreamOrder(store: SeriesStore, deltas: readonly ShardDelta[]): void {
  const definitions: Array<[ShardDelta, SeriesDefinition]> = [];
  for (const delta of deltas) {
    for (const definition of delta.definitions) definitions.push([delta, definition]);
  }
  definitions.sort((a, b) => a[1].firstOrder - b[1].firstOrder);
  for (const [delta, definition] of definitions) {
    store.define(delta.shard, delta.generation, definition);
  }
}

type Resolve = (id: number) => SeriesRef | undefined;

function foldCounters(rows: Float64Array, resolve: Resolve, outcome: FoldOutcome): void {
  for (let at = 0; at < rows.length; at += COUNTER_ROW) {
    const series = resolve(rows[at]) as ScalarSeries | typeof REFUSED | undefined;
    if (series === undefined) continue;
    if (series === REFUSED) outcome.typeConflictSamples += rows[at + 1];
    else series.value += rows[at + 2];
  }
}

function foldHistograms(delta: ShardDelta, resolve: Resolve, outcome: FoldOutcome): void {
  const rows = delta.histograms;
  const stride = delta.histogramStride;
  for (let at = 0; at < rows.length; at += stride) {
    const series = resolve(rows[at]) as HistogramSeries | typeof REFUSED | undefined;
    if (series === undefined) continue;
    if (series === REFUSED) {
      outcome.typeConflictSamples += rows[at + 1];
      continue;
    }
    series.sum += rows[at + 2];
    series.count += rows[at + 3];
    const buckets = series.buckets;
    for (let b = 0; b < buckets.length; b++) buckets[b] += rows[at + HISTOGRAM_ROW_HEAD + b];
  }
}

function collectGauges(
  records: Float64Array,
  resolve: Resolve,
  into: Map<ScalarSeries, GaugeContribution[]>,
  outcome: FoldOutcome,
): void {
  let at = 0;
  while (at < records.length) {
    const logLength = records[at + 5] * 2;
    const end = at + GAUGE_RECORD_HEAD + logLength;
    const series = resolve(records[at]) as ScalarSeries | typeof REFUSED | undefined;
    if (series === REFUSED) outcome.typeConflictSamples += records[at + 1];
    else if (series !== undefined) {
      let contributions = into.get(series);
      if (contributions === undefined) into.set(series, (contributions = []));
      contributions.push({
        hasSet: records[at + 2] === 1,
        setOrder: records[at + 3],
        setValue: records[at + 4],
        log: records.subarray(at + GAUGE_RECORD_HEAD, end),
      });
    }
    at = end;
  }
}

function collectSets(
  sets: ShardDelta['sets'],
  resolve: Resolve,
  into: Map<ScalarSeries, Set<string>>,
  outcome: FoldOutcome,
): void {
  for (const [id, samples, members] of sets) {
    const series = resolve(id) as ScalarSeries | typeof REFUSED | undefined;
    if (series === undefined) continue;
    if (series === REFUSED) {
      outcome.typeConflictSamples += samples;
      continue;
    }
    let union = into.get(series);
    if (union === undefined) into.set(series, (union = new Set()));
    for (const member of members) union.add(member);
  }
}

function applySets(store: SeriesStore, members: Map<ScalarSeries, Set<string>>): void {
  for (const family of store.setFamilies as Set<GaugeFamily>) {
    for (const series of family.series.values()) series.value = members.get(series)?.size ?? 0;
  }
}
