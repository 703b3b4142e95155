import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../../src/config/defaults.js';
import {
  checkSampleLimits,
  DEFAULT_SAMPLE_LIMITS,
} from '../../../../workers/parse/sample-limits.js';
import { createParsedLine, parseStatsdLine } from '../../../../workers/parse/statsd-line.js';

function verdictOn(line: string, limits = DEFAULT_SAMPLE_LIMITS) {
  const parsed = createParsedLine();
  expect(parseStatsdLine(line, parsed)).toBeNull();
  return checkSampleLimits(parsed, limits);
}

describe('checkSampleLimits', () => {
  it('uses the same defaults as the command line', () => {
    expect(DEFAULT_SAMPLE_LIMITS).toEqual({
      maxNameBytes: DEFAULTS.maxNameBytes,
      maxLabelsPerSample: DEFAULTS.maxLabelsPerSample,
      maxLabelValueBytes: DEFAULTS.maxLabelValueBytes,
    });
  });

  it('passes a line without tags, whatever the tag limits', () => {
    expect(verdictOn('m:1|c', { ...DEFAULT_SAMPLE_LIMITS, maxLabelsPerSample: 1 })).toBeNull();
  });

  it('counts tags past the fast path exactly: 64 pass, 65 do not', () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `k${i}:v`).join(',');
    expect(verdictOn(`m:1|c|#${tags(64)}`)).toBeNull();
    expect(verdictOn(`m:1|c|#${tags(65)}`)).toBe('too_many_labels');
  });

  it('measures a value in UTF-8 bytes: 1366 three-byte characters are over 4096', () => {
    expect(verdictOn(`m:1|c|#k:${'€'.repeat(1365)}`)).toBeNull();
    expect(verdictOn(`m:1|c|#k:${'€'.repeat(1366)}`)).toBe('label_value_too_long');
  });
});
