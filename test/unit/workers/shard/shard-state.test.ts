import { describe, expect, it } from 'vitest';
import { parseMappingText } from '../../../../src/config/mapping-file.js';
import { PARSE_REASONS, type ParseReason } from '../../../../src/errors.js';
import {
  COUNTER_ROW,
  GAUGE_RECORD_HEAD,
  SeriesKind,
  type ShardDelta,
  type ShardStats,
} from '../../../../src/protocol.js';
import {
  DEFAULT_SAMPLE_LIMITS,
  type SampleLimits,
} from '../../../../workers/parse/sample-limits.js';
import { createParsedLine, parseStatsdLine } from '../../../../workers/parse/statsd-line.js';
import { LINES_PER_RECORD, ShardState } from '../../../../workers/shard/shard-state.js';
import {
  HOSTILE_STATSD,
  MAX_UDP_PAYLOAD_BYTES,
  NEIGHBOUR_LINE,
  NEIGHBOUR_METRIC,
  type HostileName,
} from '../../../fixtures/hostile-statsd.js';

const UDP = 0;
const TCP = 1;
const BUCKETS = [0.01, 0.1, 1];

function newState(keepsGaugeOrder = false, limits = DEFAULT_SAMPLE_LIMITS): ShardState {
  return new ShardState({ histogramBuckets: BUCKETS, keepsGaugeOrder, limits });
}

function deltaOf(text: string, transport = UDP, limits = DEFAULT_SAMPLE_LIMITS): ShardDelta {
  const state = newState(false, limits);
  state.ingestStatsd(text, transport, 0);
  return state.takeDelta(3, 1, 7);
}

function rowsOf(data: Float64Array, stride: number): number[][] {
  const rows: number[][] = [];
  for (let at = 0; at < data.length; at += stride) rows.push([...data.subarray(at, at + stride)]);
  return rows;
}

interface GaugeRecord {
  id: number;
  samples: number;
  hasSet: boolean;
  setOrder: number;
  setValue: number;
  log: number[];
}

function gaugeRecordsOf(data: Float64Array): GaugeRecord[] {
  const records: GaugeRecord[] = [];
  let at = 0;
  while (at < data.length) {
    const pairs = data[at + 5];
    const logStart = at + GAUGE_RECORD_HEAD;
    records.push({
      id: data[at],
      samples: data[at + 1],
      hasSet: data[at + 2] === 1,
      setOrder: data[at + 3],
      setValue: data[at + 4],
      log: [...data.subarray(logStart, logStart + pairs * 2)],
    });
    at = logStart + pairs * 2;
  }
  return records;
}

function errorsOf(stats: ShardStats, transport: number): Record<ParseReason, number> {
  const errors = {} as Record<ParseReason, number>;
  PARSE_REASONS.forEach((reason, i) => (errors[reason] = stats.parseErrors[transport][i]));
  return errors;
}

function noErrors(): Record<ParseReason, number> {
  return Object.fromEntries(PARSE_REASONS.map((reason) => [reason, 0])) as Record<
    ParseReason,
    number
  >;
}

/** The counter row [samples, sum] of the series `name{labels}`, or null when it has none. */
function counterOf(delta: ShardDelta, name: string, labels: string[] = []): number[] | null {
  const definition = delta.definitions.find(
    (d) =>
      d.kind === SeriesKind.Counter &&
      d.name === name &&
      JSON.stringify(d.labels) === JSON.stringify(labels),
  );
  if (definition === undefined) return null;
  const row = rowsOf(delta.counters, COUNTER_ROW).find(([id]) => id === definition.id);
  return row === undefined ? null : row.slice(1);
}

function definitionNamed(delta: ShardDelta, name: string): ShardDelta['definitions'][number] {
  const found = delta.definitions.filter((d) => d.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('ShardState counters', () => {
  it('sums increments per series, each scaled by 1 / sample rate', () => {
    const delta = deltaOf('hits:1|c\nhits:2|c|@0.5\nmisses:3|c');

    expect(rowsOf(delta.counters, COUNTER_ROW)).toEqual([
      [0, 2, 5],
      [4, 1, 3],
    ]);
    expect(delta.stats.samples).toBe(3);
  });

  it('counts every value of a packed line as a sample', () => {
    const delta = deltaOf('hits:1:2:3|c|@0.5');

    expect(rowsOf(delta.counters, COUNTER_ROW)).toEqual([[0, 3, 12]]);
    expect(delta.stats.samples).toBe(3);
  });
});

describe('ShardState histograms', () => {
  it('observes timers in seconds, weighted by 1 / sample rate, le inclusive', () => {
    const delta = deltaOf('lat:250|ms|@0.5\nlat:100|ms\nlat:5|ms\nlat:2500|ms');

    // Row: id, samples, sum, count, then the buckets 0.01, 0.1, 1 and +Inf.
    expect(delta.histogramStride).toBe(8);
    expect(rowsOf(delta.histograms, 8)).toEqual([
      [2, 4, 0.25 * 2 + 0.1 + 0.005 + 2.5, 5, 1, 1, 2, 1],
    ]);
  });

  it('observes histogram and distribution values in their own unit', () => {
    const delta = deltaOf('size:2|h\npayload:0.05:0.5|d');

    expect(rowsOf(delta.histograms, 8)).toEqual([
      [2, 1, 2, 1, 0, 0, 0, 1],
      [6, 2, 0.55, 2, 0, 1, 1, 0],
    ]);
    expect(delta.stats.samples).toBe(3);
  });
});

describe('ShardState gauges', () => {
  it('folds the deltas after the last set into one entry with a single shard', () => {
    const delta = deltaOf('temp:7|g\ntemp:5|g\ntemp:+2|g|@0.5\ntemp:-1|g');

    expect(gaugeRecordsOf(delta.gauges)).toEqual([
      { id: 1, samples: 4, hasSet: true, setOrder: 1, setValue: 5, log: [2, 1] },
    ]);
  });

  it('keeps one delta entry per record, at its stream position, with several shards', () => {
    const state = newState(true);
    state.ingestStatsd('temp:+1|g\ntemp:+2|g', UDP, 0);
    state.ingestStatsd('other:1|c\ntemp:-4|g', UDP, 3 * LINES_PER_RECORD);

    const delta = state.takeDelta(0, 1, 1);
    expect(gaugeRecordsOf(delta.gauges)).toEqual([
      {
        id: 1,
        samples: 3,
        hasSet: false,
        setOrder: 0,
        setValue: 0,
        log: [0, 3, 3 * LINES_PER_RECORD + 1, -4],
      },
    ]);
  });

  it('applies a packed set and delta in the order written', () => {
    const delta = deltaOf('temp:5:+1|g');

    expect(gaugeRecordsOf(delta.gauges)).toEqual([
      { id: 1, samples: 2, hasSet: true, setOrder: 0, setValue: 5, log: [0, 1] },
    ]);
  });
});

describe('ShardState sets', () => {
  it('keeps each distinct member once and counts every sample, ignoring @rate', () => {
    const delta = deltaOf('users:alice|s\nusers:bob|s|@0.5\nusers:alice|s\nusers:a:b|s');

    expect(delta.sets).toEqual([[3, 4, ['alice', 'bob', 'a:b']]]);
    expect(delta.stats.samples).toBe(4);
  });
});

describe('ShardState definitions', () => {
  it('defines a series with its sanitised name, sorted labels and first stream position', () => {
    const state = newState();
    state.ingestStatsd(
      'other:1|g\napi.requests-total,region=eu:1|c|#env:prod,Host:web-1,le:x',
      UDP,
      2 * LINES_PER_RECORD,
    );

    expect(state.takeDelta(0, 1, 1).definitions).toEqual([
      {
        id: 1,
        kind: SeriesKind.Gauge,
        name: 'other',
        labels: [],
        firstOrder: 2 * LINES_PER_RECORD,
      },
      {
        id: 0,
        kind: SeriesKind.Counter,
        name: 'api_requests_total',
        labels: ['Host', 'web-1', 'env', 'prod', 'exported_le', 'x', 'region', 'eu'],
        firstOrder: 2 * LINES_PER_RECORD + 1,
      },
    ]);
  });

  it('maps every spelling of one label set to one series, defined once', () => {
    const delta = deltaOf(
      [
        'api.hits,region=eu:1|c|#env:prod',
        'api.hits:2|c|#region:eu,env:prod',
        'api-hits:4|c|#env:prod,region:eu,bare',
      ].join('\n'),
    );

    expect(delta.definitions).toHaveLength(1);
    expect(rowsOf(delta.counters, COUNTER_ROW)).toEqual([[0, 3, 7]]);
  });

  it('keeps a series defined across deltas and ships its definition only once', () => {
    const state = newState();
    state.ingestStatsd('hits:1|c|#env:prod', UDP, 0);
    expect(state.takeDelta(0, 1, 1).definitions).toHaveLength(1);

    state.ingestStatsd('hits:2|c|#env:prod', UDP, 0);
    const second = state.takeDelta(0, 1, 2);
    expect(second.definitions).toEqual([]);
    expect(rowsOf(second.counters, COUNTER_ROW)).toEqual([[0, 1, 2]]);
  });

  it('keeps the same name as distinct series per type', () => {
    const delta = deltaOf('dual:1|c\ndual:1|g');

    expect(delta.definitions.map((d) => [d.id, d.kind, d.name])).toEqual([
      [0, SeriesKind.Counter, 'dual'],
      [1, SeriesKind.Gauge, 'dual'],
    ]);
  });

  it('turns a service check into service_check_status with a check label', () => {
    const delta = deltaOf('_sc|db.up|2|#env:dev,check:ignored|m:msg');

    expect(delta.definitions).toEqual([
      {
        id: 1,
        kind: SeriesKind.Gauge,
        name: 'service_check_status',
        labels: ['check', 'db.up', 'env', 'dev'],
        firstOrder: 0,
      },
    ]);
    expect(gaugeRecordsOf(delta.gauges)).toEqual([
      { id: 1, samples: 1, hasSet: true, setOrder: 0, setValue: 2, log: [] },
    ]);
    expect(delta.stats.serviceChecks).toBe(1);
    expect(delta.stats.samples).toBe(1);
  });
});

describe('ShardState stats', () => {
  it('counts lines and parse errors by transport and reason', () => {
    const delta = deltaOf('ok:1|c\nbad:-1|c\nbad:1|x\nbad\nbad:1|c|@2\nbad:|g', TCP);

    expect(delta.stats.lines).toEqual([0, 6]);
    expect(errorsOf(delta.stats, UDP)).toEqual(noErrors());
    expect(errorsOf(delta.stats, TCP)).toEqual({
      ...noErrors(),
      malformed_line: 1,
      bad_value: 2,
      bad_sample_rate: 1,
      unknown_type: 1,
    });
    expect(delta.stats.samples).toBe(1);
  });

  it('counts an event and stores nothing for it', () => {
    const delta = deltaOf('_e{5,4}:title|text\n_e{5,4}:title|te');

    expect(delta.stats.events).toBe(1);
    expect(delta.stats.lines).toEqual([2, 0]);
    expect(errorsOf(delta.stats, UDP).malformed_line).toBe(1);
    expect(delta.definitions).toEqual([]);
    expect(delta.stats.samples).toBe(0);
  });

  it('counts dropped tags on every line that carries them, not once per series', () => {
    const line = 'tagged:1|c|#env:prod,bare,k:';
    const state = newState();
    state.ingestStatsd(`${line}\n${line}\ntagged,x:1|c`, UDP, 0);
    expect(state.takeDelta(0, 1, 1).stats.droppedTags).toBe(5);

    state.ingestStatsd(line, UDP, 0);
    expect(state.takeDelta(0, 1, 2).stats.droppedTags).toBe(2);
  });

  it('skips empty lines without counting them', () => {
    const delta = deltaOf('\n\nhits:1|c\r\n\r\n');

    expect(delta.stats.lines).toEqual([1, 0]);
    expect(rowsOf(delta.counters, COUNTER_ROW)).toEqual([[0, 1, 1]]);
  });

  it('starts every delta from zero', () => {
    const state = newState();
    state.ingestStatsd('hits:1|c\nbad\n_e{1,0}:x|\n_sc|up|0|#a', UDP, 0);
    state.takeDelta(0, 1, 1);

    const empty = state.takeDelta(0, 1, 2);
    expect(empty.stats).toEqual({
      lines: [0, 0],
      parseErrors: [PARSE_REASONS.map(() => 0), PARSE_REASONS.map(() => 0)],
      samples: 0,
      events: 0,
      serviceChecks: 0,
      droppedTags: 0,
      mappingDropped: 0,
      spellingLimitDropped: 0,
    });
    expect([...empty.counters, ...empty.gauges, ...empty.histograms]).toEqual([]);
    expect(empty.sets).toEqual([]);
  });
});

interface Tally {
  lines: number;
  errors: Partial<Record<ParseReason, number>>;
  samples: number;
  serviceChecks?: number;
  droppedTags?: number;
}

/**
 * What each corpus entry must do to a shard. Random entries are checked against the parser
 * itself, line by line, since nobody can tally random bytes by hand.
 */
const EXPECTED: Record<HostileName, Tally | 'line by line'> = {
  'random bytes': 'line by line',
  'random statsd lines': 'line by line',
  'empty datagram': { lines: 0, errors: {}, samples: 0 },
  'only line breaks': { lines: 1, errors: {}, samples: 1 },
  '64 KiB datagram': { lines: 4678, errors: {}, samples: 4678 },
  '10 kB name': { lines: 2, errors: { name_too_long: 1 }, samples: 1 },
  '10k tags on one line': { lines: 2, errors: { too_many_labels: 1 }, samples: 1 },
  'invalid utf-8': { lines: 6, errors: { bad_value: 1 }, samples: 5 },
  'non-finite values': { lines: 9, errors: { bad_value: 7, bad_sample_rate: 1 }, samples: 1 },
  'minus zero': { lines: 5, errors: { bad_value: 2 }, samples: 3 },
  'crlf line endings': { lines: 3, errors: {}, samples: 3 },
  'lone carriage returns': { lines: 3, errors: {}, samples: 3 },
  'nul bytes': {
    lines: 8,
    errors: { bad_value: 1, malformed_line: 1 },
    samples: 6,
    serviceChecks: 1,
    droppedTags: 1,
  },
  'glued metrics': { lines: 3, errors: { unknown_type: 2 }, samples: 1 },
  'truncated in the name': { lines: 2, errors: { malformed_line: 1 }, samples: 1 },
  'truncated in the value': { lines: 2, errors: { malformed_line: 1 }, samples: 1 },
  'truncated after the type pipe': { lines: 2, errors: { unknown_type: 1 }, samples: 1 },
  'truncated in the type': { lines: 2, errors: { unknown_type: 1 }, samples: 1 },
  'truncated in the sample rate': { lines: 2, errors: { bad_sample_rate: 1 }, samples: 1 },
  'truncated in the tags': { lines: 2, errors: {}, samples: 2, droppedTags: 1 },
  'truncated event': { lines: 2, errors: { malformed_line: 1 }, samples: 1 },
  'truncated service check': { lines: 2, errors: { bad_value: 1 }, samples: 1 },
  'truncated mid utf-8 character': { lines: 2, errors: {}, samples: 2 },
  'odd pipes': {
    lines: 14,
    errors: { malformed_line: 6, unknown_type: 2, bad_sample_rate: 1 },
    samples: 5,
    serviceChecks: 1,
  },
  'exposition injection': { lines: 6, errors: { malformed_line: 1 }, samples: 5 },
  'reserved label names': { lines: 3, errors: {}, samples: 3 },
  'empty names and values': {
    lines: 9,
    errors: { malformed_line: 5, bad_value: 3 },
    samples: 1,
  },
};

/** Defaults, except for the one bound a test raises. */
const ROOMY: SampleLimits = { ...DEFAULT_SAMPLE_LIMITS };

const CORPUS = Object.entries(HOSTILE_STATSD) as Array<[HostileName, string | Buffer]>;

function textOf(payload: string | Buffer): string {
  return typeof payload === 'string' ? payload : payload.toString('utf8');
}

interface LineByLine {
  lines: number;
  errors: Record<ParseReason, number>;
  samples: number;
  events: number;
  serviceChecks: number;
}

/** The parser's verdict on every line, splitting as the shard documents: \n, \r\n, lone \r. */
function tallyLineByLine(text: string): LineByLine {
  const tally: LineByLine = {
    lines: 0,
    errors: noErrors(),
    samples: 0,
    events: 0,
    serviceChecks: 0,
  };
  const out = createParsedLine();
  for (const line of text.split(/[\r\n]/)) {
    if (line === '') continue;
    tally.lines++;
    const reason = parseStatsdLine(line, out);
    if (reason !== null) {
      tally.errors[reason]++;
    } else if (out.kind === 'event') {
      tally.events++;
    } else {
      if (out.kind === 'service_check') tally.serviceChecks++;
      tally.samples += out.kind === 'metric' && out.type === 's' ? 1 : out.valueCount;
    }
  }
  return tally;
}

describe('ShardState with the hostile corpus', () => {
  it('has an expectation for every corpus entry', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(HOSTILE_STATSD).sort());
  });

  it('keeps every entry within one UDP datagram, the neighbour on a line of its own', () => {
    for (const [name, payload] of CORPUS) {
      const text = textOf(payload);
      expect(Buffer.byteLength(payload), name).toBeLessThanOrEqual(MAX_UDP_PAYLOAD_BYTES);
      const neighbours = text.split(/[\r\n]/).filter((line) => line === NEIGHBOUR_LINE);
      expect(neighbours, name).toHaveLength(name === 'empty datagram' ? 0 : 1);
    }
  });

  for (const [name, payload] of CORPUS) {
    it(`survives "${name}", counts it as pinned and lands the neighbour`, () => {
      const state = newState(true);
      const text = textOf(payload);
      expect(() => state.ingestStatsd(text, UDP, 0)).not.toThrow();
      const delta = state.takeDelta(0, 1, 1);

      const expected = EXPECTED[name];
      if (expected === 'line by line') {
        const tally = tallyLineByLine(text);
        expect(delta.stats.lines).toEqual([tally.lines, 0]);
        expect(errorsOf(delta.stats, UDP)).toEqual(tally.errors);
        expect(delta.stats.samples).toBe(tally.samples);
        expect(delta.stats.events).toBe(tally.events);
        expect(delta.stats.serviceChecks).toBe(tally.serviceChecks);
      } else {
        expect(delta.stats.lines).toEqual([expected.lines, 0]);
        expect(errorsOf(delta.stats, UDP)).toEqual({ ...noErrors(), ...expected.errors });
        expect(delta.stats.samples).toBe(expected.samples);
        expect(delta.stats.serviceChecks).toBe(expected.serviceChecks ?? 0);
        expect(delta.stats.droppedTags).toBe(expected.droppedTags ?? 0);
      }
      expect(errorsOf(delta.stats, TCP)).toEqual(noErrors());
      expect(counterOf(delta, NEIGHBOUR_METRIC)).toEqual(name === 'empty datagram' ? null : [1, 1]);
    });
  }

  it('refuses every random-byte line but the neighbour', () => {
    const delta = deltaOf(textOf(HOSTILE_STATSD['random bytes']));
    const refused = delta.stats.parseErrors[UDP].reduce((sum, count) => sum + count, 0);

    expect(refused).toBe(delta.stats.lines[UDP] - 1);
    expect(delta.definitions.map((d) => d.name)).toEqual([NEIGHBOUR_METRIC]);
  });

  it('lands every neighbour when the whole corpus goes through one shard', () => {
    const state = newState(true);
    CORPUS.forEach(([, payload], i) =>
      state.ingestStatsd(textOf(payload), i % 2, i * LINES_PER_RECORD),
    );

    expect(counterOf(state.takeDelta(0, 1, 1), NEIGHBOUR_METRIC)).toEqual([
      CORPUS.length - 1,
      CORPUS.length - 1,
    ]);
  });

  it('keeps every line of a full datagram', () => {
    const delta = deltaOf(HOSTILE_STATSD['64 KiB datagram']);

    expect(counterOf(delta, 'bulk_fill')).toEqual([4677, 4677]);
  });

  it('refuses a 10 kB name as name_too_long and lands only the neighbour', () => {
    const delta = deltaOf(HOSTILE_STATSD['10 kB name']);

    expect(delta.definitions.map((d) => d.name)).toEqual([NEIGHBOUR_METRIC]);
  });

  it('keeps a 10 kB name whole when --max-name-bytes allows it', () => {
    const delta = deltaOf(HOSTILE_STATSD['10 kB name'], UDP, { ...ROOMY, maxNameBytes: 10_000 });

    expect(counterOf(delta, 'n'.repeat(10_000))).toEqual([1, 1]);
  });

  it('refuses 10k tags as too_many_labels and lands only the neighbour', () => {
    const delta = deltaOf(HOSTILE_STATSD['10k tags on one line']);

    expect(delta.definitions.map((d) => d.name)).toEqual([NEIGHBOUR_METRIC]);
  });

  it('turns 10k tags into 10k sorted labels when --max-labels-per-sample allows it', () => {
    const limits = { ...ROOMY, maxLabelsPerSample: 10_000 };
    const labels = definitionNamed(
      deltaOf(HOSTILE_STATSD['10k tags on one line'], UDP, limits),
      'many_tags',
    ).labels;
    const names = labels.filter((_, i) => i % 2 === 0);

    expect(names).toHaveLength(10_000);
    expect(names).toEqual([...names].sort());
    expect(labels.slice(0, 4)).toEqual(['aaa', 'v', 'aab', 'v']);
  });

  it('replaces invalid UTF-8 in names, label values and set members', () => {
    const delta = deltaOf(textOf(HOSTILE_STATSD['invalid utf-8']));

    expect(counterOf(delta, 'bad_name')).toEqual([1, 1]);
    expect(counterOf(delta, 'utf8_tag', ['k', 'v\ufffd('])).toEqual([1, 1]);
    expect(counterOf(delta, 'over__long')).toEqual([1, 1]);
    expect(delta.sets).toEqual([[3, 1, ['\ufffd\ufffd\ufffd']]]);
  });

  it('keeps NUL out of names and label values and apart from the tag separator', () => {
    const delta = deltaOf(HOSTILE_STATSD['nul bytes']);

    expect(counterOf(delta, 'nul_name')).toEqual([1, 1]);
    expect(counterOf(delta, 'nul_tag', ['k', 'v\ufffdw'])).toEqual([1, 1]);
    expect(definitionNamed(delta, 'service_check_status').labels).toEqual([
      'check',
      'nul\ufffdcheck',
    ]);
    expect(counterOf(delta, 'nul_alias', ['k', '1'])).toEqual([1, 1]);
    expect(counterOf(delta, 'nul_alias')).toEqual([1, 1]);
  });

  it('keeps a tag value cut mid-character, with U+FFFD for the lost bytes', () => {
    const delta = deltaOf(textOf(HOSTILE_STATSD['truncated mid utf-8 character']));

    expect(counterOf(delta, 'cut_city', ['city', 'z\ufffd'])).toEqual([1, 1]);
  });

  it('treats -0 as a zero gauge delta and a zero observation, and refuses it on a counter', () => {
    const delta = deltaOf(HOSTILE_STATSD['minus zero']);

    expect(delta.definitions.map((d) => d.name)).toEqual([
      'zero_gauge',
      'zero_timer',
      NEIGHBOUR_METRIC,
    ]);
    expect(gaugeRecordsOf(delta.gauges)).toEqual([
      { id: 1, samples: 1, hasSet: false, setOrder: 0, setValue: 0, log: [1, -0] },
    ]);
    expect(rowsOf(delta.histograms, 8)).toEqual([[2, 1, 0, 1, 1, 0, 0, 0]]);
  });
});

describe('ShardState bad-line hook', () => {
  it('reports each refused line with its reason and transport, and no accepted line', () => {
    const calls: Array<[string, string, number]> = [];
    const state = new ShardState({
      histogramBuckets: BUCKETS,
      keepsGaugeOrder: false,
      onBadLine: (reason, line, transport) => calls.push([reason, line, transport]),
    });
    state.ingestStatsd('ok:1|c\nbad:x|c\nweird:1|zz\nok:2|c', TCP, 0);
    expect(calls).toEqual([
      ['bad_value', 'bad:x|c', TCP],
      ['unknown_type', 'weird:1|zz', TCP],
    ]);
    expect(state.takeDelta(0, 1, 0).stats.samples).toBe(2);
  });
});

interface LimitCase {
  line: string;
  reason: ParseReason | null;
}

const TIGHT: SampleLimits = { maxNameBytes: 16, maxLabelsPerSample: 2, maxLabelValueBytes: 4 };

/** Each row goes through a shard with TIGHT limits, followed by the neighbour line. */
const LIMIT_CASES: Record<string, LimitCase> = {
  'a name at the byte limit': { line: `${'n'.repeat(16)}:1|c`, reason: null },
  'a name one byte over': { line: `${'n'.repeat(17)}:1|c`, reason: 'name_too_long' },
  'a name of 8 two-byte characters, 16 bytes': { line: `${'é'.repeat(8)}:1|c`, reason: null },
  'a name of 9 two-byte characters, 18 bytes': {
    line: `${'é'.repeat(9)}:1|c`,
    reason: 'name_too_long',
  },
  'two dogstatsd tags': { line: 'm:1|c|#a:1,b:2', reason: null },
  'three dogstatsd tags': { line: 'm:1|c|#a:1,b:2,c:3', reason: 'too_many_labels' },
  'one influx and two dogstatsd tags': { line: 'm,a=1:1|c|#b:2,c:3', reason: 'too_many_labels' },
  'empty tags between commas do not count': { line: 'm:1|c|#a:1,,,b:2', reason: null },
  'a value at the byte limit': { line: 'm:1|c|#a:abcd', reason: null },
  'a dogstatsd value one byte over': { line: 'm:1|c|#a:abcde', reason: 'label_value_too_long' },
  'an influx value one byte over': { line: 'm,a=abcde:1|c', reason: 'label_value_too_long' },
  'a value of 2 two-byte characters, 4 bytes': { line: 'm:1|c|#a:éé', reason: null },
  'a value of 3 two-byte characters, 6 bytes': {
    line: 'm:1|c|#a:ééé',
    reason: 'label_value_too_long',
  },
  'a service check with a long check name': {
    line: `_sc|${'n'.repeat(17)}|0`,
    reason: 'name_too_long',
  },
};

describe('ShardState sample limits', () => {
  for (const [name, { line, reason }] of Object.entries(LIMIT_CASES)) {
    it(`${reason === null ? 'accepts' : `counts ${reason} for`} ${name}, keeps the neighbour`, () => {
      const delta = deltaOf(`${line}\n${NEIGHBOUR_LINE}`, UDP, TIGHT);

      expect(errorsOf(delta.stats, UDP)).toEqual(
        reason === null ? noErrors() : { ...noErrors(), [reason]: 1 },
      );
      expect(delta.stats.lines).toEqual([2, 0]);
      expect(counterOf(delta, NEIGHBOUR_METRIC)).toEqual([1, 1]);
    });
  }
});
describe('ShardState with a mapping file', () => {
  const MAPPING = parseMappingText(`
mappings:
  - match: "api.*.time"
    name: "api_seconds"
    labels: { route: "$1" }
    histogram_options: { buckets: [0.5] }
  - match: "junk.*"
    action: drop
`).config;

  it('counts the samples a drop rule discards, and stores the neighbour', () => {
    const state = new ShardState({
      histogramBuckets: BUCKETS,
      keepsGaugeOrder: false,
      mapping: MAPPING,
    });
    state.ingestStatsd('junk.a:1:2:3|c\nkept:1|c', UDP, 0);
    const delta = state.takeDelta(0, 0, 0);

    expect(delta.stats.mappingDropped).toBe(3);
    expect(delta.stats.samples).toBe(1);
    expect(delta.definitions.map((d) => d.name)).toEqual(['kept']);
  });

  it("buckets a mapped histogram on its rule's bounds, in a block of its own", () => {
    const state = new ShardState({
      histogramBuckets: BUCKETS,
      keepsGaugeOrder: false,
      mapping: MAPPING,
    });
    state.ingestStatsd('api.home.time:200|ms\napi.home.time:900|ms\nplain:0.05|h', UDP, 0);
    const delta = state.takeDelta(0, 0, 0);

    // Rows: id, samples, sum, count, then the bucket counts (+Inf last), not cumulative.
    expect(delta.customHistograms.map((b) => [b.upperBounds, rowsOf(b.rows, b.stride)])).toEqual([
      [[0.5], [[2, 2, 1.1, 2, 1, 1]]],
    ]);
    expect(rowsOf(delta.histograms, delta.histogramStride)).toEqual([[6, 1, 0.05, 1, 0, 1, 0, 0]]);
  });

  it('refuses new spellings past maxSpellings, then starts a fresh table under a new generation', () => {
    const state = new ShardState({
      histogramBuckets: BUCKETS,
      keepsGaugeOrder: false,
      maxSpellings: 2,
    });
    state.ingestStatsd('a:1|c\nb:1|c\nc:1:1|c\na:1|c', UDP, 0);
    const first = state.takeDelta(0, 3, 0);
    state.ingestStatsd('c:1|c', UDP, 0);
    const second = state.takeDelta(0, 3, 1);

    expect(first.generation).toBe(3_000_000);
    expect(first.definitions.map((d) => d.name)).toEqual(['a', 'b']);
    expect(first.stats.spellingLimitDropped).toBe(2);
    expect(rowsOf(first.counters, COUNTER_ROW)).toEqual([
      [0, 2, 2],
      [4, 1, 1],
    ]);
    expect(second.generation).toBe(3_000_001);
    expect(second.definitions.map((d) => [d.name, d.id])).toEqual([['c', 0]]);
  });

  it('applies new rules to a known spelling from the next delta on, to a new one at once', () => {
    const state = new ShardState({ histogramBuckets: BUCKETS, keepsGaugeOrder: false });
    state.ingestStatsd('junk.a:1|c', UDP, 0);
    state.replaceMapping(MAPPING);
    state.ingestStatsd('junk.a:1|c\njunk.b:1|c', UDP, 1);
    const before = state.takeDelta(0, 0, 0);
    state.ingestStatsd('junk.a:1|c', UDP, 0);
    const after = state.takeDelta(0, 0, 1);

    expect(rowsOf(before.counters, COUNTER_ROW)).toEqual([[0, 2, 2]]);
    expect(before.stats.mappingDropped).toBe(1);
    expect(after.stats.mappingDropped).toBe(1);
    expect(after.counters).toEqual(new Float64Array(0));
    expect(after.generation).toBe(1);
  });
});
