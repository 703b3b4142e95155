import type { DaemonConfig } from './config/config.js';
import { warnIfExposed } from './config/exposure.js';
import { setTimeout as delay } from 'node:timers/promises';
import { guardRoutes, requireBearer, resolveToken } from './http/auth.js';
import { isLoopback, type ListenAddress } from './config/listen-address.js';
import { validateMappingFile } from './config/mapping-file.js';
import { createMappingReload, type ReloadOutcome } from './config/mapping-reload.js';
import { createAdminRoutes } from './http/debug-routes.js';
import { MappingAcks } from './pool/mapping-acks.js';
import { healthyRoute, createReadyRoute } from './http/health-route.js';
import { selectHttpEngine } from './http/engine.js';
import type { HttpServer } from './http/exchange.js';
import { ExpositionCache } from './http/exposition-cache.js';
import { createMetricsRoute } from './http/metrics-route.js';
import { createPushRoutes } from './http/push-routes.js';
import { listenHttp } from './http/server.js';
import { PushReplies, type PushVerdict } from './ingest/push-replies.js';
import { IngestCounters } from './ingest/ingest-counters.js';
import { listenTcp } from './ingest/tcp.js';
import { listenUdp } from './ingest/udp.js';
import { LogWorkerClient } from './logs/log-worker-client.js';
import { createLogsPushRoute, createLogsTailRoute, MAX_LOG_BODY_BYTES } from './logs/logs-route.js';
import { createOtlpLogsRoute } from './logs/otlp-logs-route.js';
import type { Logger } from './log.js';
import { MergerSupervisor } from './pool/merger-supervisor.js';
import { ShardPool } from './pool/shard-pool.js';
import { FlushControl } from './ring/flush-control.js';
import { createFlushTick } from './ring/flush-tick.js';
import { CUT_SLOTS, RecordKind, createRingBuffer } from './ring/layout.js';
import { MergeProgress, createMergeProgressBuffer } from './ring/merge-progress.js';
import { RingDispatcher } from './ring/ring-dispatcher.js';
import { EMPTY_MAPPING } from './protocol.js';
import { VERSION } from './version.js';

export interface Daemon {
  /** Bound ports, by listener; null when the listener is off. */
  ports: {
    statsdUdp: number | null;
    statsdTcp: number | null;
    http: number | null;
    otlpHttp: number | null;
  };
  httpEngine: string;
  /**
   * Hands a JSON push body (the /api/v1/metrics schema) to the shards, as the HTTP route
   * does; resolves with the shard's verdict, or null when every ring was full.
   */
  submitJsonPush(body: Uint8Array): Promise<PushVerdict | null>;
  /** Re-reads the mapping file (SIGHUP, POST /-/reload); a bad file keeps the old rules. */
  reload(): Promise<ReloadOutcome>;
  /** Stops accepting, ships and folds everything accepted, then releases every thread. */
  stop(): Promise<void>;
}

// A shard answers a push within one slice of work once it reaches the record; this only
// bounds the wait for a record lost with a failed worker, or stuck behind a full backlog.
const PUSH_REPLY_TIMEOUT_MS = 10_000;
// A log body waits this long for the worker's counts before it is answered 503.
const LOG_ANSWER_TIMEOUT_MS = 10_000;

// A shard applies new rules at its next flush; past this (plus two flushes) a reload answers 503.
const RELOAD_ACK_BASE_MS = 5000;

// Past this the flush clock starts without the shards still booting (a failing one restarts).
const SHARD_START_WAIT_MS = 30_000;

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
  const pushReplies = new PushReplies({ timeoutMs: PUSH_REPLY_TIMEOUT_MS });
  const engine = selectHttpEngine(config.httpEngine, log.child({ component: 'http' }), {
    requestTimeoutMs: config.httpRequestTimeoutMs,
    maxInflightBodyBytes: config.pushMaxInflightBytes,
  });

  let firstMergedEpochSeen = false;
  // Participant 0 is the merger, 1 + i is shard i (src/pool/mapping-acks.ts).
  const shardNames = Array.from({ length: config.workers }, (_, shard) => `shard ${shard}`);
  const mappingAcks = new MappingAcks(['merger', ...shardNames]);
  const reloadAckTimeoutMs = RELOAD_ACK_BASE_MS + 2 * config.flushIntervalMs;
  let hasMergerGivenUp = false;
  const cache = new ExpositionCache({ requestRender: (format) => merger.requestRender(format) });
  const progressBuffer = createMergeProgressBuffer(config.workers);
  const progress = new MergeProgress(progressBuffer);
  const merger = await MergerSupervisor.start({
    version: VERSION,
    httpEngine: engine.name,
    histogramBuckets: config.buckets,
    maxWaitEpochs: maxWaitEpochs(config.flushIntervalMs),
    stateFile: config.stateFile,
    maxSeries: config.maxSeries,
    maxSummarySeries: config.maxSummarySeries,
    mapping,
    progress: progressBuffer,
    onExposition: (exposition) => {
      cache.accept(exposition);
      if (exposition.epoch >= 0) firstMergedEpochSeen = true;
    },
    currentEpoch: () => flush.epoch,
    reattachShards: (fromEpoch) => shards.reattach(fromEpoch),
    onRestart: () => counters.countRestart('merger'),
    onGiveUp: () => {
      hasMergerGivenUp = true;
      cache.withdraw();
    },
    onMappingApplied: (version) => mappingAcks.acknowledge(0, version),
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
    logLevel: config.logLevel,
    onPushAck: (ack) => pushReplies.settle(ack),
    limits: {
      maxNameBytes: config.maxNameBytes,
      maxLabelsPerSample: config.maxLabelsPerSample,
      maxLabelValueBytes: config.maxLabelValueBytes,
    },
    mapping,
    progress: progressBuffer,
    // A shard forgets its spellings past this; the merged series, bounded by --max-series, stay.
    maxSpellings: Math.max(10_000, config.maxSeries),
    attach: (shard, generation, fromEpoch, port) =>
      merger.attach(shard, generation, fromEpoch, port),
    currentEpoch: () => flush.epoch,
    onRestart: (shard, lostRecords) => {
      counters.countRestart('shard');
      counters.workerLostRecords += lostRecords;
    },
    onMappingApplied: (shard, version) => mappingAcks.acknowledge(1 + shard, version),
    log: log.child({ component: 'shard' }),
  });
  shards.start();
  const reload = createMappingReload(config.mappingConfig, {
    apply: (next) => {
      const version = mappingAcks.nextVersion();
      shards.replaceMapping(next, version);
      merger.replaceMapping(next, version);
      return mappingAcks.waitFor(version, reloadAckTimeoutMs);
    },
    countFailure: () => merger.replaceMapping(null),
    log: log.child({ component: 'config' }),
    ackTimeoutMs: reloadAckTimeoutMs,
  });
  log.info({ count: config.workers, ringBytes: config.ringBytes }, 'shards started');

  const logWorker = new LogWorkerClient({
    tailRecordsPerService: config.logsTailRecords,
    maxServices: config.logsMaxServices,
    // Text compresses about 10:1; past that a body is more likely a gzip bomb than logs.
    maxInflatedBytes: 8 * MAX_LOG_BODY_BYTES,
    statsIntervalMs: config.flushIntervalMs,
    file:
      config.logsFile === null
        ? null
        : {
            path: config.logsFile,
            maxBytes: config.logsFileMaxBytes,
            maxFiles: config.logsFileMaxFiles,
            maxQueuedBytes: 2 * MAX_LOG_BODY_BYTES,
          },
    answerTimeoutMs: LOG_ANSWER_TIMEOUT_MS,
    logLevel: config.logLevel,
    onRestart: () => counters.countRestart('log'),
    log: log.child({ component: 'logs' }),
  });

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
        {
          maxLineBytes: config.tcpMaxLineBytes,
          maxConnections: config.tcpMaxConnections,
          lineTimeoutMs: config.tcpLineTimeoutMs,
        },
        dispatcher,
        counters,
        log.child({ component: 'ingest.tcp' }),
      )
    : null;
  // Every push receiver (metrics and logs) answers only to --push-token when one is set;
  // reading pushed logs back answers to the --metrics-token, like /metrics.
  const pushToken = resolveToken('--push-token', config.pushToken, config.pushTokenFile);
  const pushRoutes = guardRoutes(
    pushToken,
    createPushRoutes({
      dispatcher,
      replies: pushReplies,
      maxBodyBytes: config.pushMaxBodyBytes,
      counters: counters.push,
    }),
  );
  const otlpLogsRoute = requireBearer(
    pushToken,
    createOtlpLogsRoute(logWorker, () => Date.now()),
  );
  const http: HttpServer | null = config.http
    ? await listenHttp(
        engine,
        config.http,
        {
          '/metrics': {
            GET: requireBearer(
              metricsToken,
              createMetricsRoute(cache, {
                maxConcurrentScrapes: config.maxConcurrentScrapes,
                onRefused: () => counters.scrapesRefused++,
                writeTimeoutMs: config.scrapeWriteTimeoutMs,
                onCut: () => counters.scrapesCut++,
              }),
            ),
          },
          '/-/healthy': { GET: healthyRoute },
          '/-/ready': { GET: createReadyRoute(() => firstMergedEpochSeen && !hasMergerGivenUp) },
          ...pushRoutes,
          '/api/v1/logs': {
            POST: requireBearer(
              pushToken,
              createLogsPushRoute(logWorker, () => Date.now()),
            ),
            GET: requireBearer(metricsToken, createLogsTailRoute(logWorker)),
          },
          '/v1/logs': { POST: otlpLogsRoute },
          ...createAdminRoutes({
            token: resolveToken('--admin-token', config.adminToken, config.adminTokenFile),
            reload,
            cardinality: () => merger.cardinality(),
            faults: config.debugFaultInjection
              ? {
                  injectFault: (shard, fault) => shards.injectFault(shard, fault),
                  injectMergerFault: (fault, ms) => merger.injectFault(fault, ms),
                  killLogWorker: () => logWorker.terminate(),
                }
              : null,
          }),
        },
        log.child({ component: 'http' }),
      )
    : null;
  const otlpHttp: HttpServer | null = config.otlpHttp
    ? await listenHttp(
        engine,
        config.otlpHttp,
        {
          '/v1/metrics': pushRoutes['/v1/metrics'],
          '/v1/logs': { POST: otlpLogsRoute },
        },
        log.child({ component: 'http.otlp' }),
      )
    : null;

  const { tick, close: closeTick } = createFlushTick({
    flush,
    dispatcher,
    counters,
    progress,
    merger,
    ringBytes: config.ringBytes,
    logStats: () => logWorker.snapshot(),
    wantsOpenMetrics: () => cache.isOpenMetricsWanted(),
  });
  // The epoch gate gives up on a shard after maxWaitEpochs ticks; ticks counted while shard
  // threads still boot (seconds on a loaded host) would make their first deltas late.
  const haveShardsStarted = await Promise.race([
    shards.allStarted.then(() => true),
    delay(SHARD_START_WAIT_MS, false, { ref: false }),
  ]);
  if (!haveShardsStarted) {
    log.warn({ durationMs: SHARD_START_WAIT_MS }, 'shards not all running; flush clock starts');
  }
  const clock = setInterval(() => tick(), config.flushIntervalMs);

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // First: a merger replacement starting now would wait for shards that are stopping.
      merger.beginStop();
      clearInterval(clock);
      closeTick();
      await Promise.all([udp?.close(), tcp?.close()]);
      await logWorker.stop();
      // The last cut: everything accepted so far belongs to this final epoch.
      const finalEpoch = tick(true);
      flush.requestStop();
      await shards.stop();
      await merger.stop(finalEpoch);
      await Promise.all([http?.close(), otlpHttp?.close()]);
      log.info({ finalEpoch }, 'stopped');
    })();
    return stopping;
  };

  return {
    ports: {
      statsdUdp: udp?.port ?? null,
      statsdTcp: tcp?.port ?? null,
      http: http?.port ?? null,
      otlpHttp: otlpHttp?.port ?? null,
    },
    httpEngine: engine.name,
    submitJsonPush: (body) => {
      const seq = dispatcher.dispatchPush(RecordKind.PushJson, body);
      return seq === null ? Promise.resolve(null) : pushReplies.wait(seq);
    },
    reload,
    stop,
  };
}
