import { describe, expect, it } from 'vitest';
import type { ParseReason } from '../../../../src/errors.js';
import {
  createParsedLine,
  parseStatsdLine,
  type LineKind,
  type MetricType,
  type ParsedLine,
} from '../../../../workers/parse/statsd-line.js';

/**
 * The fields of a ParsedLine a caller may read after a successful parse. The rest is scratch
 * left from earlier lines: values past valueCount, setMember of a non-set, anything of an event.
 */
interface Observed {
  kind: LineKind;
  name?: string;
  type?: MetricType;
  values?: number[];
  isDelta?: boolean[];
  setMember?: string;
  sampleRate?: number;
  dogTags?: string;
  influxTags?: string;
}

interface Row {
  case: string;
  line: string;
  expected: Observed | ParseReason;
}

function metric(
  name: string,
  type: MetricType,
  values: number[],
  extra: Partial<Observed> = {},
): Observed {
  return {
    kind: 'metric',
    name,
    type,
    values,
    isDelta: values.map(() => false),
    sampleRate: 1,
    dogTags: '',
    influxTags: '',
    ...extra,
  };
}

function set(name: string, member: string, extra: Partial<Observed> = {}): Observed {
  return { ...metric(name, 's', [], extra), setMember: member };
}

function serviceCheck(name: string, status: number, dogTags = ''): Observed {
  return { ...metric(name, 'g', [status], { dogTags }), kind: 'service_check' };
}

const EVENT: Observed = { kind: 'event' };

function observe(out: ParsedLine): Observed {
  if (out.kind === 'event') return EVENT;
  const observed: Observed = {
    kind: out.kind,
    name: out.name,
    type: out.type,
    values: out.values.slice(0, out.valueCount),
    isDelta: out.isDelta.slice(0, out.valueCount),
    sampleRate: out.sampleRate,
    dogTags: out.dogTags,
    influxTags: out.influxTags,
  };
  if (out.type === 's' && out.kind === 'metric') observed.setMember = out.setMember;
  return observed;
}

const TYPES: Row[] = [
  { case: 'reads a counter increment', line: 'hits:1|c', expected: metric('hits', 'c', [1]) },
  { case: 'reads an absolute gauge', line: 'temp:21.5|g', expected: metric('temp', 'g', [21.5]) },
  { case: 'reads a timer in ms', line: 'latency:320|ms', expected: metric('latency', 'ms', [320]) },
  { case: 'reads a histogram value', line: 'size:2048|h', expected: metric('size', 'h', [2048]) },
  {
    case: 'reads a distribution',
    line: 'payload:0.25|d',
    expected: metric('payload', 'd', [0.25]),
  },
  { case: 'reads a set member', line: 'users:alice|s', expected: set('users', 'alice') },
  {
    case: 'keeps the name as received; sanitising is the shard’s job',
    line: 'api.requests-total:1|c',
    expected: metric('api.requests-total', 'c', [1]),
  },
];

const SAMPLE_RATES: Row[] = [
  {
    case: 'reads a sample rate',
    line: 'hits:1|c|@0.1',
    expected: metric('hits', 'c', [1], { sampleRate: 0.1 }),
  },
  {
    case: 'accepts a sample rate of exactly 1',
    line: 'hits:1|c|@1',
    expected: metric('hits', 'c', [1]),
  },
  {
    case: 'accepts a sample rate with a leading dot',
    line: 'lat:5|ms|@.25',
    expected: metric('lat', 'ms', [5], { sampleRate: 0.25 }),
  },
  {
    case: 'keeps a gauge’s sample rate for the shard to ignore',
    line: 'temp:3|g|@0.5',
    expected: metric('temp', 'g', [3], { sampleRate: 0.5 }),
  },
  { case: 'refuses a sample rate of 0', line: 'hits:1|c|@0', expected: 'bad_sample_rate' },
  { case: 'refuses a sample rate above 1', line: 'hits:1|c|@1.5', expected: 'bad_sample_rate' },
  { case: 'refuses a negative sample rate', line: 'hits:1|c|@-0.5', expected: 'bad_sample_rate' },
  { case: 'refuses a sample rate without digits', line: 'hits:1|c|@', expected: 'bad_sample_rate' },
  {
    case: 'refuses a sample rate that is not a number',
    line: 'hits:1|c|@x',
    expected: 'bad_sample_rate',
  },
  { case: 'refuses a NaN sample rate', line: 'hits:1|c|@NaN', expected: 'bad_sample_rate' },
  {
    case: 'refuses a bad sample rate on a set too',
    line: 'users:alice|s|@2',
    expected: 'bad_sample_rate',
  },
];

const GAUGES: Row[] = [
  {
    case: 'reads +N on a gauge as a delta',
    line: 'temp:+4|g',
    expected: metric('temp', 'g', [4], { isDelta: [true] }),
  },
  {
    case: 'reads -N on a gauge as a delta',
    line: 'temp:-4.5|g',
    expected: metric('temp', 'g', [-4.5], { isDelta: [true] }),
  },
  {
    case: 'reads -0 on a gauge as a delta of zero',
    line: 'temp:-0|g',
    expected: metric('temp', 'g', [-0], { isDelta: [true] }),
  },
  {
    case: 'reads a packed gauge set then delta in order',
    line: 'temp:5:+1|g',
    expected: metric('temp', 'g', [5, 1], { isDelta: [false, true] }),
  },
  {
    case: 'marks only signed values of a packed gauge as deltas',
    line: 'temp:-2:7:+3|g',
    expected: metric('temp', 'g', [-2, 7, 3], { isDelta: [true, false, true] }),
  },
];

const COUNTERS: Row[] = [
  { case: 'refuses a negative counter increment', line: 'hits:-1|c', expected: 'bad_value' },
  { case: 'refuses a counter increment of -0', line: 'hits:-0|c', expected: 'bad_value' },
  {
    case: 'refuses a packed counter when one increment is negative',
    line: 'hits:1:-2|c',
    expected: 'bad_value',
  },
  {
    case: 'accepts an explicit + on a counter, not as a delta',
    line: 'hits:+2|c',
    expected: metric('hits', 'c', [2]),
  },
  {
    case: 'accepts a fractional counter increment',
    line: 'hits:0.5|c',
    expected: metric('hits', 'c', [0.5]),
  },
  {
    case: 'accepts a negative timer value',
    line: 'lat:-3|ms',
    expected: metric('lat', 'ms', [-3]),
  },
];

const PACKED: Row[] = [
  {
    case: 'reads every value of a packed distribution',
    line: 'lat:1:2:3|d',
    expected: metric('lat', 'd', [1, 2, 3]),
  },
  {
    case: 'reads every value of a packed counter',
    line: 'hits:1:2|c|@0.5',
    expected: metric('hits', 'c', [1, 2], { sampleRate: 0.5 }),
  },
  { case: 'refuses a packed line with an empty value', line: 'lat:1::3|d', expected: 'bad_value' },
  { case: 'refuses a packed line with a trailing colon', line: 'lat:1:|d', expected: 'bad_value' },
  { case: 'refuses a packed line with one NaN', line: 'lat:1:NaN|ms', expected: 'bad_value' },
];

const SETS: Row[] = [
  {
    case: 'keeps a set member verbatim, colons included',
    line: 'users:a:b:c|s',
    expected: set('users', 'a:b:c'),
  },
  {
    case: 'keeps a set member verbatim, spaces and all',
    line: 'users: Alice Smith |s',
    expected: set('users', ' Alice Smith '),
  },
  { case: 'keeps a numeric set member as text', line: 'ids:0042|s', expected: set('ids', '0042') },
  {
    case: 'reads a set member with tags after it',
    line: 'users:alice|s|#env:prod',
    expected: set('users', 'alice', { dogTags: 'env:prod' }),
  },
  { case: 'refuses a set with an empty member', line: 'users:|s', expected: 'bad_value' },
];

const VALUES: Row[] = [
  { case: 'refuses an empty value', line: 'hits:|c', expected: 'bad_value' },
  { case: 'refuses NaN', line: 'temp:NaN|g', expected: 'bad_value' },
  { case: 'refuses Infinity', line: 'temp:Infinity|g', expected: 'bad_value' },
  { case: 'refuses -Infinity', line: 'temp:-Infinity|g', expected: 'bad_value' },
  {
    case: 'refuses 1e309, which overflows to Infinity',
    line: 'lat:1e309|ms',
    expected: 'bad_value',
  },
  { case: 'refuses -1e309 on a gauge', line: 'temp:-1e309|g', expected: 'bad_value' },
  { case: 'refuses a hex value', line: 'hits:0x10|c', expected: 'bad_value' },
  { case: 'refuses a leading space', line: 'hits: 1|c', expected: 'bad_value' },
  { case: 'refuses a trailing space', line: 'hits:1 |c', expected: 'bad_value' },
  { case: 'refuses a decimal comma', line: 'temp:1,5|g', expected: 'bad_value' },
  { case: 'refuses digit separators', line: 'hits:1_000|c', expected: 'bad_value' },
  { case: 'refuses a lone dot', line: 'temp:.|g', expected: 'bad_value' },
  { case: 'refuses an exponent without digits', line: 'temp:1e|g', expected: 'bad_value' },
  { case: 'refuses a lone sign', line: 'temp:+|g', expected: 'bad_value' },
  { case: 'refuses a doubled sign', line: 'temp:--1|g', expected: 'bad_value' },
  {
    case: 'reads an exponent',
    line: 'size:1.5e3|h',
    expected: metric('size', 'h', [1500]),
  },
  {
    case: 'reads a trailing dot',
    line: 'size:5.|h',
    expected: metric('size', 'h', [5]),
  },
  {
    case: 'reads a value of more than fifteen digits',
    line: 'size:1234567890123456789|h',
    expected: metric('size', 'h', [1234567890123456789]),
  },
];

const DOGSTATSD: Row[] = [
  {
    case: 'keeps DogStatsD tags verbatim, bare tags included',
    line: 'hits:1|c|#k:v,k2:v2,bare',
    expected: metric('hits', 'c', [1], { dogTags: 'k:v,k2:v2,bare' }),
  },
  {
    case: 'keeps the colons inside a tag value',
    line: 'hits:1|c|#url:http://x',
    expected: metric('hits', 'c', [1], { dogTags: 'url:http://x' }),
  },
  {
    case: 'accepts and ignores a container id field',
    line: 'hits:1|c|c:83c0a99c0a54c0c187f461c7980e9b57f3f6a8b0c918c8d93df19a9de6f3fe1d',
    expected: metric('hits', 'c', [1]),
  },
  {
    case: 'accepts and ignores a timestamp field',
    line: 'hits:1|c|T1656581400',
    expected: metric('hits', 'c', [1]),
  },
  {
    case: 'reads rate and tags among ignored fields, in any order',
    line: 'hits:2|c|T1656581400|#env:prod|c:abc|@0.5',
    expected: metric('hits', 'c', [2], { sampleRate: 0.5, dogTags: 'env:prod' }),
  },
  {
    case: 'skips an unknown field',
    line: 'hits:1|c|x:whatever|#env:prod',
    expected: metric('hits', 'c', [1], { dogTags: 'env:prod' }),
  },
  {
    case: 'skips an empty field',
    line: 'hits:1|c||#env:prod',
    expected: metric('hits', 'c', [1], { dogTags: 'env:prod' }),
  },
  { case: 'accepts a trailing pipe', line: 'hits:1|c|', expected: metric('hits', 'c', [1]) },
  {
    case: 'reads an empty tag field as no tags',
    line: 'hits:1|c|#',
    expected: metric('hits', 'c', [1]),
  },
];

const EVENTS: Row[] = [
  { case: 'counts an event', line: '_e{5,4}:title|text', expected: EVENT },
  {
    case: 'counts an event with metadata fields after its text',
    line: '_e{5,4}:title|text|d:1656581400|p:low|t:warning|#env:dev',
    expected: EVENT,
  },
  { case: 'counts an event with an empty text', line: '_e{5,0}:title|', expected: EVENT },
  {
    case: 'counts an event whose text holds a pipe within its length',
    line: '_e{5,9}:title|text|more',
    expected: EVENT,
  },
  { case: 'measures event lengths in UTF-8 bytes', line: '_e{6,4}:héllo|text', expected: EVENT },
  { case: 'counts an astral character as four bytes', line: '_e{4,1}:😀|x', expected: EVENT },
  { case: 'refuses an event without "}:"', line: '_e{5,4}title|text', expected: 'malformed_line' },
  { case: 'refuses an event with one length', line: '_e{5}:title', expected: 'malformed_line' },
  {
    case: 'refuses an event with an empty title',
    line: '_e{0,4}:|text',
    expected: 'malformed_line',
  },
  {
    case: 'refuses an event with a non-numeric length',
    line: '_e{a,4}:title|text',
    expected: 'malformed_line',
  },
  {
    case: 'refuses an event with a negative length',
    line: '_e{5,-1}:title|',
    expected: 'malformed_line',
  },
  {
    case: 'refuses an event with a fractional length',
    line: '_e{4.5,4}:title|text',
    expected: 'malformed_line',
  },
  {
    case: 'refuses an event cut inside its text',
    line: '_e{5,4}:title|te',
    expected: 'malformed_line',
  },
  {
    case: 'refuses an event cut inside its title',
    line: '_e{5,4}:tit',
    expected: 'malformed_line',
  },
  {
    case: 'refuses an event whose title is longer than declared',
    line: '_e{4,4}:title|text',
    expected: 'malformed_line',
  },
  {
    case: 'refuses an event whose text is longer than declared',
    line: '_e{5,2}:title|text',
    expected: 'malformed_line',
  },
  {
    case: 'refuses an event whose lengths count characters, not bytes',
    line: '_e{5,4}:héllo|text',
    expected: 'malformed_line',
  },
];

const SERVICE_CHECKS: Row[] = [
  {
    case: 'reads a service check as its status, with tags',
    line: '_sc|db.up|2|#env:dev|m:msg',
    expected: serviceCheck('db.up', 2, 'env:dev'),
  },
  { case: 'reads a bare service check', line: '_sc|db.up|0', expected: serviceCheck('db.up', 0) },
  {
    case: 'skips a service check’s timestamp, host and message fields',
    line: '_sc|db.up|1|d:1656581400|h:web-1|#env:dev,role:db|m:disk: full',
    expected: serviceCheck('db.up', 1, 'env:dev,role:db'),
  },
  { case: 'reads the unknown status 3', line: '_sc|db.up|3', expected: serviceCheck('db.up', 3) },
  { case: 'refuses a service check status of 4', line: '_sc|db.up|4', expected: 'bad_value' },
  { case: 'refuses a negative service check status', line: '_sc|db.up|-1', expected: 'bad_value' },
  { case: 'refuses a textual service check status', line: '_sc|db.up|ok', expected: 'bad_value' },
  { case: 'refuses an empty service check status', line: '_sc|db.up|', expected: 'bad_value' },
  {
    case: 'refuses a service check without a status',
    line: '_sc|db.up',
    expected: 'malformed_line',
  },
  { case: 'refuses a service check without a name', line: '_sc||0', expected: 'malformed_line' },
];

const INFLUX: Row[] = [
  {
    case: 'splits InfluxDB-style tags off the name',
    line: 'hits,k=v,k2=v2:1|c',
    expected: metric('hits', 'c', [1], { influxTags: 'k=v,k2=v2' }),
  },
  {
    case: 'keeps InfluxDB-style and DogStatsD tags apart',
    line: 'hits,region=eu:1|c|#env:prod',
    expected: metric('hits', 'c', [1], { influxTags: 'region=eu', dogTags: 'env:prod' }),
  },
  {
    case: 'reads a trailing comma after the name as no tags',
    line: 'hits,:1|c',
    expected: metric('hits', 'c', [1]),
  },
  {
    case: 'refuses InfluxDB-style tags without a name',
    line: ',k=v:1|c',
    expected: 'malformed_line',
  },
];

const STRUCTURE: Row[] = [
  { case: 'refuses an unknown type', line: 'hits:1|x', expected: 'unknown_type' },
  { case: 'refuses an upper-case type', line: 'hits:1|C', expected: 'unknown_type' },
  { case: 'refuses a type with a suffix', line: 'lat:1|mss', expected: 'unknown_type' },
  { case: 'refuses an empty type', line: 'hits:1|', expected: 'unknown_type' },
  {
    case: 'reports an unknown type before a bad value',
    line: 'hits:x|q',
    expected: 'unknown_type',
  },
  { case: 'refuses a line without a colon', line: 'hits|c', expected: 'malformed_line' },
  { case: 'refuses a line without a pipe', line: 'hits:1', expected: 'malformed_line' },
  { case: 'refuses an empty name', line: ':1|c', expected: 'malformed_line' },
  { case: 'refuses an empty line', line: '', expected: 'malformed_line' },
  { case: 'refuses a pipe inside the name', line: 'a|b:1|c', expected: 'malformed_line' },
  {
    case: 'refuses a line without a value whose tags hold a colon',
    line: 'hits|c|#env:1|c',
    expected: 'malformed_line',
  },
];

// Parsed into a second ParsedLine before each row: the hot path reuses one ParsedLine, so a
// parse that forgets to reset a field must show up.
const BUSY_LINE = 'busy,zone=a:1:2:+3|g|@0.5|#k:v';

const TABLES: Array<[string, Row[]]> = [
  ['types', TYPES],
  ['sample rates', SAMPLE_RATES],
  ['gauges', GAUGES],
  ['counters', COUNTERS],
  ['packed values', PACKED],
  ['sets', SETS],
  ['values', VALUES],
  ['DogStatsD fields', DOGSTATSD],
  ['events', EVENTS],
  ['service checks', SERVICE_CHECKS],
  ['InfluxDB-style tags', INFLUX],
  ['line structure', STRUCTURE],
];

describe('parseStatsdLine', () => {
  for (const [table, rows] of TABLES) {
    describe(table, () => {
      for (const { case: name, line, expected } of rows) {
        it(name, () => {
          const fresh = createParsedLine();
          const reused = createParsedLine();
          expect(parseStatsdLine(BUSY_LINE, reused)).toBeNull();

          const isRefused = typeof expected === 'string';
          expect(parseStatsdLine(line, fresh)).toBe(isRefused ? expected : null);
          expect(parseStatsdLine(line, reused)).toBe(isRefused ? expected : null);
          if (isRefused) return;
          expect(observe(fresh)).toEqual(expected);
          expect(observe(reused)).toEqual(expected);
        });
      }
    });
  }

  it('reads values from a ParsedLine whose arrays are longer than the line needs', () => {
    const out = createParsedLine();
    expect(parseStatsdLine('lat:1:2:3:4:5|d', out)).toBeNull();
    expect(parseStatsdLine('lat:9|d', out)).toBeNull();

    expect(out.valueCount).toBe(1);
    expect(out.values[0]).toBe(9);
  });
});
