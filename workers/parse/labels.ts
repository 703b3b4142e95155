import { sanitizeLabelName, sanitizeLabelValue } from './sanitize.js';

/**
 * Labels of one series: names sorted, each once. Built when a shard meets a raw key for the
 * first time, then cached, so none of this runs per sample.
 */
export type LabelPairs = Array<[name: string, value: string]>;

export interface TagProblems {
  /** Tags dropped: no separator, an empty key or an empty value (as statsd_exporter). */
  dropped: number;
}

/**
 * DogStatsD `k:v,k2:v2` (only the first ':' separates) and InfluxDB `k=v,k2=v2` together.
 * A key given twice keeps its last value, the DogStatsD tags winning over the Influx ones.
 */
export function buildLabels(
  influxTags: string,
  dogTags: string,
  problems: TagProblems,
): LabelPairs {
  const byName = new Map<string, string>();
  if (influxTags !== '') addTags(influxTags, '=', byName, problems);
  if (dogTags !== '') addTags(dogTags, ':', byName, problems);
  return [...byName].sort(compareByName);
}

function addTags(
  text: string,
  separator: string,
  into: Map<string, string>,
  problems: TagProblems,
): void {
  for (const tag of text.split(',')) {
    if (tag === '') continue;
    const at = tag.indexOf(separator);
    if (at <= 0 || at === tag.length - 1) {
      problems.dropped++;
      continue;
    }
    into.set(sanitizeLabelName(tag.slice(0, at)), sanitizeLabelValue(tag.slice(at + 1)));
  }
}

function compareByName(a: [string, string], b: [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
