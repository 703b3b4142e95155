import client from 'prom-client';
import { INGEST_REFUSAL_REASONS, LOG_REFUSAL_REASONS, PARSE_REASONS } from '../../src/errors.js';
import {
  TRANSPORTS,
  WORKER_KINDS,
  type IngestSnapshot,
  type LogStats,
  type ShardStats,
} from '../../src/protocol.js';
import { SELF_METRICS, type SelfMetricKey, type SelfMetricSpec } from '../../src/self-metrics.js';

type AnyMetric = client.Counter<string> | client.Gauge<string> | client.Histogram<string>;

const DURATION_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The daemon's own figures as prom-client metrics. Shards report per-epoch counts (added as
 * they come); the main thread reports running totals (turned into increments here, since
 * a prom-client counter only goes up).
 */
export class SelfMetrics {
  readonly #metrics: Record<SelfMetricKey, AnyMetric>;
  readonly #lastIngest = new Map<string, number>();

  /** Registers every self-metric in `textRegistry` and a view of it in `openMetricsRegistry`. */
  constructor(textRegistry: client.Registry, openMetricsRegistry: client.Registry) {
    this.#metrics = Object.fromEntries(
      Object.entries(SELF_METRICS).map(([key, spec]) => [key, createMetric(spec, textRegistry)]),
    ) as Record<SelfMetricKey, AnyMetric>;
    for (const metric of Object.values(this.#metrics)) {
      openMetricsRegistry.registerMetric(openMetricsView(metric));
    }
  }

  setBuildInfo(version: string, httpEngine: string): void {
    this.gauge('buildInfo').set({ version, node: process.version, http_engine: httpEngine }, 1);
  }

  addShardStats(stats: ShardStats): void {
    TRANSPORTS.forEach((transport, t) => {
      this.counter('ingestLines').inc({ transport }, stats.lines[t]);
      PARSE_REASONS.forEach((reason, r) => {
        const count = stats.parseErrors[t][r];
        if (count > 0) this.counter('parseErrors').inc({ transport, reason }, count);
      });
    });
    this.counter('ingestSamples').inc(stats.samples);
    this.counter('ingestEvents').inc(stats.events);
    this.counter('ingestServiceChecks').inc(stats.serviceChecks);
    this.counter('parseDroppedTags').inc(stats.droppedTags);
    if (stats.spellingLimitDropped > 0) {
      this.counter('samplesDropped').inc({ reason: 'series_limit' }, stats.spellingLimitDropped);
    }
    if (stats.mappingDropped > 0) {
      this.counter('samplesDropped').inc({ reason: 'mapping_drop' }, stats.mappingDropped);
    }
  }

  setIngest(snapshot: IngestSnapshot): void {
    TRANSPORTS.forEach((transport, t) => {
      this.#addTotal('ingestDatagrams', { transport }, snapshot.datagrams[t]);
      this.#addTotal('ingestBytes', { transport }, snapshot.bytes[t]);
      this.#addTotal('ringDroppedMessages', { transport }, snapshot.ringDroppedMessages[t]);
      this.#addTotal('ringDroppedBytes', { transport }, snapshot.ringDroppedBytes[t]);
    });
    snapshot.ringUsedBytes.forEach((bytes, worker) => {
      this.gauge('ringUsedBytes').set({ worker: String(worker) }, bytes);
    });
    this.gauge('ringCapacityBytes').set(snapshot.ringCapacityBytes);
    this.#addTotal('tcpConnections', {}, snapshot.tcpConnectionsOpened);
    this.gauge('tcpOpenConnections').set(snapshot.tcpConnectionsOpen);
    this.#addTotal('tcpLinesTooLong', {}, snapshot.tcpLinesTooLong);
    this.gauge('udpReceiveBuffer').set(snapshot.udpReceiveBufferBytes);
    this.#addTotal('hostUdpReceiveBufferErrors', {}, snapshot.hostUdpReceiveBufferErrors);
    WORKER_KINDS.forEach((worker, w) => {
      this.#addTotal('workerRestarts', { worker }, snapshot.workerRestarts[w]);
    });
    this.gauge('mergeBacklog').set(snapshot.mergeBacklogEpochs);
    this.#addTotal('shardHeldEpochs', {}, snapshot.shardHeldEpochs);
    this.#addTotal('scrapesRefused', {}, snapshot.scrapesRefused);
    this.#addTotal('scrapesCut', {}, snapshot.scrapesCut);
    for (const [receiver, status, total] of snapshot.pushRequests) {
      this.#addTotal('pushRequests', { receiver, status: String(status) }, total);
    }
    for (const [receiver, reason, total] of snapshot.pushRefusedSamples) {
      this.#addTotal('pushRefusedSamples', { receiver, reason }, total);
    }
    for (const [receiver, reason, total] of snapshot.pushRefusedBodies) {
      this.#addTotal('pushRefusedBodies', { receiver, reason }, total);
    }
    INGEST_REFUSAL_REASONS.forEach((reason, r) => {
      this.#addTotal('ingestRefused', { reason }, snapshot.refused[r]);
    });
    this.#addTotal('workerLostRecords', {}, snapshot.workerLostRecords);
    this.gauge('eventLoopDelayP99').set(snapshot.eventLoopDelayP99Seconds);
    this.gauge('eventLoopDelayMax').set(snapshot.eventLoopDelayMaxSeconds);
    if (snapshot.logs !== undefined) this.#setLogs(snapshot.logs);
  }

  #setLogs(logs: LogStats): void {
    for (const [service, severity, count] of logs.records) {
      this.#addTotal('logRecords', { service, severity }, count);
    }
    this.#addTotal('logBytes', {}, logs.bytes);
    for (const reason of LOG_REFUSAL_REASONS) {
      this.#addTotal('logRefused', { reason }, logs.refused[reason] ?? 0);
    }
    this.#addTotal('logOtherServiceRecords', {}, logs.servicesOverflowed);
    this.#addTotal('logFileWrittenRecords', {}, logs.fileWrittenRecords);
    this.#addTotal('logFileDroppedRecords', {}, logs.fileDroppedRecords);
  }

  counter(key: SelfMetricKey): client.Counter<string> {
    return this.#metrics[key] as client.Counter<string>;
  }

  gauge(key: SelfMetricKey): client.Gauge<string> {
    return this.#metrics[key] as client.Gauge<string>;
  }

  histogram(key: SelfMetricKey): client.Histogram<string> {
    return this.#metrics[key] as client.Histogram<string>;
  }

  /** Adds the growth of a running total since the last snapshot. */
  #addTotal(key: SelfMetricKey, labels: Record<string, string>, total: number): void {
    const memo = `${key}\u0000${Object.values(labels).join('\u0000')}`;
    const growth = total - (this.#lastIngest.get(memo) ?? 0);
    this.#lastIngest.set(memo, total);
    // Also registers the labelled series at 0, so dashboards see it before the first event.
    this.counter(key).inc(labels, Math.max(0, growth));
  }
}

function createMetric(spec: SelfMetricSpec, registry: client.Registry): AnyMetric {
  const configuration = {
    name: spec.name,
    help: spec.help,
    labelNames: [...spec.labels],
    registers: [registry],
  };
  if (spec.type === 'counter') return new client.Counter(configuration);
  if (spec.type === 'gauge') return new client.Gauge(configuration);
  return new client.Histogram({ ...configuration, buckets: DURATION_BUCKETS_SECONDS });
}

/**
 * The OpenMetrics registry renames a counter family in place (it drops `_total` from the
 * metric's `name`), which would leak into the text rendering if both registries held the
 * same object. So OpenMetrics gets a view whose name is already the bare family name.
 */
function openMetricsView(metric: AnyMetric): client.Metric<string> {
  // prom-client's typings omit these run-time fields.
  const fields = metric as unknown as { name: string; help: string; type: string };
  const name = fields.name.replace(/_total$/, '');
  const view = {
    name,
    help: fields.help,
    type: fields.type,
    aggregator: 'sum',
    async get() {
      return { ...(await metric.get()), name };
    },
    reset() {},
  };
  return view as unknown as client.Metric<string>;
}
