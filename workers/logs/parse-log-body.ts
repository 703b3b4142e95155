import type { LogRefusalReason } from '../../src/protocol.js';
import { validateRecord, type LogRecord } from './log-record.js';

export interface ParsedLogBody {
  records: LogRecord[];
  refused: Partial<Record<LogRefusalReason, number>>;
}

/**
 * A body of `POST /api/v1/logs`: a JSON array of records, or JSON lines (one record per
 * line). Told apart by the first non-blank byte, not the content type, so curl's default
 * type works too. A bad line or element is counted and skipped; its neighbours still land.
 */
export function parseLogBody(text: string, receivedAtMs: number): ParsedLogBody {
  const result: ParsedLogBody = { records: [], refused: {} };
  const refuse = (reason: LogRefusalReason): void => {
    result.refused[reason] = (result.refused[reason] ?? 0) + 1;
  };
  const accept = (value: unknown): void => {
    const outcome = validateRecord(value, receivedAtMs);
    if (outcome.ok) result.records.push(outcome.record);
    else refuse(outcome.reason);
  };

  // Array: one parse; a broken array refuses the whole body, there are no lines to save.
  if (text.trimStart().startsWith('[')) {
    const elements = tryParse(text);
    if (!Array.isArray(elements)) refuse('malformed_json');
    else for (const element of elements) accept(element);
    return result;
  }

  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const value = tryParse(line);
    if (value === undefined) refuse('malformed_json');
    else accept(value);
  }
  return result;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
