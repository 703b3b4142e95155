import type { SummaryOptions } from '../../src/protocol.js';
import { SummaryStore } from '../../workers/shard/summary.js';

/** Summary options as the mapping file reader completes them, with a short window. */
export const SUMMARY_OPTIONS: SummaryOptions = {
  quantiles: [
    { quantile: 0.5, error: 0.05 },
    { quantile: 0.9, error: 0.01 },
    { quantile: 0.99, error: 0.001 },
  ],
  maxAgeMs: 10_000,
  ageBuckets: 5,
  significantDigits: 3,
};

/** The bucket pairs a shard would ship for these observations (workers/shard/summary.ts). */
export function encodedObservations(values: readonly number[]): Float64Array {
  const store = new SummaryStore();
  for (const value of values) store.observe(0, value, 1, SUMMARY_OPTIONS);
  return store.drain()![0][4];
}

/** 1 ms to 100 ms in 1 ms steps, in seconds. */
export const ONE_TO_HUNDRED_MS = Array.from({ length: 100 }, (_, i) => (i + 1) / 1000);
