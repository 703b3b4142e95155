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
