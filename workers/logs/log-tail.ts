import { LOG_SEVERITIES, type LogTailQuery } from '../../src/protocol.js';
import type { LogRecord } from './log-record.js';

/**
 * The most recent records of each service, for an operator with curl. One fixed-size ring
 * per service, so a chatty service cannot push a quiet one's records out; the number of
 * services is bounded by the caller (LogCounters folds extra services into `other`).
 */
export class LogTail {
  readonly #recordsPerService: number;
  readonly #rings = new Map<string, { slots: LogRecord[]; next: number }>();

  constructor(recordsPerService: number) {
    this.#recordsPerService = recordsPerService;
  }

  add(service: string, record: LogRecord): void {
    let ring = this.#rings.get(service);
    if (ring === undefined) {
      ring = { slots: [], next: 0 };
      this.#rings.set(service, ring);
    }
    if (ring.slots.length < this.#recordsPerService) ring.slots.push(record);
    else ring.slots[ring.next] = record;
    ring.next = (ring.next + 1) % this.#recordsPerService;
  }

  /** Matching records, oldest first, at most `limit`: the newest ones when more match. */
  query(query: LogTailQuery): LogRecord[] {
    const minimum = query.severity === '' ? 0 : LOG_SEVERITIES.indexOf(query.severity);
    const services = query.service === '' ? [...this.#rings.keys()] : [query.service];
    const matches: LogRecord[] = [];
    for (const service of services) {
      for (const record of this.#ordered(service)) {
        if (record.timeMs < query.sinceMs) continue;
        if (LOG_SEVERITIES.indexOf(record.severity) < minimum) continue;
        matches.push(record);
      }
    }
    // Stable sort keeps arrival order between records stamped with the same time.
    if (services.length > 1) matches.sort((a, b) => a.timeMs - b.timeMs);
    return matches.slice(Math.max(0, matches.length - query.limit));
  }

  #ordered(service: string): LogRecord[] {
    const ring = this.#rings.get(service);
    if (ring === undefined) return [];
    if (ring.slots.length < this.#recordsPerService) return ring.slots;
    return [...ring.slots.slice(ring.next), ...ring.slots.slice(0, ring.next)];
  }
}
