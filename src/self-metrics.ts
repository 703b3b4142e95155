/**
 * Every figure the daemon exposes about itself, in one place: name, type, labels, meaning.
 * The merger registers these; the README's self-metrics table is written from this list,
 * and a test checks that the two agree. Label values come from closed lists in code
 * (TRANSPORTS, DROP_REASONS, SeriesKind names), never from traffic, with one exception the
 * logs feature asks for: catalyst_log_records_total's `service`, bounded in count.
 */

export interface SelfMetricSpec {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  labels: readonly string[];
}

function spec(
  name: string,
  type: SelfMetricSpec['type'],
  labels: readonly string[],
  help: string,
): SelfMetricSpec {
  return { name, type, help, labels };
}

export const SELF_METRICS = {
  buildInfo: spec(
    'catalyst_build_info',
    'gauge',
    ['version', 'node', 'http_engine'],
    'Always 1; labels say which version runs on which Node.js and which HTTP engine serves.',
  ),
  ingestDatagrams: spec(
    'catalyst_ingest_datagrams_total',
    'counter',
    ['transport'],
    'UDP datagrams, and TCP reads, taken from the sockets.',
  ),
  ingestBytes: spec(
    'catalyst_ingest_bytes_total',
    'counter',
    ['transport'],
    'Bytes taken from the sockets.',
  ),
  ingestLines: spec(
    'catalyst_ingest_lines_total',
    'counter',
    ['transport'],
    'Non-empty lines handed to the parser.',
  ),
  ingestSamples: spec(
    'catalyst_ingest_samples_total',
    'counter',
    [],
    'Samples parsed and aggregated; each value of a packed line counts.',
  ),
  ingestEvents: spec(
    'catalyst_ingest_events_total',
    'counter',
    [],
    'DogStatsD events received; they are counted, not exposed.',
  ),
  ingestServiceChecks: spec(
    'catalyst_ingest_service_checks_total',
    'counter',
    [],
    'DogStatsD service checks received; each sets service_check_status.',
  ),
  parseErrors: spec(
    'catalyst_parse_errors_total',
    'counter',
    ['transport', 'reason'],
    'Lines refused by the parser, by reason; the other lines of the datagram still count.',
  ),
  parseDroppedTags: spec(
    'catalyst_parse_dropped_tags_total',
    'counter',
    [],
    'Tags dropped from otherwise valid lines: no separator, empty key or empty value.',
  ),
  ringDroppedMessages: spec(
    'catalyst_ring_dropped_messages_total',
    'counter',
    ['transport'],
    'Datagrams or TCP chunks dropped because the worker ring was full.',
  ),
  ringDroppedBytes: spec(
    'catalyst_ring_dropped_bytes_total',
    'counter',
    ['transport'],
    'Bytes dropped because the worker ring was full.',
  ),
  ringUsedBytes: spec(
    'catalyst_ring_used_bytes',
    'gauge',
    ['worker'],
    'Bytes waiting in each worker ring at the last flush.',
  ),
  ringCapacityBytes: spec('catalyst_ring_capacity_bytes', 'gauge', [], 'Size of each worker ring.'),
  tcpConnections: spec(
    'catalyst_ingest_tcp_connections_total',
    'counter',
    [],
    'TCP connections accepted.',
  ),
  tcpOpenConnections: spec(
    'catalyst_ingest_tcp_open_connections',
    'gauge',
    [],
    'TCP connections open now.',
  ),
  tcpLinesTooLong: spec(
    'catalyst_ingest_tcp_lines_too_long_total',
    'counter',
    [],
    'TCP connections closed because a line grew past the limit without a newline.',
  ),
  udpReceiveBuffer: spec(
    'catalyst_ingest_udp_receive_buffer_bytes',
    'gauge',
    [],
    'Receive buffer the kernel granted the UDP socket (capped by net.core.rmem_max).',
  ),
  hostUdpReceiveBufferErrors: spec(
    'catalyst_host_udp_receive_buffer_errors_total',
    'counter',
    [],
    'UDP datagrams the kernel dropped for a full receive buffer, on any socket of the host.',
  ),
  samplesDropped: spec(
    'catalyst_samples_dropped_total',
    'counter',
    ['reason'],
    'Parsed samples not stored, by reason.',
  ),
  series: spec('catalyst_series', 'gauge', ['kind'], 'Series exposed on /metrics, by kind.'),
  mergeDuration: spec(
    'catalyst_merge_duration_seconds',
    'histogram',
    [],
    'Time to fold one flush interval of shard deltas into the registry.',
  ),
  renderDuration: spec(
    'catalyst_render_duration_seconds',
    'histogram',
    ['format'],
    'Time to render and compress the exposition once.',
  ),
  expositionBytes: spec(
    'catalyst_exposition_bytes',
    'gauge',
    ['format', 'encoding'],
    'Size of the last rendered exposition.',
  ),
  mergeLateDeltas: spec(
    'catalyst_merge_late_deltas_total',
    'counter',
    [],
    'Shard deltas folded after their interval had been rendered without them.',
  ),
  pushRequests: spec(
    'catalyst_push_requests_total',
    'counter',
    ['receiver', 'status'],
    'HTTP push requests answered, by receiver (json, pushgateway, otlp) and HTTP status.',
  ),
  pushRefusedSamples: spec(
    'catalyst_push_refused_samples_total',
    'counter',
    ['receiver', 'reason'],
    'Samples or OTLP points refused inside a push whose other samples were kept.',
  ),
  pushRefusedBodies: spec(
    'catalyst_push_refused_bodies_total',
    'counter',
    ['receiver', 'reason'],
    'Push bodies refused whole, nothing stored: too large, unsupported type or encoding, unreadable.',
  ),
  configReloads: spec(
    'catalyst_config_reloads_total',
    'counter',
    ['outcome'],
    'Mapping file reloads (SIGHUP, POST /-/reload), by outcome: success or failure.',
  ),
  seriesLimit: spec(
    'catalyst_series_limit',
    'gauge',
    [],
    'The --max-series bound on series over all metrics.',
  ),
  workerRestarts: spec(
    'catalyst_worker_restarts_total',
    'counter',
    ['worker'],
    'Worker threads replaced after they failed, by kind: shard, merger, log.',
  ),
  mergeBacklog: spec(
    'catalyst_merge_backlog_epochs',
    'gauge',
    [],
    'Flush epochs closed on the main thread and not yet folded by the merger.',
  ),
  shardHeldEpochs: spec(
    'catalyst_shard_held_epochs_total',
    'counter',
    [],
    'Epochs a shard kept aggregating into its next delta because the merger was behind.',
  ),
  scrapesRefused: spec(
    'catalyst_http_scrapes_refused_total',
    'counter',
    [],
    'GET /metrics answered 503 because --max-concurrent-scrapes responses were being written.',
  ),
  scrapesCut: spec(
    'catalyst_http_scrapes_cut_total',
    'counter',
    [],
    'GET /metrics responses closed unfinished: the reader took no byte for --scrape-write-timeout-ms.',
  ),
  logRecords: spec(
    'catalyst_log_records_total',
    'counter',
    ['service', 'severity'],
    'Pushed log records kept. service comes from traffic, bounded by --logs-max-services; ' +
      'later services count as "other".',
  ),
  logBytes: spec(
    'catalyst_log_received_bytes_total',
    'counter',
    [],
    'Bytes of log bodies handed to the log worker, as received (before gunzip).',
  ),
  logRefused: spec(
    'catalyst_log_refused_total',
    'counter',
    ['reason'],
    'Log records refused, or whole log bodies (bad_gzip, body_too_large), by reason.',
  ),
  logOtherServiceRecords: spec(
    'catalyst_log_other_service_records_total',
    'counter',
    [],
    'Log records counted as service="other" because --logs-max-services was reached.',
  ),
  logFileWrittenRecords: spec(
    'catalyst_log_file_written_records_total',
    'counter',
    [],
    'Log records written to --logs-file.',
  ),
  logFileDroppedRecords: spec(
    'catalyst_log_file_dropped_records_total',
    'counter',
    [],
    'Log records not written to --logs-file: write queue full, or the write failed.',
  ),
  ingestRefused: spec(
    'catalyst_ingest_refused_total',
    'counter',
    ['reason'],
    'Datagrams and connections refused on the main thread by a limit, before reaching a ring.',
  ),
  workerLostRecords: spec(
    'catalyst_worker_lost_records_total',
    'counter',
    [],
    'Ring records a failed shard had consumed but never delivered, or shipped to a merger that died before folding them.',
  ),
  eventLoopDelayP99: spec(
    'catalyst_event_loop_delay_p99_seconds',
    'gauge',
    [],
    'Main-thread event-loop delay, 99th percentile over the last flush interval (10 ms floor: the sampling resolution).',
  ),
  eventLoopDelayMax: spec(
    'catalyst_event_loop_delay_max_seconds',
    'gauge',
    [],
    'Main-thread event-loop delay, maximum over the last flush interval.',
  ),
} as const satisfies Record<string, SelfMetricSpec>;

export type SelfMetricKey = keyof typeof SELF_METRICS;
