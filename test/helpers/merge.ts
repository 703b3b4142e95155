import client from 'prom-client';
import {
  SeriesKind,
  type ExpositionFormat,
  type MappingConfig,
  type MergerTick,
  type SeriesDefinition,
  type ShardDelta,
} from '../../src/protocol.js';
import { SELF_METRICS } from '../../src/self-metrics.js';
import { NameClaims, namesOfSelfMetric } from '../../workers/merge/name-claims.js';
import { DataFamilies, type FamilyRegistrar } from '../../workers/merge/data-families.js';
import { ExpositionRenderer, type RenderedExposition } from '../../workers/merge/exposition.js';
import { SeriesStore } from '../../workers/merge/series-store.js';
import { createShardStats } from '../../workers/shard/shard-stats.js';

/**
 * Builders for merger-side unit tests: shard deltas and ticks as the threads would send
 * them, and a SeriesStore whose families render the way merger.ts renders them.
 */

/** A delta with nothing in it but what `parts` sets; histograms default to no bounds. */
export function shardDelta(
  parts: Partial<ShardDelta> & Pick<ShardDelta, 'shard' | 'epoch'>,
): ShardDelta {
  return {
    generation: 0,
    definitions: [],
    counters: new Float64Array(0),
    gauges: new Float64Array(0),
    histograms: new Float64Array(0),
    histogramStride: 5,
    customHistograms: [],
    sets: [],
    stats: createShardStats(),
    ...parts,
  };
}

export function mergerTick(epoch: number): MergerTick {
  return {
    kind: 'tick',
    epoch,
    wantsOpenMetrics: false,
    ingest: {
      datagrams: [0, 0],
      bytes: [0, 0],
      ringDroppedMessages: [0, 0],
      ringDroppedBytes: [0, 0],
      ringUsedBytes: [0],
      ringCapacityBytes: 0,
      tcpConnectionsOpened: 0,
      tcpConnectionsOpen: 0,
      tcpLinesTooLong: 0,
      udpReceiveBufferBytes: 0,
      hostUdpReceiveBufferErrors: 0,
      workerRestarts: [0, 0, 0],
      mergeBacklogEpochs: 0,
      shardHeldEpochs: 0,
      scrapesRefused: 0,
      scrapesCut: 0,
      pushRequests: [],
      pushRefusedSamples: [],
      pushRefusedBodies: [],
      refused: [0, 0, 0],
      workerLostRecords: 0,
      eventLoopDelayP99Seconds: 0,
      eventLoopDelayMaxSeconds: 0,
    },
  };
}

/** A definition as a shard sends it: id = slot * 4 + kind; labels given as an object. */
export function definition(
  kind: SeriesKind,
  slot: number,
  name: string,
  firstOrder: number,
  labels: Record<string, string> = {},
): SeriesDefinition {
  const sorted = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1));
  return { id: slot * 4 + kind, kind, name, labels: sorted.flat(), firstOrder };
}

export interface MergedStore {
  store: SeriesStore;
  /** The exposition of each format as the merger writes it, with no self-metrics. */
  registries: Record<ExpositionFormat, { metrics(): Promise<string> }>;
  /** Both bodies of one format's exposition, as the merger hands them to the main thread. */
  render(format: ExpositionFormat): Promise<RenderedExposition>;
  /** The store's name claims and registrar, for other merger parts (push groups). */
  claims: NameClaims;
  registrar: FamilyRegistrar;
}

/** A SeriesStore whose families render as in merger.ts, next to empty self-metric registries. */
export function createMergedStore(
  histogramBuckets: readonly number[] = [],
  options: {
    claimsSelfMetrics?: boolean;
    maxSeries?: number;
    maxSummarySeries?: number;
    mapping?: MappingConfig;
  } = {},
): MergedStore {
  const text = new client.Registry();
  const openmetrics = new client.Registry<client.OpenMetricsContentType>();
  openmetrics.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
  const selfRegistries: Record<ExpositionFormat, client.Registry> = {
    text,
    openmetrics: openmetrics as unknown as client.Registry,
  };
  const data = new DataFamilies();
  const renderer = new ExpositionRenderer(data);
  // Tests fold without the merger, so every rendering is treated as after a change.
  const render = (format: ExpositionFormat): Promise<RenderedExposition> => {
    data.markChanged();
    return renderer.render(selfRegistries[format], format);
  };
  const metrics = async (format: ExpositionFormat): Promise<string> =>
    Buffer.from((await render(format)).plain).toString('utf8');
  const registries = {
    text: { metrics: () => metrics('text') },
    openmetrics: { metrics: () => metrics('openmetrics') },
  };

  const claims = new NameClaims();
  if (options.claimsSelfMetrics) {
    for (const spec of Object.values(SELF_METRICS)) {
      claims.claim('self', namesOfSelfMetric(spec.name, spec.type));
    }
  }
  const registrar: FamilyRegistrar = data;
  const store = new SeriesStore({
    claims,
    histogramBuckets,
    maxSeries: options.maxSeries,
    maxSummarySeries: options.maxSummarySeries,
    mapping: options.mapping,
    registrar,
  });
  return { store, registries, render, claims, registrar };
}
