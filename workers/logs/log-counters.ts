import type { LogRefusalReason, LogSeverity, LogStats } from '../../src/protocol.js';

export const OTHER_SERVICE = 'other';

/**
 * Running totals of pushed logs. Service names come from traffic, so at most `maxServices`
 * distinct ones are kept; records of any later service count under `other`, and
 * servicesOverflowed says how many did.
 */
export class LogCounters {
  readonly #maxServices: number;
  readonly #records = new Map<string, Map<LogSeverity, number>>();
  readonly #refused: Partial<Record<LogRefusalReason, number>> = {};
  #bytes = 0;
  #servicesOverflowed = 0;

  constructor(maxServices: number) {
    this.#maxServices = maxServices;
  }

  /** The service name the record is counted, and tailed, under. */
  serviceFor(service: string): string {
    if (this.#records.has(service)) return service;
    if (this.#records.size < this.#maxServices) {
      this.#records.set(service, new Map());
      return service;
    }
    this.#servicesOverflowed++;
    if (!this.#records.has(OTHER_SERVICE)) this.#records.set(OTHER_SERVICE, new Map());
    return OTHER_SERVICE;
  }

  addRecord(service: string, severity: LogSeverity): void {
    const bySeverity = this.#records.get(service) ?? new Map<LogSeverity, number>();
    this.#records.set(service, bySeverity);
    bySeverity.set(severity, (bySeverity.get(severity) ?? 0) + 1);
  }

  addBytes(bytes: number): void {
    this.#bytes += bytes;
  }

  addRefused(refused: Partial<Record<LogRefusalReason, number>>): void {
    for (const [reason, count] of Object.entries(refused) as Array<[LogRefusalReason, number]>) {
      this.#refused[reason] = (this.#refused[reason] ?? 0) + count;
    }
  }

  snapshot(file: { written: number; dropped: number }): LogStats {
    const records: LogStats['records'] = [];
    for (const [service, bySeverity] of this.#records) {
      for (const [severity, count] of bySeverity) records.push([service, severity, count]);
    }
    return {
      records,
      bytes: this.#bytes,
      refused: { ...this.#refused },
      servicesOverflowed: this.#servicesOverflowed,
      fileWrittenRecords: file.written,
      fileDroppedRecords: file.dropped,
    };
  }
}
