import type { ParseReason } from '../../src/errors.js';
import type { ParsedLine } from './statsd-line.js';

/**
 * Bounds on what one client-controlled line may ask a shard to remember. A line over any of
 * them is refused whole and counted, never trimmed: a trimmed name or label set would merge
 * unrelated series without anyone noticing.
 */
export interface SampleLimits {
  /** Longest metric name, in UTF-8 bytes, as received (before sanitising). */
  maxNameBytes: number;
  /** Most tags on one line, DogStatsD and InfluxDB together. */
  maxLabelsPerSample: number;
  /** Longest tag value, in UTF-8 bytes. */
  maxLabelValueBytes: number;
}

export const DEFAULT_SAMPLE_LIMITS: SampleLimits = {
  maxNameBytes: 1024,
  maxLabelsPerSample: 64,
  maxLabelValueBytes: 4096,
};

/** Null when `line` is within `limits`, else the reason to refuse it. */
export function checkSampleLimits(line: ParsedLine, limits: SampleLimits): ParseReason | null {
  if (utf8BytesOver(line.name, limits.maxNameBytes)) return 'name_too_long';

  // Fast path: tags shorter than the value bound, with too few characters to hold more
  // than the allowed number of tags ("k:v," is four characters), need no scan.
  const tagChars = line.influxTags.length + line.dogTags.length;
  if (tagChars === 0) return null;
  if (tagChars <= limits.maxLabelValueBytes / 3 && tagChars < 4 * limits.maxLabelsPerSample) {
    return null;
  }

  const influx = scanTags(line.influxTags, '=', limits.maxLabelValueBytes);
  const dog = scanTags(line.dogTags, ':', limits.maxLabelValueBytes);
  if (influx.count + dog.count > limits.maxLabelsPerSample) return 'too_many_labels';
  if (influx.isValueTooLong || dog.isValueTooLong) return 'label_value_too_long';
  return null;
}

interface TagScan {
  count: number;
  isValueTooLong: boolean;
}

/** Counts the non-empty comma-separated tags of `text` and checks each value's length. */
function scanTags(text: string, separator: string, maxValueBytes: number): TagScan {
  const scan: TagScan = { count: 0, isValueTooLong: false };
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf(',', start);
    if (end < 0) end = text.length;
    if (end > start) {
      scan.count++;
      const at = text.indexOf(separator, start);
      if (at >= 0 && at < end && utf8BytesOver(text.slice(at + 1, end), maxValueBytes)) {
        scan.isValueTooLong = true;
      }
    }
    start = end + 1;
  }
  return scan;
}

/** Whether `text` is longer than `maxBytes` in UTF-8, without encoding it when it can tell. */
function utf8BytesOver(text: string, maxBytes: number): boolean {
  // A UTF-16 code unit is 1 to 3 UTF-8 bytes (a surrogate pair is 4 bytes for 2 units).
  if (text.length > maxBytes) return true;
  if (text.length * 3 <= maxBytes) return false;
  return Buffer.byteLength(text, 'utf8') > maxBytes;
}
