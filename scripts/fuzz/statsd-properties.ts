import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { PARSE_REASONS } from '../../src/errors.js';
import { createParsedLine, parseStatsdLine } from '../../workers/parse/statsd-line.js';
import { ShardState } from '../../workers/shard/shard-state.js';
import {
  hostileText,
  renderStatsdLine,
  statsdSample,
  type StatsdSample,
} from './statsd-arbitraries.js';

/**
 * The StatsD parser's properties, each a generator and a check that throws on violation.
 * test/property/ runs them briefly on every `npm test`; scripts/fuzz.ts runs them for as
 * long as asked and saves failing inputs, which the property test replays.
 */
export interface FuzzProperty<T> {
  name: string;
  input: fc.Arbitrary<T>;
  check(input: T): void;
}

const out = createParsedLine();

const neverThrows: FuzzProperty<string> = {
  name: 'parser-returns-a-known-reason',
  input: hostileText,
  check(text) {
    const reason = parseStatsdLine(text, out);
    if (reason !== null && !(PARSE_REASONS as readonly string[]).includes(reason)) {
      throw new Error(`unknown reason ${reason}`);
    }
  },
};

const roundTrips: FuzzProperty<StatsdSample> = {
  name: 'rendered-sample-parses-back',
  input: statsdSample,
  check(sample) {
    const line = renderStatsdLine(sample);
    const reason = parseStatsdLine(line, out);
    if (reason !== null) throw new Error(`refused ${JSON.stringify(line)} as ${reason}`);
    const parsed = {
      name: out.name,
      type: out.type,
      values: out.values.slice(0, out.valueCount),
      signs: out.isDelta.slice(0, out.valueCount),
      setMember: out.type === 's' ? out.setMember : '',
      sampleRate: out.sampleRate,
      dogTags: out.dogTags,
    };
    if (!isDeepStrictEqual(parsed, sample)) {
      throw new Error(`${JSON.stringify(line)} parsed as ${JSON.stringify(parsed)}`);
    }
  },
};

const everyLineCounted: FuzzProperty<string[]> = {
  name: 'shard-counts-every-line',
  input: fc.array(hostileText, { maxLength: 8 }),
  check(records) {
    const state = new ShardState({ histogramBuckets: [1], keepsGaugeOrder: true });
    records.forEach((text, i) => state.ingestStatsd(text, i % 2, i * 65536));
    const { stats } = state.takeDelta(0, 0, 0);
    // The shard's own split: '\n', then a lone '\r'; "\r\n" leaves an empty, skipped line.
    const lines = records.flatMap((text) => text.split(/\r\n|\r|\n/)).filter((l) => l !== '');
    if (stats.lines[0] + stats.lines[1] !== lines.length) {
      throw new Error(`counted ${stats.lines[0] + stats.lines[1]} lines of ${lines.length}`);
    }
  },
};

export const STATSD_PROPERTIES = [neverThrows, roundTrips, everyLineCounted] as ReadonlyArray<
  FuzzProperty<unknown>
>;
