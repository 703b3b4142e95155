import type { HttpExchange } from './exchange.js';

export type InjectFault = (shard: number, fault: 'throw' | 'exit') => boolean;

/**
 * POST /debug/kill-worker?shard=N[&fault=throw|exit]: makes shard N throw (the default) or
 * end its thread, so tests can watch a replacement happen. Mounted only with
 * --debug-fault-injection on; answers 202 once the fault is armed, 400 for a bad query.
 */
export function createKillWorkerRoute(injectFault: InjectFault): (exchange: HttpExchange) => void {
  return (exchange) => {
    const query = new URLSearchParams(exchange.query);
    const shard = Number(query.get('shard') ?? '');
    const fault = query.get('fault') ?? 'throw';
    if ((fault !== 'throw' && fault !== 'exit') || !injectFault(shard, fault)) {
      exchange.respond(
        400,
        { 'content-type': 'text/plain' },
        'expected shard=N&fault=throw|exit\n',
      );
      return;
    }
    exchange.respond(202, { 'content-type': 'text/plain' }, 'armed\n');
  };
}

export type InjectMergerFault = (fault: 'throw' | 'exit' | 'slow', delayMs: number) => boolean;

/**
 * POST /debug/merger-fault?fault=throw|exit|slow[&delay-ms=N]: makes the merger throw, end
 * its thread, or block for N ms in every fold that has deltas (0 undoes it), so tests can
 * watch a replacement or a merger that falls behind. Mounted with --debug-fault-injection on.
 */
export function createMergerFaultRoute(
  injectFault: InjectMergerFault,
): (exchange: HttpExchange) => void {
  return (exchange) => {
    const query = new URLSearchParams(exchange.query);
    const fault = query.get('fault') ?? 'throw';
    const delayMs = Number(query.get('delay-ms') ?? '0');
    const isFault = fault === 'throw' || fault === 'exit' || fault === 'slow';
    const isDelay = Number.isInteger(delayMs) && delayMs >= 0 && delayMs <= 60_000;
    if (!isFault || !isDelay || !injectFault(fault, delayMs)) {
      exchange.respond(
        400,
        { 'content-type': 'text/plain' },
        'expected fault=throw|exit|slow&delay-ms=0..60000\n',
      );
      return;
    }
    exchange.respond(202, { 'content-type': 'text/plain' }, 'armed\n');
  };
}

/**
 * POST /debug/kill-log-worker: terminates the log worker thread; answers 202 once it is
 * gone. Mounted with --debug-fault-injection on.
 */
export function createKillLogWorkerRoute(
  terminate: () => Promise<void>,
): (exchange: HttpExchange) => void {
  return (exchange) => {
    void terminate().then(() =>
      exchange.respond(202, { 'content-type': 'text/plain' }, 'terminated\n'),
    );
  };
}
