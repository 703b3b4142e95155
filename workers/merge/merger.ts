import { performance } from 'node:perf_hooks';
import type { MessagePort } from 'node:worker_threads';
import { Packr } from 'msgpackr';
import client from 'prom-client';
import type {
  DeltaMessage,
  Exposition,
  ExpositionFormat,
  MappingConfig,
  MergerFault,
  MergerInbound,
  MergerNotice,
  ShardAttach,
  ShardDelta,
} from '../../src/protocol.js';
import { MergeProgress } from '../../src/ring/merge-progress.js';
import { SELF_METRICS } from '../../src/self-metrics.js';
import { EpochGate, type ClosedEpoch } from './epoch-gate.js';
import { DataFamilies } from './data-families.js';
import { ExpositionRenderer } from './exposition.js';
import { foldEpoch } from './fold.js';
import { NameClaims, namesOfSelfMetric } from './name-claims.js';
import { SelfMetrics } from './self-metrics.js';
import { OtlpSeries } from './otlp-series.js';
import { PushGroups } from './push-groups.js';
import { SeriesStore } from './series-store.js';
import { loadStateFile, saveStateFile, type Notify } from './state-persistence.js';

export interface MergerOptions {
  mainPort: MessagePort;
  version: string;
  httpEngine: string;
  histogramBuckets: readonly number[];
  /** Ticks to wait for a slow shard before an epoch is folded without its delta. */
  maxWaitEpochs: number;
  /** --state-file: loaded once here, written every STATE_WRITE_INTERVAL_MS and at stop. */
  stateFile?: string | null;
  /** --max-series: series over all metrics; absent means unbounded. */
  maxSeries?: number;
  /** --max-summary-series: summary series; absent means unbounded. */
  maxSummarySeries?: number;
  mapping?: MappingConfig;
  /** Wall clock for TTLs; injected by tests. */
  now?: () => number;
  /** The first epoch to fold: 0, or the main thread's epoch when this merger replaces one. */
  firstEpoch?: number;
  /** The merge-progress block (src/ring/merge-progress.ts); absent in tests of this class. */
  progress?: SharedArrayBuffer;
}

// What a crash (not a clean stop) can cost with --state-file: up to this much of counting.
const STATE_WRITE_INTERVAL_MS = 10_000;

const packr = new Packr({ moreTypes: true, useRecords: false });

/**
 * The merger actor. Shards send one delta per epoch; the main thread sends one tick per
 * epoch. Each complete epoch is folded into the merged series, in order, then the
 * exposition is rendered once, compressed once and handed to the main thread, which
 * serves those bytes to every scrape until the next rendering.
 */
export class Merger {
  readonly #options: MergerOptions;
  readonly #gate: EpochGate;
  readonly #store: SeriesStore;
  readonly #groups: PushGroups;
  readonly #otlp: OtlpSeries;
  readonly #self: SelfMetrics;
  /** Self-metrics only; data families render through #data (data-families.ts). */
  readonly #registries: Record<ExpositionFormat, client.Registry>;
  readonly #data = new DataFamilies();
  readonly #renderer = new ExpositionRenderer(this.#data);
  readonly #now: () => number;
  /** How --state-file outcomes reach the main thread's log. */
  readonly #notify: Notify = (level, msg, fields) => this.#notice(level, msg, fields);
  readonly #progress: MergeProgress | null;
  #hasTtl: boolean;
  // Debug fault injection only: each fold that has deltas blocks this thread this long.
  #foldDelayMs = 0;
  #wantsOpenMetrics = false;
  #foldedEpoch = -1;
  #renderedEpoch = -1;
  #isRenderQueued = false;
  #finalEpoch = Infinity;
  #stateWrittenAt = performance.now();
  #resolveStopped: () => void = () => {};
  readonly stopped: Promise<void>;

  constructor(options: MergerOptions) {
    this.#options = options;
    const progress = options.progress === undefined ? null : new MergeProgress(options.progress);
    this.#progress = progress;
    this.#gate = new EpochGate({
      maxWaitEpochs: options.maxWaitEpochs,
      firstEpoch: options.firstEpoch ?? 0,
      isSkipped: (shard, epoch) => progress?.isSkipped(shard, epoch) ?? false,
    });
    this.#foldedEpoch = (options.firstEpoch ?? 0) - 1;
    this.#registries = { text: new client.Registry(), openmetrics: createOpenMetricsRegistry() };
    this.#self = new SelfMetrics(this.#registries.text, this.#registries.openmetrics);
    this.#self.setBuildInfo(options.version, options.httpEngine);
    if (options.maxSeries !== undefined) this.#self.gauge('seriesLimit').set(options.maxSeries);

    const claims = new NameClaims();
    for (const spec of Object.values(SELF_METRICS)) {
      claims.claim('self', namesOfSelfMetric(spec.name, spec.type));
    }
    const registrar = this.#data;
    this.#now = options.now ?? Date.now;
    this.#hasTtl = hasTtl(options.mapping);
    this.#store = new SeriesStore({
      claims,
      maxSeries: options.maxSeries,
      maxSummarySeries: options.maxSummarySeries,
      mapping: options.mapping,
      histogramBuckets: options.histogramBuckets,
      registrar,
    });
    // Pushgateway-style groups share the name claims, so no name shows two types.
    this.#groups = new PushGroups(claims, registrar);
    this.#otlp = new OtlpSeries(claims, registrar);
    this.#loadState();
    this.stopped = new Promise((resolve) => (this.#resolveStopped = resolve));
    options.mainPort.on('message', (message: MergerInbound) => this.#onMainMessage(message));
    // A first rendering, of the self-metrics alone, so /metrics answers from the start. Not
    // for a replacement: main serves the last full rendering until it folds its first epoch.
    if ((options.firstEpoch ?? 0) === 0) this.#queueRender();
  }

  #onMainMessage(message: MergerInbound): void {
    switch (message.kind) {
      case 'attach':
        this.#attach(message);
        break;
      case 'tick':
        this.#self.setIngest(message.ingest);
        this.#wantsOpenMetrics = message.wantsOpenMetrics;
        this.#gate.addTick(message);
        this.#advance();
        break;
      case 'render':
        if (message.format === 'openmetrics') this.#wantsOpenMetrics = true;
        this.#queueRender();
        break;
      case 'stop':
        this.#finalEpoch = message.finalEpoch;
        this.#stopIfDone();
        break;
      case 'mapping':
        this.#store.replaceMapping(message.mapping);
        this.#hasTtl = hasTtl(message.mapping);
        this.#options.mainPort.postMessage({ kind: 'mapping-applied', version: message.version });
        this.#self.counter('configReloads').inc({ outcome: 'success' });
        break;
      case 'reload-failed':
        this.#self.counter('configReloads').inc({ outcome: 'failure' });
        break;
      case 'cardinality': {
        const json = JSON.stringify(this.#store.cardinality());
        this.#options.mainPort.postMessage({ kind: 'cardinality', id: message.id, json });
        break;
      }
      case 'fault':
        this.#actOnInjectedFault(message);
        break;
    }
  }

  /** Debug fault injection (--debug-fault-injection): what a test does to this thread. */
  #actOnInjectedFault(message: MergerFault): void {
    // Uncaught in a message handler: the thread ends, as it would on a real bug.
    if (message.fault === 'throw') throw new Error('injected merger fault');
    // process.exit in a worker thread ends that thread only.
    if (message.fault === 'exit') process.exit(1);
    this.#foldDelayMs = message.delayMs;
  }

  #attach(message: ShardAttach): void {
    this.#gate.expect(message.shard, message.fromEpoch);
    message.port.on('message', (delta: DeltaMessage) => this.#onDelta(delta));
    this.#advance();
  }

  #onDelta(message: DeltaMessage): void {
    const delta = packr.unpack(message.payload) as ShardDelta;
    const late = this.#gate.addDelta(delta, message.heldFrom);
    if (late !== null) {
      this.#self.counter('mergeLateDeltas').inc();
      this.#fold([late], true);
      this.#queueRender();
      return;
    }
    this.#advance();
  }

  #advance(): void {
    const released = this.#gate.takeReleasable();
    if (released.length === 0) return;
    for (const closed of released) this.#foldClosed(closed);
    // Shards and main hold back while this lags (merge-progress.ts); this lets them go on.
    this.#progress?.markFolded(this.#foldedEpoch);
    this.#queueRender();
    if (performance.now() - this.#stateWrittenAt >= STATE_WRITE_INTERVAL_MS) this.saveState();
  }

  /** Writes --state-file now; a failure is logged and the daemon keeps serving. */
  saveState(): void {
    const path = this.#options.stateFile ?? null;
    if (path === null) return;
    this.#stateWrittenAt = performance.now();
    saveStateFile(path, this.#store, this.#options.histogramBuckets, this.#notify);
  }

  #loadState(): void {
    const path = this.#options.stateFile ?? null;
    if (path !== null) {
      loadStateFile(path, this.#store, this.#options.histogramBuckets, this.#notify);
    }
  }

  #notice(level: MergerNotice['level'], msg: string, fields: MergerNotice['fields']): void {
    const notice: MergerNotice = { kind: 'notice', level, msg, fields };
    this.#options.mainPort.postMessage(notice);
  }

  #foldClosed(closed: ClosedEpoch): void {
    this.#fold(closed.deltas, false);
    this.#foldedEpoch = closed.epoch;
  }

  #fold(deltas: ShardDelta[], isLate: boolean): void {
    const started = performance.now();
    if (this.#foldDelayMs > 0 && deltas.length > 0) blockFor(this.#foldDelayMs);
    const nowMs = this.#now();
    this.#store.beginFold(nowMs);
    if (mayChangeData(deltas, this.#store)) this.#data.markChanged();
    const outcome = foldEpoch(this.#store, deltas, { isLate });
    const groupOps = deltas.flatMap((delta) => delta.groupOps ?? []);
    const refusedGroupSamples = groupOps.length > 0 ? this.#groups.apply(groupOps) : 0;
    const otlpPoints = deltas.flatMap((delta) => delta.otlpPoints ?? []);
    const refusedOtlpPoints = otlpPoints.length > 0 ? this.#otlp.apply(otlpPoints) : 0;
    // Expiry also drops sources of combined gauges; rather than trace that, TTLs re-render.
    if (this.#hasTtl) {
      this.#store.expireIdle(nowMs);
      this.#data.markChanged();
    }
    for (const delta of deltas) {
      this.#self.addShardStats(delta.stats);
      this.#store.limitDrops.countSpellings(delta.stats.spellingLimitDropped);
    }
    const typeConflicts = outcome.typeConflictSamples + refusedGroupSamples + refusedOtlpPoints;
    if (typeConflicts > 0) {
      this.#self.counter('samplesDropped').inc({ reason: 'type_conflict' }, typeConflicts);
    }
    if (outcome.seriesLimitSamples > 0) {
      this.#self
        .counter('samplesDropped')
        .inc({ reason: 'series_limit' }, outcome.seriesLimitSamples);
    }
    if (outcome.summaryLimitSamples > 0) {
      this.#self
        .counter('samplesDropped')
        .inc({ reason: 'summary_limit' }, outcome.summaryLimitSamples);
    }
    this.#self.histogram('mergeDuration').observe((performance.now() - started) / 1000);
  }

  /** Renders after the current message burst; back-to-back epochs render once. */
  #queueRender(): void {
    if (this.#isRenderQueued) return;
    this.#isRenderQueued = true;
    setImmediate(() => void this.#render());
  }

  async #render(): Promise<void> {
    const counts = this.#store.seriesCounts();
    for (const [kind, count] of Object.entries(counts)) {
      this.#self.gauge('series').set({ kind }, count);
    }
    const epoch = this.#foldedEpoch;
    const formats: ExpositionFormat[] = this.#wantsOpenMetrics ? ['text', 'openmetrics'] : ['text'];
    for (const format of formats) await this.#renderOne(format, epoch);
    this.#renderedEpoch = epoch;
    this.#isRenderQueued = false;
    this.#stopIfDone();
  }

  async #renderOne(format: ExpositionFormat, epoch: number): Promise<void> {
    const started = performance.now();
    const rendered = await this.#renderer.render(this.#registries[format], format);
    this.#self
      .histogram('renderDuration')
      .observe({ format }, (performance.now() - started) / 1000);
    this.#self
      .gauge('expositionBytes')
      .set({ format, encoding: 'identity' }, rendered.plain.length);
    this.#self.gauge('expositionBytes').set({ format, encoding: 'gzip' }, rendered.gzip.length);

    const message: Exposition = { kind: 'exposition', epoch, format, ...rendered };
    this.#options.mainPort.postMessage(message, [
      rendered.plain.buffer as ArrayBuffer,
      rendered.gzip.buffer as ArrayBuffer,
    ]);
  }

  #stopIfDone(): void {
    if (this.#renderedEpoch >= this.#finalEpoch && !this.#isRenderQueued) this.#resolveStopped();
  }
}

/**
 * Whether folding these deltas may change a data line. An epoch with no samples changes
 * none, except that set series fall to 0 and summary windows slide with time, so stores
 * holding either always render anew.
 */
function mayChangeData(deltas: readonly ShardDelta[], store: SeriesStore): boolean {
  if (store.setFamilies.size > 0 || store.summaryFamilies.size > 0) return true;
  return deltas.some(
    (delta) =>
      delta.definitions.length > 0 ||
      delta.counters.length > 0 ||
      delta.gauges.length > 0 ||
      delta.histograms.length > 0 ||
      (delta.customHistograms?.length ?? 0) > 0 ||
      (delta.summaries?.length ?? 0) > 0 ||
      delta.sets.length > 0 ||
      (delta.groupOps?.length ?? 0) > 0 ||
      (delta.otlpPoints?.length ?? 0) > 0,
  );
}

function blockFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function hasTtl(mapping: MappingConfig | undefined): boolean {
  if (mapping === undefined) return false;
  return mapping.typeTtlMs.some((ms) => ms > 0) || mapping.rules.some((rule) => rule.ttlMs > 0);
}

function createOpenMetricsRegistry(): client.Registry {
  const registry = new client.Registry<client.OpenMetricsContentType>();
  registry.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
  return registry as unknown as client.Registry;
}
