import { ConfigError } from '../errors.js';
import {
  MAX_RING_BYTES,
  MIN_RING_BYTES,
  RECORD_HEADER_BYTES,
  isPowerOfTwo,
} from '../ring/layout.js';
import { LOG_LEVELS, type DaemonConfig, type LogLevel } from './config.js';
import { parseListenAddress, type ListenAddress } from './listen-address.js';

/**
 * Value parsers for options. Each throws an Error whose message says what was expected;
 * the caller adds the option's name and the value received.
 */

export function parseAddress(text: string): ListenAddress | null {
  return parseListenAddress(text);
}

export function parseInteger(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || value < min || value > max) {
      throw new Error(`expected an integer from ${min} to ${max}`);
    }
    return value;
  };
}

export function parseOnOff(text: string): boolean {
  if (text === 'on') return true;
  if (text === 'off') return false;
  throw new Error('expected on or off');
}

/** Free text where '' means "not set" (a token, a path). */
export function parseOptionalText(text: string): string | null {
  return text === '' ? null : text;
}

export function parseRingBytes(text: string): number {
  const value = parseInteger(MIN_RING_BYTES, MAX_RING_BYTES)(text);
  if (!isPowerOfTwo(value)) {
    throw new Error(`expected a power of two from ${MIN_RING_BYTES} to ${MAX_RING_BYTES}`);
  }
  return value;
}

/** `0.005,0.01,0.1,1`: finite, strictly ascending, at least one. */
export function parseBuckets(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  const values = parts.map(Number);
  const isValid =
    parts.length > 0 &&
    parts.every((part) => part !== '') &&
    values.every((value, i) => Number.isFinite(value) && (i === 0 || value > values[i - 1]));
  if (!isValid) throw new Error('expected finite numbers in ascending order, separated by commas');
  return values;
}

export function parseLogLevel(text: string): LogLevel {
  if (!(LOG_LEVELS as readonly string[]).includes(text)) {
    throw new Error(`expected one of ${LOG_LEVELS.join(', ')}`);
  }
  return text as LogLevel;
}

export function parseHttpEngine(text: string): 'auto' | 'node' {
  if (text !== 'auto' && text !== 'node') throw new Error('expected auto or node');
  return text;
}

/**
 * A file path, or `off` (or empty) for none. A file itself is read later, where its errors
 * can name its keys.
 */
export function parseOptionalPath(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' || trimmed === 'off' ? null : trimmed;
}

/** Checks that need more than one option. Throws ConfigError naming both. */
export function validateCombination(config: DaemonConfig): void {
  const largestRecord = config.ringBytes / 2 - RECORD_HEADER_BYTES;
  if (config.tcpMaxLineBytes > largestRecord) {
    throw new ConfigError(
      `--tcp-max-line-bytes must be at most half of --ring-bytes minus ${RECORD_HEADER_BYTES} ` +
        `(${largestRecord}), got ${config.tcpMaxLineBytes}`,
    );
  }
}
