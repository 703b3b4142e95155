import {
  COUNTER_ROW,
  GAUGE_RECORD_HEAD,
  HISTOGRAM_ROW_HEAD,
  type SeriesDefinition,
  type ShardDelta,
} from '../../src/protocol.js';
import type { GaugeFamily, HistogramSeries, ScalarSeries } from './families.js';
import { replayGauge, type GaugeContribution } from './gauge-replay.js';
import { combineSources, isGaugeSource, type CombinedGauge } from './gauge-sources.js';
import type { SeriesLimitKind } from './limit-drops.js';
import { OVER_LIMIT, REFUSED, type SeriesRef, type SeriesStore } from './series-store.js';
import type { SummarySeries } from './summary-family.js';

export interface FoldOutcome {
  /** Samples whose series lost a type conflict. */
  typeConflictSamples: number;
  /** Samples whose series --max-series or a metric's limit kept from being created. */
  seriesLimitSamples: number;
  /** Samples whose summary series --max-summary-series kept from being created. */
  summaryLimitSamples: number;
}

/** The outcome while folding: refused samples are charged to their metric as they come. */
interface FoldState extends FoldOutcome {
  countLimitDrop(samples: number): SeriesLimitKind;
}

/**
 * Folds one epoch's deltas, from every shard, into the merged series. Counters and
 * histograms add; gauges replay in stream order (gauge-replay.ts), a combined gauge's
 * sources each on their own before the rule joins them (gauge-sources.ts); a set series
 * shows the distinct members of this epoch over all shards, and 0 when it saw none. Summary
 * observations join their series' sliding window (summary-window.ts); _sum and _count add.
 */
export function foldEpoch(
  store: SeriesStore,
  deltas: readonly ShardDelta[],
  options: { isLate: boolean } = { isLate: false },
): FoldOutcome {
  const outcome: FoldState = {
    typeConflictSamples: 0,
    seriesLimitSamples: 0,
    summaryLimitSamples: 0,
    countLimitDrop: (samples) => store.countLimitDrop(samples),
  };
  defineInStreamOrder(store, deltas);

  const gauges = new Map<GaugeTarget, GaugeContribution[]>();
  const setMembers = new Map<ScalarSeries, Set<string>>();
  for (const delta of deltas) {
    const resolve = (id: number): SeriesRef | undefined =>
      store.lookup(delta.shard, delta.generation, id);
    foldCounters(delta.counters, resolve, outcome);
    foldHistograms(delta.histograms, delta.histogramStride, resolve, outcome);
    for (const block of delta.customHistograms ?? []) {
      foldHistograms(block.rows, block.stride, resolve, outcome);
    }
    foldSummaries(delta.summaries, resolve, store.foldNowMs, outcome);
    collectGauges(delta.gauges, resolve, gauges, outcome);
    collectSets(delta.sets, resolve, setMembers, outcome);
  }

  // A source replays like any gauge; its combined series is computed once all are done.
  const combined = new Set<CombinedGauge>();
  for (const [target, contributions] of gauges) {
    target.value = replayGauge(target.value, contributions);
    if (isGaugeSource(target)) combined.add(target.owner);
  }
  for (const series of combined) combineSources(series);
  for (const family of store.summaryFamilies) family.refresh(store.foldNowMs);
  // A late delta holds one shard's part of an epoch already shown: its set members cannot
  // be united with the others' any more, and zeroing every other set would be wrong.
  if (!options.isLate) applySets(store, setMembers);
  return {
    typeConflictSamples: outcome.typeConflictSamples,
    seriesLimitSamples: outcome.seriesLimitSamples,
    summaryLimitSamples: outcome.summaryLimitSamples,
  };
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
/** What a gauge record replays into: a merged series, or a combined gauge's source. */
type GaugeTarget = { value: number };

/** Counts the samples of a row no series takes. True when the row must be skipped. */
function isRefused(series: SeriesRef | undefined, samples: number, outcome: FoldState): boolean {
  if (series === undefined) return true;
  if (series === REFUSED) outcome.typeConflictSamples += samples;
  else if (series === OVER_LIMIT) {
    if (outcome.countLimitDrop(samples) === 'max_summary_series') {
      outcome.summaryLimitSamples += samples;
    } else outcome.seriesLimitSamples += samples;
  } else return false;
  return true;
}

function foldCounters(rows: Float64Array, resolve: Resolve, outcome: FoldState): void {
  for (let at = 0; at < rows.length; at += COUNTER_ROW) {
    const series = resolve(rows[at]);
    if (!isRefused(series, rows[at + 1], outcome)) (series as ScalarSeries).value += rows[at + 2];
  }
}

function foldHistograms(
  rows: Float64Array,
  stride: number,
  resolve: Resolve,
  outcome: FoldState,
): void {
  for (let at = 0; at < rows.length; at += stride) {
    const ref = resolve(rows[at]);
    if (isRefused(ref, rows[at + 1], outcome)) continue;
    const series = ref as HistogramSeries;
    // Two rules gave one name different bounds: the family keeps the first rule's.
    if (series.buckets.length !== stride - HISTOGRAM_ROW_HEAD) {
      outcome.typeConflictSamples += rows[at + 1];
      continue;
    }
    series.sum += rows[at + 2];
    series.count += rows[at + 3];
    const buckets = series.buckets;
    for (let b = 0; b < buckets.length; b++) buckets[b] += rows[at + HISTOGRAM_ROW_HEAD + b];
  }
}

function foldSummaries(
  rows: ShardDelta['summaries'],
  resolve: Resolve,
  nowMs: number,
  outcome: FoldState,
): void {
  for (const [id, samples, sum, count, encoded] of rows ?? []) {
    const ref = resolve(id);
    if (isRefused(ref, samples, outcome)) continue;
    const series = ref as SummarySeries;
    series.sum += sum;
    series.count += count;
    series.window.add(encoded, nowMs);
  }
}

function collectGauges(
  records: Float64Array,
  resolve: Resolve,
  into: Map<GaugeTarget, GaugeContribution[]>,
  outcome: FoldState,
): void {
  let at = 0;
  while (at < records.length) {
    const logLength = records[at + 5] * 2;
    const end = at + GAUGE_RECORD_HEAD + logLength;
    const ref = resolve(records[at]);
    if (!isRefused(ref, records[at + 1], outcome)) {
      const target = ref as GaugeTarget;
      let contributions = into.get(target);
      if (contributions === undefined) into.set(target, (contributions = []));
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
  outcome: FoldState,
): void {
  for (const [id, samples, members] of sets) {
    const ref = resolve(id);
    if (isRefused(ref, samples, outcome)) continue;
    const series = ref as ScalarSeries;
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
