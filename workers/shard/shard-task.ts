import pino from 'pino';
import { RateLimitedLog } from './rate-limited-log.js';
import { Shard, type ShardOptions } from './shard.js';

/** What the main thread sends: the shard's options, and the daemon's log level. */
export interface ShardTaskOptions extends ShardOptions {
  logLevel?: string;
}

// Bad-line logs per reason per minute, per shard; enough to see the shape of the input.
const BAD_LINES_PER_MINUTE = 10;
// A log line quotes this much of the refused line, so a 64 kB line stays one short record.
const QUOTED_LINE_CHARS = 200;

/**
 * Piscina entry point. A shard is one long-lived task per worker, bound to its ring for
 * the worker's whole life; the pool is not on the packet path. The task resolves when the
 * main thread asks the shards to stop, after the final cut has been shipped.
 */
export default async function runShard(options: ShardTaskOptions): Promise<{ shard: number }> {
  const onBadLine = createBadLineLog(options);
  await new Shard({ ...options, ...(onBadLine === undefined ? {} : { onBadLine }) }).run();
  options.mergerPort.close();
  options.ackPort.close();
  options.controlPort?.close();
  return { shard: options.shard };
}

/** A rate-limited debug log of refused lines, or undefined when debug is off. */
function createBadLineLog(options: ShardTaskOptions): ShardOptions['onBadLine'] {
  if (options.logLevel !== 'debug' && options.logLevel !== 'trace') return undefined;
  // JSON straight to fd 1 from this thread; pretty printing stays with the main thread.
  const log = pino({ level: options.logLevel, base: { pid: process.pid } }).child({
    component: 'shard',
    shard: options.shard,
  });
  const limited = new RateLimitedLog({
    linesPerWindow: BAD_LINES_PER_MINUTE,
    windowMs: 60_000,
    now: () => Date.now(),
    write: (fields, message) => log.debug(fields, message),
  });
  return (reason, line, transport) =>
    limited.log(
      reason,
      { transport: transport === 1 ? 'tcp' : 'udp', line: line.slice(0, QUOTED_LINE_CHARS) },
      'bad statsd line',
    );
}
