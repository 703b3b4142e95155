import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { bucketsFor } from '../../../../workers/shard/summary-buckets.js';

describe('SummaryBuckets', () => {
  it.each([1, 2, 3, 4])('computes hdr-histogram-js buckets and edges at %i digits', (digits) => {
    const buckets = bucketsFor(digits);
    const reference = hdr.build({
      numberOfSignificantValueDigits: digits as 1 | 2 | 3 | 4,
    }) as unknown as hdr.JsHistogram;

    // Every index up to the bucket of 2^51, past the largest value a summary records: its
    // lowest value is hdr's, and that value falls back in the same bucket (the wire's trip).
    const indexes = Array.from({ length: buckets.indexOf(2 ** 51) + 1 }, (_, i) => i);
    const lowest = indexes.map((index) => buckets.lowestValueAt(index));
    expect(lowest).toEqual(indexes.map((index) => reference.valueFromIndex(index)));
    expect(lowest.map((value) => buckets.indexOf(value))).toEqual(indexes);

    // Every power of two and its neighbours, on both sides of the 2^31 switch to hdr's path.
    const values = [0, 99_999, 1e6, 123_456_789];
    for (let power = 0; power <= 51; power++) {
      values.push(2 ** power - 1, 2 ** power, 2 ** power + 1);
    }
    expect(values.map((value) => buckets.indexOf(value))).toEqual(
      values.map((value) => reference.countsArrayIndex(value)),
    );

    // Edges by value agree below 2^40 (12 days in microseconds); above, hdr's by-value
    // helpers take a floating-point log2 that can land one bucket off its own index.
    const below = values.filter((value) => value < 2 ** 40);
    expect(below.map((value) => buckets.lowestValueAt(buckets.indexOf(value)))).toEqual(
      below.map((value) => reference.lowestEquivalentValue(value)),
    );
    expect(below.map((value) => buckets.highestValueAt(buckets.indexOf(value)))).toEqual(
      below.map((value) => reference.highestEquivalentValue(value)),
    );
  });
});
