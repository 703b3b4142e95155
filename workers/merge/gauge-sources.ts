import type { GaugeSourceKey } from '../../src/protocol.js';
import type { ScalarSeries } from './families.js';

/**
 * The source series behind a gauge an aggregation combines by sum, avg, min or max.
 *
 *   shard ids ──▶ GaugeSource (one per dropped-label spelling, current value, TTL)
 *                    └──▶ combined series: value = rule over its live sources
 *
 * Each source's value is replayed in stream order exactly as a plain gauge's is
 * (gauge-replay.ts); the combined value is computed again after every fold that touched
 * a source and after every expiry that removed one. Sources are never exposed.
 */
export interface GaugeSource {
  /** The combined series this source feeds. */
  owner: CombinedGauge;
  /** The dropped label pairs joined by NUL: the source's identity within its owner. */
  key: string;
  value: number;
  lastSeenMs: number;
  /** 0: never expires. */
  ttlMs: number;
  isExpired: boolean;
}

export interface GaugeCombination {
  rule: GaugeSourceKey['rule'];
  /** Live sources by key; an expired source leaves this map and the aggregate. */
  sources: Map<string, GaugeSource>;
}

/** A merged gauge that has sources; the store sets `combination` on it. */
export interface CombinedGauge extends ScalarSeries {
  combination?: GaugeCombination;
}

export function isGaugeSource(ref: object): ref is GaugeSource {
  return 'owner' in ref;
}

/**
 * The rule over the live sources' values. With none left the value stays as it was: the
 * combined series then expires with the last of its sources.
 */
export function combineSources(series: CombinedGauge): void {
  const combination = series.combination;
  if (combination === undefined || combination.sources.size === 0) return;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const source of combination.sources.values()) {
    sum += source.value;
    if (source.value < min) min = source.value;
    if (source.value > max) max = source.value;
  }
  const byRule = { sum, avg: sum / combination.sources.size, min, max };
  series.value = byRule[combination.rule];
}

/** Removes sources idle past their TTL; returns how many went. */
export function expireSources(series: CombinedGauge, nowMs: number): number {
  const sources = series.combination?.sources;
  if (sources === undefined) return 0;
  let expired = 0;
  for (const [key, source] of sources) {
    if (source.ttlMs === 0 || nowMs - source.lastSeenMs <= source.ttlMs) continue;
    sources.delete(key);
    source.isExpired = true;
    source.value = 0;
    expired++;
  }
  if (expired > 0) combineSources(series);
  return expired;
}

/**
 * The source `wanted` names within `series`, made when new (`hasRoom` says whether one more
 * fits under --max-series); null when it does not fit. Sets up the combination on first use.
 */
export function sourceFor(
  series: CombinedGauge,
  wanted: GaugeSourceKey,
  ttlMs: number,
  nowMs: number,
  hasRoom: boolean,
): { source: GaugeSource; isNew: boolean } | null {
  series.combination ??= { rule: wanted.rule, sources: new Map() };
  series.combination.rule = wanted.rule;
  const sources = series.combination.sources;
  const key = wanted.dropped.join('\u0000');
  const existing = sources.get(key);
  if (existing !== undefined) {
    existing.ttlMs = ttlMs;
    return { source: existing, isNew: false };
  }
  if (!hasRoom) return null;
  const source = { owner: series, key, value: 0, lastSeenMs: nowMs, ttlMs, isExpired: false };
  sources.set(key, source);
  return { source, isNew: true };
}

/** Drops every source of a series (it expired, or its rule became `last`); returns how many. */
export function clearSources(series: CombinedGauge): number {
  const sources = series.combination?.sources;
  if (sources === undefined) return 0;
  for (const source of sources.values()) {
    source.isExpired = true;
    source.value = 0;
  }
  const count = sources.size;
  sources.clear();
  return count;
}
