import { unpack } from 'msgpackr';
import type { DropReason } from '../../src/errors.js';
import { RecordKind } from '../../src/ring/layout.js';
import type { LabelPairs } from './labels.js';
import { gunzipBody } from './gunzip.js';

/**
 * The JSON push API's body (POST /api/v1/metrics), as JSON or msgpack, gzip or not:
 *
 *   {"samples":[{"name":"jobs_done","type":"counter","value":3,"labels":{"queue":"a"}},
 *               {"name":"queue_depth","type":"gauge","value":7},
 *               {"name":"job_seconds","type":"histogram","observations":[0.2,0.4]}]}
 *
 * Counters are increments and gauges absolute values, as StatsD `c` and `g`; histogram
 * observations are folded as StatsD `h` values. `help` and `unit` are accepted, not used.
 * The schema is in schema/push-v1.json; this parser is its executable form.
 */
export type PushedType = 'counter' | 'gauge' | 'histogram';

export interface PushedSample {
  name: string;
  type: PushedType;
  /** One value for counters and gauges; the observations of a histogram. */
  values: number[];
  /** Sorted by name, each name once (a JSON object cannot repeat a key we keep). */
  labels: LabelPairs;
}

export interface DecodedPush {
  samples: PushedSample[];
  refused: Partial<Record<DropReason, number>>;
  bodyError: string | null;
  firstSampleError: string | null;
}

/** Histograms past this many observations in one sample are refused as bad_value. */
export const MAX_OBSERVATIONS = 100_000;

/** Decodes a push record's payload; never throws on bad traffic. */
export function decodePush(kind: number, payload: Uint8Array): DecodedPush {
  const result: DecodedPush = { samples: [], refused: {}, bodyError: null, firstSampleError: null };
  const isGzip = kind === RecordKind.PushJsonGzip || kind === RecordKind.PushMsgpackGzip;
  const isMsgpack = kind === RecordKind.PushMsgpack || kind === RecordKind.PushMsgpackGzip;

  let bytes = payload;
  if (isGzip) {
    const inflated = gunzipBody(payload);
    if (inflated === null) {
      return refuseBody(result, 'bad_encoding', 'body is not valid gzip, or inflates past 32 MiB');
    }
    bytes = inflated;
  }

  let body: unknown;
  try {
    body = isMsgpack ? unpack(bytes) : JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return refuseBody(
      result,
      'malformed_body',
      `body is not valid ${isMsgpack ? 'msgpack' : 'JSON'}`,
    );
  }
  const samples = (body as { samples?: unknown } | null)?.samples;
  if (typeof body !== 'object' || body === null || !Array.isArray(samples)) {
    return refuseBody(result, 'malformed_body', 'body must be an object with a "samples" array');
  }

  for (let index = 0; index < samples.length; index++) {
    const problem = readSample(samples[index], result.samples);
    if (problem === null) continue;
    result.refused[problem.reason] = (result.refused[problem.reason] ?? 0) + 1;
    result.firstSampleError ??= `samples[${index}]: ${problem.message}`;
  }
  return result;
}

interface SampleProblem {
  reason: DropReason;
  message: string;
}

function readSample(raw: unknown, into: PushedSample[]): SampleProblem | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { reason: 'malformed_sample', message: 'must be an object' };
  }
  const sample = raw as Record<string, unknown>;
  if (typeof sample.name !== 'string' || sample.name === '') {
    return { reason: 'malformed_sample', message: '"name" must be a non-empty string' };
  }
  const labels = readLabels(sample.labels);
  if (labels === null) {
    return { reason: 'malformed_sample', message: '"labels" must map names to strings' };
  }
  if (sample.help !== undefined && typeof sample.help !== 'string') {
    return { reason: 'malformed_sample', message: '"help" must be a string' };
  }
  if (sample.unit !== undefined && typeof sample.unit !== 'string') {
    return { reason: 'malformed_sample', message: '"unit" must be a string' };
  }

  // Counters and gauges carry one value; histograms a list of observations.
  const type = sample.type;
  if (type === 'counter' || type === 'gauge') {
    if (typeof sample.value !== 'number' || !Number.isFinite(sample.value)) {
      return { reason: 'bad_value', message: '"value" must be a finite number' };
    }
    if (type === 'counter' && sample.value < 0) {
      return { reason: 'bad_value', message: 'a counter increment cannot be negative' };
    }
    into.push({ name: sample.name, type, values: [sample.value], labels });
    return null;
  }
  if (type === 'histogram') {
    const observations = sample.observations;
    if (
      !Array.isArray(observations) ||
      observations.length > MAX_OBSERVATIONS ||
      !observations.every((value) => typeof value === 'number' && Number.isFinite(value))
    ) {
      return {
        reason: 'bad_value',
        message: `"observations" must be an array of at most ${MAX_OBSERVATIONS} finite numbers`,
      };
    }
    into.push({ name: sample.name, type, values: observations as number[], labels });
    return null;
  }
  return { reason: 'unknown_type', message: '"type" must be counter, gauge or histogram' };
}

function readLabels(raw: unknown): LabelPairs | null {
  if (raw === undefined) return [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const pairs: LabelPairs = [];
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value !== 'string' || name === '') return null;
    pairs.push([name, value]);
  }
  return pairs;
}

function refuseBody(result: DecodedPush, reason: DropReason, message: string): DecodedPush {
  result.refused[reason] = 1;
  result.bodyError = message;
  return result;
}
