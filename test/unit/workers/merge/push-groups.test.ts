import { describe, expect, it } from 'vitest';
import { SeriesKind, type GroupOp, type PushedFamily } from '../../../../src/protocol.js';
import { foldEpoch } from '../../../../workers/merge/fold.js';
import { PushGroups } from '../../../../workers/merge/push-groups.js';
import { createMergedStore, definition, shardDelta } from '../../../helpers/merge.js';

const BATCH = ['job', 'batch'];
const NIGHTLY = ['job', 'nightly'];

function gauge(name: string, group: string[], value: number, labels: string[] = []): PushedFamily {
  return { name, type: 'gauge', help: '', samples: [[name, [...group, ...labels], value]] };
}

function op(
  method: GroupOp['method'],
  order: number,
  group: string[],
  families: PushedFamily[] = [],
): GroupOp {
  return { method, order, group, pushTimeSeconds: 1000 + order, families };
}

/** The non-comment lines of the text exposition. */
async function linesOf(merged: ReturnType<typeof createMergedStore>): Promise<string[]> {
  const text = await merged.registries.text.metrics();
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

function createGroups() {
  const merged = createMergedStore();
  return { merged, groups: new PushGroups(merged.claims, merged.registrar) };
}

describe('PushGroups', () => {
  it('shows each group with its grouping labels and its push time', async () => {
    const { merged, groups } = createGroups();

    groups.apply([op('put', 1, BATCH, [gauge('depth', BATCH, 3)])]);
    groups.apply([op('put', 2, NIGHTLY, [gauge('depth', NIGHTLY, 9)])]);

    expect(await linesOf(merged)).toEqual([
      'push_time_seconds{job="batch"} 1001',
      'push_time_seconds{job="nightly"} 1002',
      'depth{job="batch"} 3',
      'depth{job="nightly"} 9',
    ]);
  });

  it('replaces the whole group on PUT and only the named families on POST', async () => {
    const { merged, groups } = createGroups();
    groups.apply([op('put', 1, BATCH, [gauge('a', BATCH, 1), gauge('b', BATCH, 2)])]);

    groups.apply([op('post', 2, BATCH, [gauge('a', BATCH, 10)])]);
    const afterPost = await linesOf(merged);
    groups.apply([op('put', 3, BATCH, [gauge('b', BATCH, 20)])]);
    const afterPut = await linesOf(merged);

    expect(afterPost).toEqual([
      'push_time_seconds{job="batch"} 1002',
      'a{job="batch"} 10',
      'b{job="batch"} 2',
    ]);
    expect(afterPut).toEqual(['push_time_seconds{job="batch"} 1003', 'b{job="batch"} 20']);
  });

  it('removes the group and its push time on DELETE, keeping the other groups', async () => {
    const { merged, groups } = createGroups();
    groups.apply([
      op('put', 1, BATCH, [gauge('a', BATCH, 1)]),
      op('put', 2, NIGHTLY, [gauge('a', NIGHTLY, 2)]),
    ]);

    groups.apply([op('delete', 3, BATCH)]);

    expect(await linesOf(merged)).toEqual([
      'push_time_seconds{job="nightly"} 1002',
      'a{job="nightly"} 2',
    ]);
  });

  it('takes pushed counter values as absolute, never adding', async () => {
    const { merged, groups } = createGroups();
    const counter = (value: number): PushedFamily => ({
      name: 'done_total',
      type: 'counter',
      help: 'Done.',
      samples: [['done_total', BATCH, value]],
    });

    groups.apply([op('put', 1, BATCH, [counter(5)])]);
    groups.apply([op('put', 2, BATCH, [counter(7)])]);

    expect(await linesOf(merged)).toContain('done_total{job="batch"} 7');
    expect(await merged.registries.openmetrics.metrics()).toContain('done_total{job="batch"} 7');
  });

  it('applies the ops of several shards in stream order, whatever order they came in', async () => {
    const { merged, groups } = createGroups();

    groups.apply([
      op('put', 5, BATCH, [gauge('a', BATCH, 2)]),
      op('delete', 3, BATCH),
      op('put', 1, BATCH, [gauge('a', BATCH, 1)]),
    ]);

    expect(await linesOf(merged)).toEqual([
      'push_time_seconds{job="batch"} 1005',
      'a{job="batch"} 2',
    ]);
  });

  it('refuses a family whose name StatsD claimed first, keeping the rest of the push', async () => {
    const { merged, groups } = createGroups();
    foldEpoch(merged.store, [
      shardDelta({
        shard: 0,
        epoch: 0,
        definitions: [definition(SeriesKind.Counter, 0, 'hits', 0)],
        counters: new Float64Array([0, 1, 4]),
      }),
    ]);

    const refused = groups.apply([
      op('put', 1, BATCH, [gauge('hits_total', BATCH, 9), gauge('ok', BATCH, 1)]),
    ]);

    expect(refused).toBe(1);
    expect(await linesOf(merged)).toEqual([
      'hits_total 4',
      'push_time_seconds{job="batch"} 1001',
      'ok{job="batch"} 1',
    ]);
  });

  it('refuses a name pushed again with another type', async () => {
    const { merged, groups } = createGroups();
    groups.apply([op('put', 1, BATCH, [gauge('a', BATCH, 1)])]);

    const untyped: PushedFamily = {
      name: 'a',
      type: 'untyped',
      help: '',
      samples: [['a', NIGHTLY, 5]],
    };
    const refused = groups.apply([op('put', 2, NIGHTLY, [untyped])]);

    expect(refused).toBe(1);
    expect(await linesOf(merged)).toEqual([
      'push_time_seconds{job="batch"} 1001',
      'push_time_seconds{job="nightly"} 1002',
      'a{job="batch"} 1',
    ]);
  });
});
