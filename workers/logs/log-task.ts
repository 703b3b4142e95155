import pino from 'pino';
import type { MessagePort } from 'node:worker_threads';
import { RateLimitedLog } from '../shard/rate-limited-log.js';
import { LogWorker, type LogWorkerOptions } from './log-worker.js';

/** What the main thread sends (see src/logs/log-worker-client.ts). */
export interface LogTaskOptions extends Omit<LogWorkerOptions, 'onFileError' | 'port'> {
  port: MessagePort;
  logLevel: string;
}

// A full disk fails every write; a few lines a minute say so without flooding the log.
const FILE_ERRORS_PER_MINUTE = 3;

/**
 * Piscina entry point: one long-lived task for the daemon's whole life, like a shard. The
 * pool is never on the request path; bodies arrive on `port`.
 */
export default async function runLogWorker(options: LogTaskOptions): Promise<{ done: true }> {
  const log = pino({ level: options.logLevel, base: { pid: process.pid } }).child({
    component: 'logs',
  });
  const fileErrors = new RateLimitedLog({
    linesPerWindow: FILE_ERRORS_PER_MINUTE,
    windowMs: 60_000,
    now: () => Date.now(),
    write: (fields, message) => log.error(fields, message),
  });
  const worker = new LogWorker({
    ...options,
    onFileError: (err) =>
      fileErrors.log('write_failed', { err, path: options.file?.path }, 'logs file write failed'),
  });
  await worker.run();
  options.port.close();
  return { done: true };
}
