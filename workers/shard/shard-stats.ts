import { PARSE_REASONS, type ParseReason } from '../../src/errors.js';
import { TRANSPORTS, type ShardStats } from '../../src/protocol.js';

const REASON_INDEX = new Map<ParseReason, number>(PARSE_REASONS.map((reason, i) => [reason, i]));

export function createShardStats(): ShardStats {
  return {
    lines: TRANSPORTS.map(() => 0),
    parseErrors: TRANSPORTS.map(() => PARSE_REASONS.map(() => 0)),
    samples: 0,
    events: 0,
    serviceChecks: 0,
    droppedTags: 0,
    mappingDropped: 0,
    spellingLimitDropped: 0,
  };
}

export function countParseError(stats: ShardStats, transport: number, reason: ParseReason): void {
  stats.parseErrors[transport][REASON_INDEX.get(reason)!]++;
}
