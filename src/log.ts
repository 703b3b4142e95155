import pino, { type Logger } from 'pino';
import type { LogLevel } from './config/config.js';

export type { Logger };

/**
 * The one root logger. Components take a child with `component` set; messages are short
 * fixed text, values go in fields (err, component, worker, shard, peer, bytes, count,
 * reason, durationMs, address, port). JSON on stdout, or pretty text when stdout is a TTY.
 */
export function createRootLogger(
  level: LogLevel,
  isPretty = process.stdout.isTTY === true,
): Logger {
  const options = { level, base: { pid: process.pid } };
  if (!isPretty) return pino(options);
  return pino({
    ...options,
    transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } },
  });
}
