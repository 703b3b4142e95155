import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Packr } from 'msgpackr';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SeriesKind,
  type Exposition,
  type MergerInbound,
  type ShardDelta,
} from '../../../../src/protocol.js';
import { Merger } from '../../../../workers/merge/merger.js';
import { parseExposition, valueOf } from '../../../helpers/exposition.js';
import { definition, mergerTick, shardDelta } from '../../../helpers/merge.js';

const packr = new Packr({ moreTypes: true, useRecords: false });
const openPorts: MessagePort[] = [];

afterEach(() => {
  for (const port of openPorts.splice(0)) port.close();
});

function channel(): { port1: MessagePort; port2: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  openPorts.push(port1, port2);
  return { port1, port2 };
}

/** A merger on real ports; `next(epoch, format)` waits for that rendering. */
function startMerger(shardCount: number) {
  const main = channel();
  const merger = new Merger({
    mainPort: main.port1,
    version: '0.0.0-test',
    httpEngine: 'node',
    histogramBuckets: [1],
    maxWaitEpochs: 2,
  });
  const renderings: Exposition[] = [];
  const waiters: Array<() => void> = [];
  main.port2.on('message', (message: Exposition) => {
    renderings.push(message);
    for (const wake of waiters.splice(0)) wake();
  });

  const toMerger = (message: MergerInbound, transfer: MessagePort[] = []): void =>
    main.port2.postMessage(message, transfer);
  const shardPorts = Array.from({ length: shardCount }, (_, shard) => {
    const { port1, port2 } = channel();
    toMerger({ kind: 'attach', shard, generation: 0, fromEpoch: 0, port: port2 }, [port2]);
    return port1;
  });
  const sendDelta = (delta: ShardDelta): void =>
    shardPorts[delta.shard].postMessage({
      kind: 'delta',
      shard: delta.shard,
      epoch: delta.epoch,
      payload: packr.pack(delta),
    });

  const next = async (epoch: number, format = 'text'): Promise<string> => {
    // Bounded: one wake per rendering, and a merger renders at most twice per message.
    for (let waits = 0; waits < 50; waits++) {
      const found = renderings.find((r) => r.epoch === epoch && r.format === format);
      if (found !== undefined) return Buffer.from(found.plain).toString('utf8');
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    throw new Error(`no ${format} rendering of epoch ${epoch}`);
  };
  return { merger, toMerger, sendDelta, next };
}

describe('Merger', () => {
  it('renders self-metrics at once, then each epoch when every shard is in', async () => {
    const { toMerger, sendDelta, next } = startMerger(2);
    const first = parseExposition(await next(-1));
    expect(
      valueOf(first, 'catalyst_build_info', {
        version: '0.0.0-test',
        node: process.version,
        http_engine: 'node',
      }),
    ).toBe(1);

    sendDelta(
      shardDelta({
        shard: 0,
        epoch: 0,
        definitions: [definition(SeriesKind.Counter, 0, 'hits', 0)],
        counters: Float64Array.of(0, 2, 5),
      }),
    );
    toMerger(mergerTick(0));
    sendDelta(
      shardDelta({
        shard: 1,
        epoch: 0,
        definitions: [definition(SeriesKind.Gauge, 0, 'hits', 65536)],
        gauges: Float64Array.of(1, 3, 1, 65536, 9, 0),
      }),
    );

    const samples = parseExposition(await next(0));
    expect(valueOf(samples, 'hits_total')).toBe(5);
    expect(valueOf(samples, 'hits')).toBeUndefined();
    expect(valueOf(samples, 'catalyst_samples_dropped_total', { reason: 'type_conflict' })).toBe(3);
    expect(valueOf(samples, 'catalyst_merge_duration_seconds_count')).toBe(1);
  });

  it('renders OpenMetrics on request and resolves stopped after the final epoch', async () => {
    const { merger, toMerger, sendDelta, next } = startMerger(1);
    sendDelta(
      shardDelta({
        shard: 0,
        epoch: 0,
        definitions: [definition(SeriesKind.Counter, 0, 'hits', 0)],
        counters: Float64Array.of(0, 1, 1),
      }),
    );
    toMerger(mergerTick(0));
    await next(0);

    toMerger({ kind: 'render', format: 'openmetrics' });
    const openMetrics = await next(0, 'openmetrics');
    expect(openMetrics).toContain('# TYPE hits counter\nhits_total 1\n');
    expect(openMetrics.endsWith('# EOF\n')).toBe(true);

    toMerger({ kind: 'stop', finalEpoch: 0 });
    await merger.stopped;
  });

  it('renders every epoch, an empty one too, and shows data again once a fold changes it', async () => {
    const { toMerger, sendDelta, next } = startMerger(1);
    const hits = (value: number, epoch: number, definitions = [] as ShardDelta['definitions']) =>
      shardDelta({ shard: 0, epoch, definitions, counters: Float64Array.of(0, 1, value) });
    sendDelta(hits(2, 0, [definition(SeriesKind.Counter, 0, 'hits', 0)]));
    toMerger(mergerTick(0));
    const folded = parseExposition(await next(0));
    expect(valueOf(folded, 'hits_total')).toBe(2);

    // Epoch 1 has no samples: the data part is reused, the self-metrics still move.
    sendDelta(shardDelta({ shard: 0, epoch: 1 }));
    toMerger(mergerTick(1));
    const empty = parseExposition(await next(1));
    expect(valueOf(empty, 'hits_total')).toBe(2);
    expect(valueOf(empty, 'catalyst_merge_duration_seconds_count')).toBe(2);

    sendDelta(hits(3, 2));
    toMerger(mergerTick(2));
    const changed = parseExposition(await next(2));
    expect(valueOf(changed, 'hits_total')).toBe(5);
    expect(valueOf(changed, 'catalyst_merge_duration_seconds_count')).toBe(3);
  });
});
