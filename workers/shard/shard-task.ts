import { Shard, type ShardOptions } from './shard.js';

/**
 * Piscina entry point. A shard is one long-lived task per worker, bound to its ring for
 * the worker's whole life; the pool is not on the packet path. The task resolves when the
 * main thread asks the shards to stop, after the final cut has been shipped.
 */
export default async function runShard(options: ShardOptions): Promise<{ shard: number }> {
  await new Shard(options).run();
  options.mergerPort.close();
  options.controlPort?.close();
  return { shard: options.shard };
}
