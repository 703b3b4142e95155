import { describe, expect, it } from 'vitest';
import { RateLimitedLog } from '../../../../workers/shard/rate-limited-log.js';

interface Written {
  fields: Record<string, unknown>;
  message: string;
}

function createLog(): { log: RateLimitedLog; written: Written[]; clock: { nowMs: number } } {
  const written: Written[] = [];
  const clock = { nowMs: 1_000 };
  const log = new RateLimitedLog({
    linesPerWindow: 2,
    windowMs: 60_000,
    now: () => clock.nowMs,
    write: (fields, message) => written.push({ fields, message }),
  });
  return { log, written, clock };
}

describe('RateLimitedLog', () => {
  it('writes the first lines of a window with their fields and reason', () => {
    const { log, written } = createLog();
    log.log('bad_value', { line: 'a:x|c' }, 'bad statsd line');
    log.log('bad_value', { line: 'b:y|c' }, 'bad statsd line');
    expect(written).toEqual([
      { fields: { line: 'a:x|c', reason: 'bad_value' }, message: 'bad statsd line' },
      { fields: { line: 'b:y|c', reason: 'bad_value' }, message: 'bad statsd line' },
    ]);
  });

  it('suppresses lines past the limit and reports their count when the next window opens', () => {
    const { log, written, clock } = createLog();
    for (let i = 0; i < 5; i++) log.log('bad_value', { n: i }, 'bad statsd line');
    expect(written.length).toBe(2);

    clock.nowMs += 60_000;
    log.log('bad_value', { n: 5 }, 'bad statsd line');
    expect(written.slice(2)).toEqual([
      { fields: { reason: 'bad_value', count: 3 }, message: 'bad input log lines suppressed' },
      { fields: { n: 5, reason: 'bad_value' }, message: 'bad statsd line' },
    ]);
  });

  it('keeps one window per reason, so a noisy reason does not silence another', () => {
    const { log, written } = createLog();
    for (let i = 0; i < 4; i++) log.log('bad_value', {}, 'bad statsd line');
    log.log('unknown_type', {}, 'bad statsd line');
    expect(written.map((w) => w.fields.reason)).toEqual(['bad_value', 'bad_value', 'unknown_type']);
  });

  it('writes nothing more within the window once it is spent', () => {
    const { log, written, clock } = createLog();
    for (let i = 0; i < 3; i++) log.log('malformed_line', {}, 'bad statsd line');
    clock.nowMs += 59_999;
    log.log('malformed_line', {}, 'bad statsd line');
    expect(written.length).toBe(2);
  });
});
