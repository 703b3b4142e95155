import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../../workers/logs/log-record.js';
import { LogTail } from '../../../../workers/logs/log-tail.js';

function record(
  service: string,
  timeMs: number,
  severity: LogRecord['severity'] = 'info',
): LogRecord {
  return { timeMs, severity, message: `${service}@${timeMs}`, service, attributes: {} };
}

const ALL = { service: '', severity: '', sinceMs: 0, limit: 100 } as const;

describe('LogTail', () => {
  it('keeps only the newest records of a service, oldest first', () => {
    const tail = new LogTail(3);
    for (let t = 1; t <= 5; t++) tail.add('api', record('api', t));
    expect(tail.query(ALL).map((r) => r.message)).toEqual(['api@3', 'api@4', 'api@5']);
  });

  it('gives each service its own ring, so a chatty one cannot evict a quiet one', () => {
    const tail = new LogTail(2);
    tail.add('quiet', record('quiet', 1));
    for (let t = 2; t <= 10; t++) tail.add('chatty', record('chatty', t));
    expect(tail.query(ALL).map((r) => r.message)).toEqual(['quiet@1', 'chatty@9', 'chatty@10']);
  });

  it('returns the newest `limit` matches when more match', () => {
    const tail = new LogTail(10);
    for (let t = 1; t <= 6; t++) tail.add('api', record('api', t));
    expect(tail.query({ ...ALL, limit: 2 }).map((r) => r.message)).toEqual(['api@5', 'api@6']);
  });

  it('filters by service, lowest severity and since', () => {
    const tail = new LogTail(10);
    tail.add('api', record('api', 1, 'error'));
    tail.add('api', record('api', 2, 'debug'));
    tail.add('api', record('api', 3, 'warn'));
    tail.add('web', record('web', 4, 'fatal'));
    const query = { service: 'api', severity: 'warn', sinceMs: 2, limit: 100 } as const;
    expect(tail.query(query).map((r) => r.message)).toEqual(['api@3']);
  });

  it('answers an unknown service with no records', () => {
    const tail = new LogTail(2);
    tail.add('api', record('api', 1));
    expect(tail.query({ ...ALL, service: 'nope' })).toEqual([]);
  });
});
