#!/usr/bin/env node
import { loadCommandLine } from './config/load.js';
import { ConfigError } from './errors.js';
import { formatListenAddress } from './config/listen-address.js';
import { createRootLogger } from './log.js';
import { startDaemon } from './main.js';
import { VERSION } from './version.js';

/** The `catalyst-metrics` command: parse the command line, start, stop cleanly on signals. */
async function main(): Promise<void> {
  const outcome = loadCommandLine(process.argv.slice(2), VERSION, {
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
  });
  if (outcome.kind === 'exit') {
    process.exitCode = outcome.exitCode;
    return;
  }

  const { config } = outcome;
  const log = createRootLogger(config.logLevel);
  log.info(
    {
      version: VERSION,
      node: process.version,
      workers: config.workers,
      flushIntervalMs: config.flushIntervalMs,
      statsdUdp: formatListenAddress(config.statsdUdp),
      statsdTcp: formatListenAddress(config.statsdTcp),
      http: formatListenAddress(config.http),
    },
    'starting',
  );

  let daemon;
  try {
    daemon = await startDaemon(config, log);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`catalyst-metrics: ${err.message}\n`);
      process.exit(2);
    }
    // Worker threads may already run; exit rather than linger half-started.
    log.fatal({ err }, 'start-up failed');
    log.flush();
    process.exit(1);
  }
  log.info({ ports: daemon.ports, engine: daemon.httpEngine }, 'ready to receive');

  const shutdown = (signal: string): void => {
    log.info({ signal }, 'shutting down');
    // Past this bound something is stuck; exiting beats hanging the host's stop sequence.
    const timer = setTimeout(() => {
      log.error({ signal }, 'shutdown took too long; exiting');
      process.exit(1);
    }, 10_000);
    timer.unref();
    daemon.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGHUP', () => void daemon.reload());
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();
