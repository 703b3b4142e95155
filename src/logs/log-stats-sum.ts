import type { LogRefusalReason } from '../errors.js';
import type { LogStats } from './log-protocol.js';

/**
 * Running totals of two log-worker generations added up: a replacement reports from zero,
 * and the self-metrics must carry on from what the failed one had reported.
 */
export function addLogStats(before: LogStats, after: LogStats): LogStats {
  const records = new Map<string, [LogStats['records'][number][1], number, string]>();
  for (const [service, severity, count] of [...before.records, ...after.records]) {
    const key = `${service}\u0000${severity}`;
    const entry = records.get(key);
    if (entry === undefined) records.set(key, [severity, count, service]);
    else entry[1] += count;
  }
  const refused: Partial<Record<LogRefusalReason, number>> = { ...before.refused };
  for (const [reason, count] of Object.entries(after.refused) as Array<
    [LogRefusalReason, number]
  >) {
    refused[reason] = (refused[reason] ?? 0) + count;
  }
  return {
    records: [...records.values()].map(([severity, count, service]) => [service, severity, count]),
    bytes: before.bytes + after.bytes,
    refused,
    servicesOverflowed: before.servicesOverflowed + after.servicesOverflowed,
    fileWrittenRecords: before.fileWrittenRecords + after.fileWrittenRecords,
    fileDroppedRecords: before.fileDroppedRecords + after.fileDroppedRecords,
  };
}
