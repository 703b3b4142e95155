import { describe, expect, it } from 'vitest';
import { SummaryWindow } from '../../../../workers/merge/summary-window.js';
import {
  ONE_TO_HUNDRED_MS,
  SUMMARY_OPTIONS,
  encodedObservations,
} from '../../../helpers/summary.js';

const QUANTILES = [0.5, 0.9, 0.99];

/**
 * Three significant digits: from 65536 millionths up, HDR buckets are 64 wide, so 90 ms
 * (90000) reads as the upper edge of 89984..90047 and 99 ms as that of 98944..99007;
 * 50 ms sits in a 32-wide bucket, 49984..50015. Values are never read low.
 */
const ONE_TO_HUNDRED_QUANTILES = [0.050015, 0.090047, 0.099007];

describe('SummaryWindow', () => {
  it('reads each quantile as the upper edge of the HDR bucket holding its rank', () => {
    const window = new SummaryWindow(SUMMARY_OPTIONS);
    window.add(encodedObservations(ONE_TO_HUNDRED_MS), 0);
    expect(window.quantiles(QUANTILES)).toEqual(ONE_TO_HUNDRED_QUANTILES);
  });

  it('merges what several shards sent in the same slice', () => {
    const window = new SummaryWindow(SUMMARY_OPTIONS);
    window.add(encodedObservations(ONE_TO_HUNDRED_MS.filter((_, i) => i % 2 === 0)), 100);
    window.add(encodedObservations(ONE_TO_HUNDRED_MS.filter((_, i) => i % 2 === 1)), 200);
    expect(window.quantiles(QUANTILES)).toEqual(ONE_TO_HUNDRED_QUANTILES);
  });

  it('lets a slice go once it is older than max_age, slice by slice', () => {
    // 10 s in 5 slices of 2 s: at 8 s the slice of 0..2 s is still in the window.
    const window = new SummaryWindow(SUMMARY_OPTIONS);
    window.add(encodedObservations(ONE_TO_HUNDRED_MS), 1_000);
    window.add(encodedObservations([0.2]), 8_000);
    window.advance(9_999);
    expect(window.quantiles([1])).toEqual([0.200063]);
    expect(window.quantiles([0.5])).toEqual([0.051007]);

    // At 10 s the first slice leaves; 200 ms (200000) is in a 128-wide bucket up to 200063.
    window.advance(10_000);
    expect(window.isDirty).toBe(true);
    expect(window.quantiles(QUANTILES)).toEqual([0.200063, 0.200063, 0.200063]);

    window.advance(18_000);
    expect(window.quantiles(QUANTILES)).toEqual([NaN, NaN, NaN]);
  });

  it('answers NaN for every quantile before the first observation', () => {
    expect(new SummaryWindow(SUMMARY_OPTIONS).quantiles(QUANTILES)).toEqual([NaN, NaN, NaN]);
  });
});
