import type { DaemonConfig } from './config/config.js';
import { isLoopback, type ListenAddress } from './config/listen-address.js';
import { validateMappingFile } from './config/mapping-file.js';
import { createMappingReload, type ReloadOutcome } from './config/mapping-reload.js';
import { createCardinalityRoute, createReloadRoute } from './http/debug-routes.js';
import { healthyRoute, createReadyRoute } from './http/health-route.js';
import { selectHttpEngine } from './http/engine.js';
import type { HttpServer } from './http/exchange.js';
import { ExpositionCache } from './http/exposition-cache.js';
import { createMetricsRoute } from './http/metrics-route.js';
import { listenHttp } from './http/server.js';
import { IngestCounters } from './ingest/ingest-counters.js';
import { readHostUdpReceiveBufferErrors } from './ingest/kernel-udp-stats.js';
import { listenTcp } from './ingest/tcp.js';
import { listenUdp } from './ingest/udp.js';
import type { Logger } from './log.js';
import { MergerThread } from './pool/merger-thread.js';
import { ShardPool } from './pool/shard-pool.js';
import { FlushControl } from './ring/flush-control.js';
import { CUT_SLOTS, createRingBuffer } from './ring/layout.js';
import { RingDispatcher } from './ring/ring-dispatcher.js';
import { EMPTY_MAPPING } from './protocol.js';
import { VERSION } from './version.js';

export interface Daemon {
  /** Bound ports, by listener; null when the listener is off. */
  ports: { statsdUdp: number | null; statsdTcp: number | null; http: number | null };
  httpEngine: string;
  /** Re-reads the mapping file (SIGHUP, POST /-/reload); a bad file keeps the old rules. */
  reload(): ReloadOutcome;
  /** Stops accepting, ships and folds everything accepted, then releases every thread. */
  stop(): Promise<void>;
}

// How long a slow shard may hold the exposition back: five flushes, but never under five
// seconds (a GC pause or a busy host at short intervals) nor past half the cut slots.
function maxWaitEpochs(flushIntervalMs: number): number {
  return Math.min(CUT_SLOTS / 2, Math.max(5, Math.ceil(5000 / flushIntervalMs)));
}

/**
 * Wiring only: config → rings → merger → shards → listeners → flush clock.
 *
 *   socket ─▶ RingDispatcher ─▶ ring[i] ─▶ shard i ─▶ delta ─▶ merger ─▶ exposition ─▶ /metrics
 */
export async function startDaemon(config: DaemonConfig, log: Logger): Promise<Daemon> {
  // Read first: a bad file is a ConfigError before any thread or socket exists.
  const loaded = config.mappingConfig ? validateMappingFile(config.mappingConfig) : null;
  const mapping = loaded?.config ?? EMPTY_MAPPING;
  for (const warning of loaded?.warnings ?? [])
    log.warn({ reason: warning }, 'mapping key ignored');
  const counters = new IngestCounters();
  const rings = Array.from({ length: config.workers }, () => createRingBuffer(config.ringBytes));
  const dispatcher = new RingDispatcher(rings, counters);
  const flush = new FlushControl(dispatcher);
  const engine = selectHttpEngine(config.httpEngine, log.child({ component: 'http' }));

  let firstMergedEpochSeen = false;
  const cache = new ExpositionCache({ requestRender: (format) => merger.requestRender(format) });
  const merger = await MergerThread.start({
    version: VERSION,
    httpEngine: engine.name,
    histogramBuckets: config.buckets,
    maxWaitEpochs: maxWaitEpochs(config.flushIntervalMs),
    maxSeries: config.maxSeries,
    mapping,
    onExposition: (exposition) => {
      cache.accept(exposition);
      if (exposition.epoch >= 0) firstMergedEpochSeen = true;
    },
    log: log.child({ component: 'merger' }),
  });

  const shards = new ShardPool({
    rings,
    control: flush.buffer,
    histogramBuckets: config.buckets,
    mapping,
    // A shard forgets its spellings past this; the merged series, bounded by --max-series, stay.
    maxSpellings: Math.max(10_000, config.maxSeries),
    attach: (shard, generation, fromEpoch, port) =>
      merger.attach(shard, generation, fromEpoch, port),
    currentEpoch: () => flush.epoch,
    onRestart: () => counters.workerRestarts++,
    log: log.child({ component: 'shard' }),
  });
  shards.start();
  const reload = createMappingReload(config.mappingConfig, {
    apply: (next) => {
      shards.replaceMapping(next);
      merger.replaceMapping(next);
    },
    countFailure: () => merger.replaceMapping(null),
    log: log.child({ component: 'config' }),
  });
  log.info({ count: config.workers, ringBytes: config.ringBytes }, 'shards started');

  warnIfExposed(config, log);
  const udp = config.statsdUdp
    ? await listenUdp(
        config.statsdUdp,
        { receiveBufferBytes: config.udpReceiveBufferBytes },
        dispatcher,
        counters,
        log.child({ component: 'ingest.udp' }),
      )
    : null;
  const tcp = config.statsdTcp
    ? await listenTcp(
        config.statsdTcp,
        { maxLineBytes: config.tcpMaxLineBytes },
        dispatcher,
        counters,
        log.child({ component: 'ingest.tcp' }),
      )
    : null;
  const http: HttpServer | null = config.http
    ? await listenHttp(
        engine,
        config.http,
        {
          '/metrics': { GET: createMetricsRoute(cache) },
          '/-/healthy': { GET: healthyRoute },
          '/-/ready': { GET: createReadyRoute(() => firstMergedEpochSeen) },
          '/-/reload': { POST: createReloadRoute(reload) },
          '/debug/cardinality': { GET: createCardinalityRoute(() => merger.cardinality()) },
        },
        log.child({ component: 'http' }),
      )
    : null;

  const tick = (): number => {
    const closed = flush.cut();
    merger.tick({
      epoch: closed,
      wantsOpenMetrics: cache.isOpenMetricsWanted(),
      ingest: counters.snapshot({
        ringUsedBytes: dispatcher.usedBytes(),
        ringCapacityBytes: config.ringBytes,
        hostUdpReceiveBufferErrors: readHostUdpReceiveBufferErrors(),
      }),
    });
    return closed;
  };
  const clock = setInterval(tick, config.flushIntervalMs);

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(clock);
      await Promise.all([udp?.close(), tcp?.close()]);
      // The last cut: everything accepted so far belongs to this final epoch.
      const finalEpoch = tick();
      flush.requestStop();
      await shards.stop();
      await merger.stop(finalEpoch);
      await http?.close();
      log.info({ finalEpoch }, 'stopped');
    })();
    return stopping;
  };

  return {
    ports: { statsdUdp: udp?.port ?? null, statsdTcp: tcp?.port ?? null, http: http?.port ?? null },
    httpEngine: engine.name,
    reload,
    stop,
  };
}

function warnIfExposed(config: DaemonConfig, log: Logger): void {
  const listeners: Array<[string, ListenAddress | null]> = [
    ['statsd-udp', config.statsdUdp],
    ['statsd-tcp', config.statsdTcp],
    ['http', config.http],
  ];
  for (const [listener, address] of listeners) {
    if (address !== null && !isLoopback(address)) {
      log.warn(
        { listener, address: address.host, port: address.port },
        'listening beyond loopback',
      );
    }
  }
}
