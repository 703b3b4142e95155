import { createRequire } from 'node:module';
import type { DropReason } from '../../src/errors.js';
import type { OtlpPoint } from '../../src/protocol.js';
import { RecordKind } from '../../src/ring/layout.js';
import { translateLabelName, translateMetricName } from './otlp-names.js';
import { gunzipBody } from './gunzip.js';

/**
 * OTLP/HTTP ExportMetricsServiceRequest bodies, protobuf or JSON, into OtlpPoints.
 *
 * Decoding uses the protobufjs code @opentelemetry/otlp-transformer 0.200.0 generates from
 * the opentelemetry-proto definitions (Apache-2.0). The package exports no decoder, so its
 * built file is required by path; pinned exactly so that path cannot move under us.
 */
const require = createRequire(import.meta.url);
const otlpRoot = require('@opentelemetry/otlp-transformer/build/src/generated/root.js');
const REQUEST = otlpRoot.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;

const TEMPORALITY_DELTA = 1;
const TO_OBJECT = { longs: Number, enums: Number, defaults: false, arrays: true };

export interface DecodedOtlp {
  points: Array<Omit<OtlpPoint, 'order'>>;
  refused: Partial<Record<DropReason, number>>;
  bodyError: string | null;
  firstSampleError: string | null;
}

type Attribute = { key: string; value?: AnyValue };
type AnyValue = Record<string, unknown>;
type DataPoint = Record<string, unknown> & { attributes?: Attribute[] };
type Metric = Record<string, any> & { name?: string; unit?: string; description?: string };

export function decodeOtlp(kind: number, payload: Uint8Array): DecodedOtlp {
  const result: DecodedOtlp = { points: [], refused: {}, bodyError: null, firstSampleError: null };
  let bytes = payload;
  if (kind === RecordKind.PushOtlpProtoGzip || kind === RecordKind.PushOtlpJsonGzip) {
    const inflated = gunzipBody(payload);
    if (inflated === null) {
      return refuseBody(result, 'bad_encoding', 'body is not valid gzip, or inflates past 32 MiB');
    }
    bytes = inflated;
  }

  const isJson = kind === RecordKind.PushOtlpJson || kind === RecordKind.PushOtlpJsonGzip;
  let request: { resourceMetrics?: Array<Record<string, any>> };
  try {
    const message = isJson
      ? REQUEST.fromObject(JSON.parse(Buffer.from(bytes).toString('utf8')))
      : REQUEST.decode(bytes);
    request = REQUEST.toObject(message, TO_OBJECT);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return refuseBody(
      result,
      'malformed_body',
      `body is not a valid ExportMetricsServiceRequest (${isJson ? 'JSON' : 'protobuf'}): ${why}`,
    );
  }

  for (const resourceMetrics of request.resourceMetrics ?? []) {
    const resource = resourceLabels(resourceMetrics.resource?.attributes ?? []);
    if (resource.info !== null) result.points.push(resource.info);
    for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) {
      for (const metric of scopeMetrics.metrics ?? []) readMetric(metric, resource.labels, result);
    }
  }
  return result;
}

/**
 * `job` is service.namespace/service.name (or service.name alone), `instance` is
 * service.instance.id; the other resource attributes label one `target_info` gauge.
 */
function resourceLabels(attributes: Attribute[]): {
  labels: Map<string, string>;
  info: Omit<OtlpPoint, 'order'> | null;
} {
  const byKey = new Map(attributes.map((a) => [a.key, stringOf(a.value)]));
  const labels = new Map<string, string>();
  const name = byKey.get('service.name');
  const namespace = byKey.get('service.namespace');
  if (name !== undefined) labels.set('job', namespace ? `${namespace}/${name}` : name);
  const instance = byKey.get('service.instance.id');
  if (instance !== undefined) labels.set('instance', instance);
  if (labels.size === 0) return { labels, info: null };

  const infoLabels = new Map(labels);
  for (const [key, value] of byKey) {
    if (key === 'service.name' || key === 'service.namespace' || key === 'service.instance.id') {
      continue;
    }
    infoLabels.set(translateLabelName(key), value);
  }
  const info = point('set', 'target_info', 'gauge', 'Target metadata', infoLabels, 1);
  return { labels, info };
}

/** One metric's points: five data kinds, each with its own translation. */
function readMetric(metric: Metric, resource: Map<string, string>, result: DecodedOtlp): void {
  const name = metric.name ?? '';
  const unit = metric.unit ?? '';
  const help = metric.description ?? '';
  const refuse = (message: string, count: number): void => {
    result.refused.unsupported_point = (result.refused.unsupported_point ?? 0) + count;
    result.firstSampleError ??= `metric ${JSON.stringify(name)}: ${message}`;
  };
  if (name === '') {
    refuse('a metric needs a name', 1);
    return;
  }

  // Gauge: the last value. Sum: monotonic → counter, else gauge; delta adds, cumulative sets.
  if (metric.gauge !== undefined || metric.sum !== undefined) {
    const isSum = metric.sum !== undefined;
    const data = isSum ? metric.sum : metric.gauge;
    const isCounter = isSum && data.isMonotonic === true;
    const family = translateMetricName(name, unit, isCounter, !isCounter);
    const mode = isSum && data.aggregationTemporality === TEMPORALITY_DELTA ? 'add' : 'set';
    for (const dataPoint of (data.dataPoints ?? []) as DataPoint[]) {
      const value = numberOf(dataPoint);
      if (value === null) {
        refuse('a number data point without a value', 1);
        continue;
      }
      const labels = pointLabels(dataPoint, resource);
      result.points.push(point(mode, family, isCounter ? 'counter' : 'gauge', help, labels, value));
    }
    return;
  }

  // Explicit-bucket histogram: bounds and per-bucket counts as sent.
  if (metric.histogram !== undefined) {
    const family = translateMetricName(name, unit, false, false);
    const mode = metric.histogram.aggregationTemporality === TEMPORALITY_DELTA ? 'add' : 'set';
    for (const dataPoint of (metric.histogram.dataPoints ?? []) as DataPoint[]) {
      const bounds = (dataPoint.explicitBounds as number[] | undefined) ?? [];
      const counts = (dataPoint.bucketCounts as number[] | undefined) ?? [];
      if (counts.length !== bounds.length + 1) {
        refuse('histogram bucket counts do not match its bounds', 1);
        continue;
      }
      const labels = pointLabels(dataPoint, resource);
      const sum = (dataPoint.sum as number | undefined) ?? 0;
      const histogram = point(mode, family, 'histogram', help, labels, sum);
      histogram.count = (dataPoint.count as number | undefined) ?? 0;
      histogram.bounds = bounds;
      histogram.counts = counts;
      result.points.push(histogram);
    }
    return;
  }

  // Summary: quantiles as sent, always absolute.
  if (metric.summary !== undefined) {
    const family = translateMetricName(name, unit, false, false);
    for (const dataPoint of (metric.summary.dataPoints ?? []) as DataPoint[]) {
      const quantiles =
        (dataPoint.quantileValues as Array<{ quantile?: number; value?: number }>) ?? [];
      const summary = point(
        'set',
        family,
        'summary',
        help,
        pointLabels(dataPoint, resource),
        (dataPoint.sum as number) ?? 0,
      );
      summary.count = (dataPoint.count as number | undefined) ?? 0;
      summary.bounds = quantiles.map((q) => q.quantile ?? 0);
      summary.counts = quantiles.map((q) => q.value ?? 0);
      result.points.push(summary);
    }
    return;
  }

  // LIMITATION: exponential histograms are refused, not converted to explicit buckets;
  // an SDK configured for them must use explicit-bucket aggregation to reach /metrics.
  const points = metric.exponentialHistogram?.dataPoints?.length ?? 1;
  refuse('exponential histograms are not supported; use explicit buckets', points);
}

function point(
  mode: OtlpPoint['mode'],
  family: string,
  type: OtlpPoint['type'],
  help: string,
  labels: Map<string, string>,
  value: number,
): Omit<OtlpPoint, 'order'> {
  const flat = [...labels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).flat();
  return { mode, family, type, help, labels: flat, value, count: 0, bounds: [], counts: [] };
}

/** The point's attributes as labels; the resource's job and instance win. */
function pointLabels(dataPoint: DataPoint, resource: Map<string, string>): Map<string, string> {
  const labels = new Map<string, string>();
  for (const attribute of dataPoint.attributes ?? []) {
    labels.set(translateLabelName(attribute.key), stringOf(attribute.value));
  }
  for (const [name, value] of resource) labels.set(name, value);
  return labels;
}

function numberOf(dataPoint: DataPoint): number | null {
  if (typeof dataPoint.asDouble === 'number') return dataPoint.asDouble;
  if (typeof dataPoint.asInt === 'number') return dataPoint.asInt;
  return null;
}

function stringOf(value: AnyValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value.stringValue === 'string') return value.stringValue;
  if (value.boolValue !== undefined) return String(value.boolValue);
  if (value.intValue !== undefined) return String(value.intValue);
  if (value.doubleValue !== undefined) return String(value.doubleValue);
  return JSON.stringify(value);
}

function refuseBody(result: DecodedOtlp, reason: DropReason, message: string): DecodedOtlp {
  result.refused[reason] = 1;
  result.bodyError = message;
  return result;
}
