import type { DaemonConfig } from './config/config.js';
import { warnIfExposed } from './config/exposure.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { requireBearer, resolveToken } from './http/auth.js';
import { createKillWorkerRoute } from './http/debug-route.js';
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
import { VERSION } from './version.js';

export interface Daemon {
  /** Bound ports, by listener; null when the listener is off. */
  ports: { statsdUdp: number | null; statsdTcp: number | null; http: number | null };
  httpEngine: string;
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
    stateFile: config.stateFile,
    onExposition: (exposition) => {
      cache.accept(exposition);
      if (exposition.epoch >= 0) firstMergedEpochSeen = true;
    },
    log: log.child({ component: 'merger' }),
  });

  const metricsToken = resolveToken(
    '--metrics-token',
    config.metricsToken,
    config.metricsTokenFile,
  );
  const shards = new ShardPool({
    rings,
    control: flush.buffer,
    histogramBuckets: config.buckets,
    limits: {
      maxNameBytes: config.maxNameBytes,
      maxLabelsPerSample: config.maxLabelsPerSample,
      maxLabelValueBytes: config.maxLabelValueBytes,
    },
    attach: (shard, generation, fromEpoch, port) =>
      merger.attach(shard, generation, fromEpoch, port),
    currentEpoch: () => flush.epoch,
    onRestart: (shard, lostRecords) => {
      counters.workerRestarts++;
      counters.workerLostRecords += lostRecords;
    },
    log: log.child({ component: 'shard' }),
  });
  shards.start();
  log.info({ count: config.workers, ringBytes: config.ringBytes }, 'shards started');

  warnIfExposed(config, log);
  const udp = config.statsdUdp
    ? await listenUdp(
        config.statsdUdp,
        {
          receiveBufferBytes: config.udpReceiveBufferBytes,
          maxDatagramBytes: config.maxDatagramBytes,
        },
        dispatcher,
        counters,
        log.child({ component: 'ingest.udp' }),
      )
    : null;
  const tcp = config.statsdTcp
    ? await listenTcp(
        config.statsdTcp,
        { maxLineBytes: config.tcpMaxLineBytes, maxConnections: config.tcpMaxConnections },
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
          '/metrics': { GET: requireBearer(metricsToken, createMetricsRoute(cache)) },
          '/-/healthy': { GET: healthyRoute },
          '/-/ready': { GET: createReadyRoute(() => firstMergedEpochSeen) },
          ...(config.debugFaultInjection
            ? {
                '/debug/kill-worker': {
                  POST: createKillWorkerRoute((shard, fault) => shards.injectFault(shard, fault)),
                },
              }
            : {}),
        },
        log.child({ component: 'http' }),
      )
    : null;

  // Main-thread stalls show up here first: every socket and every scrape waits on this loop.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const tick = (): number => {
    const closed = flush.cut();
    counters.eventLoopDelayP99Seconds = loopDelay.percentile(99) / 1e9;
    counters.eventLoopDelayMaxSeconds = loopDelay.max / 1e9;
    loopDelay.reset();
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
      loopDelay.disable();
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
    stop,
  };
}
