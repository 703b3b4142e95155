import {
  EMPTY_MAPPING,
  SeriesKind,
  TABLES_PER_GENERATION,
  type GroupOp,
  type MappingConfig,
  type OtlpPoint,
  type ShardDelta,
  type ShardStats,
} from '../../src/protocol.js';
import type { PushedSample } from '../parse/json-push.js';
import {
  checkSampleLimits,
  DEFAULT_SAMPLE_LIMITS,
  type SampleLimits,
} from '../parse/sample-limits.js';
import { createParsedLine, parseStatsdLine, type ParsedLine } from '../parse/statsd-line.js';
import { CounterStore } from './counter.js';
import { GaugeStore } from './gauge.js';
import { HistogramStore } from './histogram.js';
import { Mapper } from './mapper.js';
import { DROPPED_ID, OVER_CAPACITY_ID, SeriesTable, kindOfId, slotOfId } from './series-table.js';
import { SetStore } from './set.js';
import { SummaryStore } from './summary.js';
import { countParseError, createShardStats } from './shard-stats.js';

export interface ShardStateOptions {
  /** Upper bounds of histogram buckets, in the unit observations end up in (seconds for ms). */
  histogramBuckets: readonly number[];
  /** More than one shard: gauge deltas must keep their stream positions (see gauge.ts). */
  keepsGaugeOrder: boolean;
  /** Called for each refused line; absent unless debug logging is on (see shard-task.ts). */
  onBadLine?: (reason: string, line: string, transport: number) => void;
  /** Bounds on names and tags; DEFAULT_SAMPLE_LIMITS when absent. */
  limits?: SampleLimits;
  /** statsd_exporter mapping rules and our aggregation rules; none when absent. */
  mapping?: MappingConfig;
  /**
   * Raw spellings the series table may remember. Past it, new spellings are refused and
   * counted as series_limit until the next delta, when the table starts afresh (the merged
   * series survive; only this shard's ids are renumbered). Bounds shard memory under a
   * flood of distinct names, whatever the rate.
   */
  maxSpellings?: number;
}

const DEFAULT_MAX_SPELLINGS = 200_000;

/** Line positions past this share one position; a record that long is never a datagram. */
const MAX_LINE_INDEX = 65535;
const LINES_PER_RECORD = 65536;

const PUSHED_KIND: Record<PushedSample['type'], SeriesKind> = {
  counter: SeriesKind.Counter,
  gauge: SeriesKind.Gauge,
  histogram: SeriesKind.Histogram,
};

/**
 * What one shard has aggregated since the last cut: the series table (kept across epochs)
 * and the per-epoch stores (emptied by `takeDelta`). Pure state, no I/O: the actor loop in
 * shard.ts feeds it records and ships its deltas.
 */
export class ShardState {
  table: SeriesTable;
  readonly #counters = new CounterStore();
  readonly #gauges: GaugeStore;
  readonly #histograms: HistogramStore;
  /** Stores for the bound lists mapping rules chose; index i serves table.bucketSets[i]. */
  #customHistograms: Array<HistogramStore | null> = [null];
  #mapper: Mapper | null;
  #pendingMapping: MappingConfig | null = null;
  readonly #maxSpellings: number;
  /** Times the table was started afresh; part of the generation the merger sees. */
  #tableResets = 0;
  readonly #sets = new SetStore();
  readonly #summaries = new SummaryStore();
  readonly #line: ParsedLine = createParsedLine();
  readonly #limits: SampleLimits;
  #stats: ShardStats = createShardStats();
  readonly #onBadLine: NonNullable<ShardStateOptions['onBadLine']> | null;
  #groupOps: GroupOp[] = [];
  #otlpPoints: OtlpPoint[] = [];

  constructor(options: ShardStateOptions) {
    this.#onBadLine = options.onBadLine ?? null;
    this.#gauges = new GaugeStore({ keepsOrder: options.keepsGaugeOrder });
    this.#histograms = new HistogramStore(options.histogramBuckets);
    this.#limits = options.limits ?? DEFAULT_SAMPLE_LIMITS;
    this.#maxSpellings = options.maxSpellings ?? DEFAULT_MAX_SPELLINGS;
    this.#mapper = createMapper(options.mapping ?? EMPTY_MAPPING);
    this.table = new SeriesTable(this.#mapper, this.#maxSpellings);
  }

  /**
   * New rules apply at once to spellings the table has not seen, and to every spelling from
   * the next delta on, when the table starts afresh (ids in this epoch's rows stay valid).
   */
  replaceMapping(mapping: MappingConfig): void {
    this.#pendingMapping = mapping;
    this.#mapper = createMapper(mapping);
    this.table.useMapper(this.#mapper);
  }

  /**
   * The generation the merger keys this shard's ids by: the pool's generation, then how
   * often the table was started afresh, so a fresh table never reuses a live id.
   */
  generationOf(poolGeneration: number): number {
    return poolGeneration * TABLES_PER_GENERATION + this.#tableResets;
  }

  /**
   * Parses and aggregates one record of StatsD text. `recordOrder` is the record's stream
   * position ((seq - epochStartSeq) * 2^16); lines add their index to it.
   */
  ingestStatsd(text: string, transport: number, recordOrder: number): void {
    let lineIndex = 0;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;

      // A lone '\r' ends a line too; "\r\n" leaves an empty line, which is skipped.
      if (line.includes('\r')) {
        for (const part of line.split('\r')) {
          this.#ingestLine(part, transport, recordOrder + Math.min(lineIndex++, MAX_LINE_INDEX));
        }
      } else {
        this.#ingestLine(line, transport, recordOrder + Math.min(lineIndex++, MAX_LINE_INDEX));
      }
    }
  }

  /**
   * Aggregates the samples of one decoded push body, in body order from `recordOrder`.
   * Counters are increments, gauges sets, histogram values observations (no unit scaling).
   */
  ingestPush(samples: readonly PushedSample[], recordOrder: number): void {
    for (let index = 0; index < samples.length; index++) {
      const sample = samples[index];
      const order = recordOrder + Math.min(index, MAX_LINE_INDEX);
      const kind = PUSHED_KIND[sample.type];
      const id = this.table.resolvePushed(kind, sample.name, sample.labels, order);
      const slot = slotOfId(id);
      // A name pushed as two kinds gets two ids here; the merger's name claims keep one.
      for (const value of sample.values) {
        if (kind === SeriesKind.Counter) this.#counters.add(slot, id, value);
        else if (kind === SeriesKind.Gauge) this.#gauges.set(id, value, order);
        else this.#histograms.observe(slot, id, value, 1);
      }
      this.#stats.samples += sample.values.length;
    }
  }

  /** Queues a Pushgateway-style group operation for the merger, in stream order. */
  addGroupOp(op: GroupOp): void {
    this.#groupOps.push(op);
    for (const family of op.families) this.#stats.samples += family.samples.length;
  }

  /** Queues OTLP points for the merger; all share the record's stream position. */
  addOtlpPoints(points: ReadonlyArray<Omit<OtlpPoint, 'order'>>, recordOrder: number): void {
    for (const point of points) this.#otlpPoints.push({ ...point, order: recordOrder });
    this.#stats.samples += points.length;
  }

  /** Everything aggregated since the last call; the stores start over empty. */
  takeDelta(shard: number, poolGeneration: number, epoch: number): ShardDelta {
    this.#stats.droppedTags = this.table.tagProblems.dropped;
    this.table.tagProblems.dropped = 0;
    const customHistograms: ShardDelta['customHistograms'] = [];
    this.#customHistograms.forEach((store, index) => {
      if (store === null) return;
      const rows = store.drain();
      const upperBounds = this.table.bucketSets[index]!;
      if (rows.length > 0) customHistograms.push({ upperBounds, stride: store.stride, rows });
    });
    const delta: ShardDelta = {
      shard,
      generation: this.generationOf(poolGeneration),
      epoch,
      definitions: this.table.takeDefinitions(),
      counters: this.#counters.drain(),
      gauges: this.#gauges.drain(),
      histograms: this.#histograms.drain(),
      histogramStride: this.#histograms.stride,
      customHistograms,
      sets: this.#sets.drain(),
      stats: this.#stats,
    };
    const summaries = this.#summaries.drain();
    if (summaries !== undefined) delta.summaries = summaries;
    if (this.#otlpPoints.length > 0) {
      delta.otlpPoints = this.#otlpPoints;
      this.#otlpPoints = [];
    }
    if (this.#groupOps.length > 0) {
      delta.groupOps = this.#groupOps;
      this.#groupOps = [];
    }
    this.#stats = createShardStats();
    this.#startTableIfDue();
    return delta;
  }

  // Between deltas nothing refers to the table's ids, so it can be replaced: on new rules
  // (every spelling must be mapped again) or when it has grown past its bound.
  #startTableIfDue(): void {
    const hasNewRules = this.#pendingMapping !== null;
    if (!hasNewRules && this.table.spellingCount < this.#maxSpellings) return;
    this.#pendingMapping = null;
    this.table = new SeriesTable(this.#mapper, this.#maxSpellings);
    this.#customHistograms = [null];
    this.#tableResets++;
  }

  #ingestLine(text: string, transport: number, order: number): void {
    if (text.length === 0) return;
    const stats = this.#stats;
    stats.lines[transport]++;
    const line = this.#line;
    const reason = parseStatsdLine(text, line) ?? checkSampleLimits(line, this.#limits);
    if (reason !== null) {
      countParseError(stats, transport, reason);
      // Off by default: one null check per refused line, nothing per good one.
      if (this.#onBadLine !== null) this.#onBadLine(reason, text, transport);
      return;
    }
    if (line.kind === 'event') {
      stats.events++;
      return;
    }
    if (line.kind === 'service_check') stats.serviceChecks++;

    const id = this.table.resolve(line, order);
    if (id < 0) {
      const samples = line.kind === 'metric' && line.type === 's' ? 1 : line.valueCount;
      if (id === DROPPED_ID) stats.mappingDropped += samples;
      else if (id === OVER_CAPACITY_ID) stats.spellingLimitDropped += samples;
      return;
    }
    this.#store(id, line, order);
  }

  #store(id: number, line: ParsedLine, order: number): void {
    const slot = slotOfId(id);
    const values = line.values;
    const count = line.valueCount;
    switch (kindOfId(id)) {
      // Sampling scales counters and histogram counts; gauges and sets ignore @rate.
      case SeriesKind.Counter:
        for (let i = 0; i < count; i++) this.#counters.add(slot, id, values[i] / line.sampleRate);
        break;
      case SeriesKind.Gauge:
        for (let i = 0; i < count; i++) {
          if (line.isDelta[i]) this.#gauges.add(id, values[i], order);
          else this.#gauges.set(id, values[i], order);
        }
        break;
      // Timers arrive in milliseconds; Prometheus histograms of time are in seconds.
      case SeriesKind.Histogram: {
        const weight = 1 / line.sampleRate;
        const divisor = line.type === 'ms' ? 1000 : 1;
        const summary = this.table.summaryOf(slot);
        if (summary !== undefined) {
          for (let i = 0; i < count; i++) {
            this.#summaries.observe(id, values[i] / divisor, weight, summary);
          }
          break;
        }
        const store = this.#histogramStoreOf(slot);
        for (let i = 0; i < count; i++) store.observe(slot, id, values[i] / divisor, weight);
        break;
      }
      case SeriesKind.Set:
        this.#sets.add(id, line.setMember);
        this.#stats.samples++;
        return;
    }
    this.#stats.samples += count;
  }

  #histogramStoreOf(slot: number): HistogramStore {
    const index = this.table.bucketSetOf(slot);
    if (index === 0) return this.#histograms;
    let store = this.#customHistograms[index];
    if (store == null) {
      store = new HistogramStore(this.table.bucketSets[index]!);
      this.#customHistograms[index] = store;
    }
    return store;
  }
}

function createMapper(mapping: MappingConfig): Mapper | null {
  const isEmpty = mapping.rules.length === 0 && mapping.aggregations.length === 0;
  return isEmpty ? null : new Mapper(mapping);
}

export { LINES_PER_RECORD };
