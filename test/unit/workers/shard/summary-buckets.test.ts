import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { bucketsFor } from '../../../../workers/shard/summary-buckets.js';

describe('SummaryBuckets', () => {
  it.each([1, 2, 3, 4])('gives hdr-histogram-js edges for each index at %i digits', (digits) => {
    const buckets = bucketsFor(digits);
    const reference = hdr.build({ numberOfSignificantValueDigits: digits as 1 | 2 | 3 | 4 });
    // Every index up to the bucket of 2^51, past the largest value a summary records.
    const indexes = Array.from({ length: buckets.indexOf(2 ** 51) + 1 }, (_, i) => i);
    expect(indexes.map((index) => buckets.lowestValueAt(index))).toEqual(
      indexes.map((index) => reference.lowestEquivalentValue(valueFromIndex(reference, index))),
    );
    const values = [0, 1, 2047, 2048, 99_999, 1e6, 123_456_789, 2 ** 40];
    expect(values.map((value) => buckets.lowestValueAt(buckets.indexOf(value)))).toEqual(
      values.map((value) => reference.lowestEquivalentValue(value)),
    );
    expect(values.map((value) => buckets.highestValueAt(buckets.indexOf(value)))).toEqual(
      values.map((value) => reference.highestEquivalentValue(value)),
    );
  });
});

function valueFromIndex(histogram: hdr.Histogram, index: number): number {
  return (histogram as unknown as hdr.JsHistogram).valueFromIndex(index);
}
