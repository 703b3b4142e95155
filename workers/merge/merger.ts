import { performance } from 'node:perf_hooks';
import type { MessagePort } from 'node:worker_threads';
import { Packr } from 'msgpackr';
import client from 'prom-client';
import type {
  DeltaMessage,
  Exposition,
  ExpositionFormat,
  MappingConfig,
  MergerInbound,
  ShardAttach,
  ShardDelta,
} from '../../src/protocol.js';
import { SELF_METRICS } from '../../src/self-metrics.js';
import { EpochGate, type ClosedEpoch } from './epoch-gate.js';
import { renderExposition } from './exposition.js';
import { foldEpoch } from './fold.js';
import { NameClaims, namesOfSelfMetric } from './name-claims.js';
import { SelfMetrics } from './self-metrics.js';
import { SeriesStore } from './series-store.js';

export interface MergerOptions {
  mainPort: MessagePort;
  version: string;
  httpEngine: string;
  histogramBuckets: readonly number[];
  /** Ticks to wait for a slow shard before an epoch is folded without its delta. */
  maxWaitEpochs: number;
  /** --max-series: series over all metrics; absent means unbounded. */
  maxSeries?: number;
  mapping?: MappingConfig;
  /** Wall clock for TTLs; injected by tests. */
  now?: () => number;
}

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
  readonly #self: SelfMetrics;
  readonly #registries: Record<ExpositionFormat, client.Registry>;
  readonly #now: () => number;
  #hasTtl: boolean;
  #wantsOpenMetrics = false;
  #foldedEpoch = -1;
  #renderedEpoch = -1;
  #isRenderQueued = false;
  #finalEpoch = Infinity;
  #resolveStopped: () => void = () => {};
  readonly stopped: Promise<void>;

  constructor(options: MergerOptions) {
    this.#options = options;
    this.#gate = new EpochGate({ maxWaitEpochs: options.maxWaitEpochs });
    this.#registries = { text: new client.Registry(), openmetrics: createOpenMetricsRegistry() };
    this.#self = new SelfMetrics(this.#registries.text, this.#registries.openmetrics);
    this.#self.setBuildInfo(options.version, options.httpEngine);
    if (options.maxSeries !== undefined) this.#self.gauge('seriesLimit').set(options.maxSeries);

    const claims = new NameClaims();
    for (const spec of Object.values(SELF_METRICS)) {
      claims.claim('self', namesOfSelfMetric(spec.name, spec.type));
    }
    this.#now = options.now ?? Date.now;
    this.#hasTtl = hasTtl(options.mapping);
    this.#store = new SeriesStore({
      claims,
      maxSeries: options.maxSeries,
      mapping: options.mapping,
      histogramBuckets: options.histogramBuckets,
      registrar: {
        register: (views) => {
          this.#registries.text.registerMetric(views.text as unknown as client.Metric<string>);
          this.#registries.openmetrics.registerMetric(
            views.openmetrics as unknown as client.Metric<string>,
          );
        },
      },
    });
    this.stopped = new Promise((resolve) => (this.#resolveStopped = resolve));
    options.mainPort.on('message', (message: MergerInbound) => this.#onMainMessage(message));
    // A first rendering, of the self-metrics alone, so /metrics answers from the start.
    this.#queueRender();
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
    }
  }

  #attach(message: ShardAttach): void {
    this.#gate.expect(message.shard, message.fromEpoch);
    message.port.on('message', (delta: DeltaMessage) => this.#onDelta(delta));
    this.#advance();
  }

  #onDelta(message: DeltaMessage): void {
    const delta = packr.unpack(message.payload) as ShardDelta;
    const late = this.#gate.addDelta(delta);
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
    this.#queueRender();
  }

  #foldClosed(closed: ClosedEpoch): void {
    this.#fold(closed.deltas, false);
    this.#foldedEpoch = closed.epoch;
  }

  #fold(deltas: ShardDelta[], isLate: boolean): void {
    const started = performance.now();
    const nowMs = this.#now();
    this.#store.beginFold(nowMs);
    const outcome = foldEpoch(this.#store, deltas, { isLate });
    if (this.#hasTtl) this.#store.expireIdle(nowMs);
    for (const delta of deltas) {
      this.#self.addShardStats(delta.stats);
      this.#store.seriesLimitDrops += delta.stats.spellingLimitDropped;
    }
    if (outcome.typeConflictSamples > 0) {
      this.#self
        .counter('samplesDropped')
        .inc({ reason: 'type_conflict' }, outcome.typeConflictSamples);
    }
    if (outcome.seriesLimitSamples > 0) {
      this.#store.seriesLimitDrops += outcome.seriesLimitSamples;
      this.#self
        .counter('samplesDropped')
        .inc({ reason: 'series_limit' }, outcome.seriesLimitSamples);
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
    const rendered = await renderExposition(this.#registries[format]);
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

function hasTtl(mapping: MappingConfig | undefined): boolean {
  if (mapping === undefined) return false;
  return mapping.typeTtlMs.some((ms) => ms > 0) || mapping.rules.some((rule) => rule.ttlMs > 0);
}

function createOpenMetricsRegistry(): client.Registry {
  const registry = new client.Registry<client.OpenMetricsContentType>();
  registry.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
  return registry as unknown as client.Registry;
}
