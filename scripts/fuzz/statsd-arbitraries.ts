import fc from 'fast-check';
import type { MetricType } from '../../workers/parse/statsd-line.js';

/**
 * fast-check generators for StatsD traffic, shared by the property tests (test/property/)
 * and the longer `npm run fuzz` run, so a case one finds the other replays.
 */

/** A sample as a client means it, before it is put on the wire. */
export interface StatsdSample {
  name: string;
  type: MetricType;
  /** Values as numbers; `signs[i]` marks a gauge value sent as a ±delta. */
  values: number[];
  signs: boolean[];
  setMember: string;
  sampleRate: number;
  dogTags: string;
}

const NAME = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_.]{0,40}$/);
const TAG_KEY = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/);
// Anything but the characters that end a tag, a field or a line.
const TAG_VALUE = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
  .filter((text) => !/[,|\n\r]/.test(text));
const TAGS = fc
  .array(fc.tuple(TAG_KEY, TAG_VALUE), { maxLength: 6 })
  .map((pairs) => pairs.map(([key, value]) => `${key}:${value}`).join(','));
const RATE = fc.oneof(
  fc.constant(1),
  fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }).filter((rate) => rate > 0),
);
const FINITE = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Object.is(v, -0));
const NON_NEGATIVE = FINITE.map(Math.abs).filter((v) => !Object.is(v, -0));
const MEMBER = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
  .filter((text) => !/[|\n\r]/.test(text));

/** Samples that can be written as one StatsD line, of every type. */
export const statsdSample: fc.Arbitrary<StatsdSample> = fc
  .record({
    name: NAME,
    type: fc.constantFrom<MetricType>('c', 'g', 'ms', 'h', 'd', 's'),
    count: fc.integer({ min: 1, max: 4 }),
    finite: fc.array(FINITE, { minLength: 4, maxLength: 4 }),
    nonNegative: fc.array(NON_NEGATIVE, { minLength: 4, maxLength: 4 }),
    signs: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    setMember: MEMBER,
    sampleRate: RATE,
    dogTags: TAGS,
  })
  .map((r) => {
    const isSet = r.type === 's';
    const count = isSet ? 0 : r.count;
    // Counters never go down; a gauge set cannot be negative (a sign makes it a delta).
    const signs = r.type === 'g' ? r.signs.slice(0, count) : Array(count).fill(false);
    const values = Array.from({ length: count }, (_, i) => {
      if (r.type === 'c') return r.nonNegative[i];
      if (r.type === 'g' && !signs[i]) return r.nonNegative[i];
      return r.finite[i];
    });
    return {
      name: r.name,
      type: r.type,
      values,
      signs,
      setMember: isSet ? r.setMember : '',
      sampleRate: r.sampleRate,
      dogTags: r.dogTags,
    };
  });

/** The line a client would send for `sample`. */
export function renderStatsdLine(sample: StatsdSample): string {
  const values =
    sample.type === 's'
      ? sample.setMember
      : sample.values
          .map((value, i) => (sample.signs[i] && value >= 0 ? `+${value}` : String(value)))
          .join(':');
  const rate = sample.sampleRate === 1 ? '' : `|@${sample.sampleRate}`;
  const tags = sample.dogTags === '' ? '' : `|#${sample.dogTags}`;
  return `${sample.name}:${values}|${sample.type}${rate}${tags}`;
}

/** Lines near the grammar: StatsD-looking pieces glued at random, plus raw noise. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          ':',
          '|',
          '|#',
          '|@',
          '|c',
          '|g',
          '|ms',
          '|s',
          ',',
          '=',
          '\n',
          '\r',
          '\u0000',
          '_sc|',
          '_e{',
          '}:',
          '+',
          '-',
          '.',
          'e',
          'NaN',
          'Infinity',
          '1e309',
          '-0',
        ),
        NAME,
        fc.integer().map(String),
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join('')),
  statsdSample.map(renderStatsdLine),
);
