import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Packr } from 'msgpackr';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  IngestCounters,
  TRANSPORT_TCP,
  TRANSPORT_UDP,
} from '../../../../src/ingest/ingest-counters.js';
import type { DeltaMessage, PushAck, ShardDelta } from '../../../../src/protocol.js';
import { FlushControl } from '../../../../src/ring/flush-control.js';
import { MIN_RING_BYTES, RecordKind, createRingBuffer } from '../../../../src/ring/layout.js';
import { RingDispatcher } from '../../../../src/ring/ring-dispatcher.js';
import {
  MAX_UNFOLDED_DELTAS,
  MergeProgress,
  createMergeProgressBuffer,
} from '../../../../src/ring/merge-progress.js';
import { Shard } from '../../../../workers/shard/shard.js';
import { LINES_PER_RECORD } from '../../../../workers/shard/shard-state.js';

const RECORD = 65536;
const packr = new Packr({ moreTypes: true, useRecords: false });
const openPorts: MessagePort[] = [];

afterEach(() => {
  for (const port of openPorts.splice(0)) port.close();
});

/** The main thread's side: one ring, its dispatcher and the flush control. */
function createMainSide() {
  const ring = createRingBuffer(MIN_RING_BYTES);
  const dispatcher = new RingDispatcher([ring], new IngestCounters());
  const flush = new FlushControl(dispatcher);
  const send = (text: string, kind: RecordKind = RecordKind.StatsdUdp): void => {
    const bytes = Buffer.from(text);
    const transport = kind === RecordKind.StatsdTcp ? TRANSPORT_TCP : TRANSPORT_UDP;
    expect(dispatcher.dispatch(kind, transport, bytes, 0, bytes.length)).toBe(true);
  };
  return { ring, flush, send };
}

/**
 * Runs a shard over everything already in the ring (STOP must be set) and resolves with
 * the `count` deltas it posted.
 */
async function runShard(
  main: ReturnType<typeof createMainSide>,
  count: number,
  options: {
    generation?: number;
    startEpoch?: number;
    onAck?: (ack: PushAck) => void;
    progress?: SharedArrayBuffer;
    maxHeldEpochs?: number;
  } = {},
): Promise<ShardDelta[]> {
  const { port1, port2 } = new MessageChannel();
  openPorts.push(port1, port2);
  const acks = new MessageChannel();
  openPorts.push(acks.port1, acks.port2);
  acks.port2.on('message', (ack: PushAck) => options.onAck?.(ack));
  const deltas: ShardDelta[] = [];
  const received = new Promise<void>((resolve) => {
    port2.on('message', (message: DeltaMessage) => {
      deltas.push(packr.unpack(message.payload) as ShardDelta);
      if (deltas.length === count) resolve();
    });
  });

  const shard = new Shard({
    shard: 0,
    generation: options.generation ?? 0,
    startEpoch: options.startEpoch ?? 0,
    ring: main.ring,
    control: main.flush.buffer,
    mergerPort: port1,
    ackPort: acks.port1,
    histogramBuckets: [1],
    keepsGaugeOrder: true,
    ...(options.progress === undefined ? {} : { progress: options.progress }),
    ...(options.maxHeldEpochs === undefined ? {} : { maxHeldEpochs: options.maxHeldEpochs }),
  });
  await shard.run();
  await received;
  return deltas;
}

describe('Shard', () => {
  it('ships each record in the epoch its seq falls in, one delta per epoch', async () => {
    const main = createMainSide();
    main.send('a:1|c\nb:2|c');
    main.send('a:3|c', RecordKind.StatsdTcp);
    main.flush.cut();
    main.send('a:10|c');
    main.flush.cut();
    main.flush.requestStop();

    const deltas = await runShard(main, 2);

    expect(deltas.map((delta) => delta.epoch)).toEqual([0, 1]);
    expect(deltas[0].definitions.map((d) => [d.id, d.name, d.firstOrder])).toEqual([
      [0, 'a', 0],
      [4, 'b', 1],
    ]);
    expect([...deltas[0].counters]).toEqual([0, 2, 4, 4, 1, 2]);
    expect(deltas[0].stats.lines).toEqual([2, 1]);
    expect(deltas[1].definitions).toEqual([]);
    expect([...deltas[1].counters]).toEqual([0, 1, 10]);
    expect(deltas[1].stats.lines).toEqual([1, 0]);
  });

  it('positions records from the start of their epoch', async () => {
    const main = createMainSide();
    main.send('g:1|g');
    main.send('g:2|g');
    main.flush.cut();
    main.send('x:1|c');
    main.send('g:+3|g\ng:4|g\ng:-1|g');
    main.flush.cut();
    main.flush.requestStop();

    const deltas = await runShard(main, 2);

    expect([...deltas[0].gauges]).toEqual([1, 2, 1, 1 * RECORD, 2, 0]);
    expect([...deltas[1].gauges]).toEqual([1, 3, 1, 1 * RECORD + 1, 4, 1, 1 * RECORD + 2, -1]);
  });

  it('ships an empty delta for an epoch without records', async () => {
    const main = createMainSide();
    main.flush.cut();
    main.send('a:1|c');
    main.flush.cut();
    main.flush.requestStop();

    const deltas = await runShard(main, 2);

    expect(deltas.map((delta) => [delta.epoch, delta.counters.length])).toEqual([
      [0, 0],
      [1, 3],
    ]);
  });

  it("puts records a replaced shard left in the ring before the new epoch's own", async () => {
    const main = createMainSide();
    // Seq 0 belongs to epoch 0, which the failed generation never shipped.
    main.send('g:5|g');
    main.flush.cut();
    main.send('g:7|g\nc:1|c');
    main.flush.cut();
    main.flush.requestStop();

    const [delta] = await runShard(main, 1, { generation: 1, startEpoch: 1 });

    expect(delta.epoch).toBe(1);
    // The pool's generation times a million, plus table restarts (none here).
    expect(delta.generation).toBe(1_000_000);
    expect(delta.definitions.map((d) => [d.name, d.firstOrder])).toEqual([
      ['g', -RECORD],
      ['c', 1],
    ]);
    expect([...delta.gauges]).toEqual([1, 2, 1, 0, 7, 0]);
  });

  it('stores a push body after the StatsD record before it and acks its seq', async () => {
    const main = createMainSide();
    main.send('jobs:1|c');
    const body = JSON.stringify({
      samples: [
        { name: 'jobs', type: 'counter', value: 2 },
        { name: 'depth', type: 'gauge', value: 7 },
        { name: 'bad', type: 'counter', value: 'x' },
      ],
    });
    main.send(body, RecordKind.PushJson);
    main.flush.cut();
    main.flush.requestStop();
    const acks: PushAck[] = [];

    const [delta] = await runShard(main, 1, { onAck: (ack) => acks.push(ack) });
    await vi.waitFor(() => expect(acks).toHaveLength(1));

    expect(acks[0]).toEqual({
      seq: 1,
      accepted: 2,
      refused: { bad_value: 1 },
      bodyError: null,
      firstSampleError: 'samples[2]: "value" must be a finite number',
    });
    expect(delta.definitions.map((d) => [d.name, d.firstOrder])).toEqual([
      ['jobs', 0],
      ['depth', RECORD + 1],
    ]);
    expect([...delta.counters]).toEqual([0, 2, 3]);
    expect([...delta.gauges]).toEqual([1, 1, 1, RECORD + 1, 7, 0]);
  });

  it('holds epochs back while the merger has folded none, and ships them whole at stop', async () => {
    const main = createMainSide();
    const epochs = MAX_UNFOLDED_DELTAS + 2;
    for (let epoch = 0; epoch < epochs; epoch++) {
      main.send('a:1|c');
      main.flush.cut();
    }
    main.flush.requestStop();
    const buffer = createMergeProgressBuffer(1);

    const deltas = await runShard(main, MAX_UNFOLDED_DELTAS + 1, { progress: buffer });

    // Four deltas wait unfolded (the merger never folds here); epochs 4 and 5 are held,
    // then go out together as the final epoch's delta, which the merger waits for.
    expect(deltas.map((delta) => delta.epoch)).toEqual([0, 1, 2, 3, 5]);
    expect(deltas.map((delta) => [...delta.counters])).toEqual([
      [0, 1, 1],
      [0, 1, 1],
      [0, 1, 1],
      [0, 1, 1],
      [0, 2, 2],
    ]);
    const progress = new MergeProgress(buffer);
    expect(progress.heldEpochs()).toBe(2);
    // Epoch 4 is marked skipped once epoch 5 is decided; 5 itself comes as a delta.
    expect([3, 4, 5].map((epoch) => progress.isSkipped(0, epoch))).toEqual([false, true, false]);
  });

  it("ships a hold's stream positions relative to the cut of the epoch it ships as", async () => {
    const main = createMainSide();
    const epochs = MAX_UNFOLDED_DELTAS + 2;
    for (let epoch = 0; epoch < epochs; epoch++) {
      main.send('a:1|c');
      // Epoch 4 is held: its gauge set comes one record before epoch 5's cut.
      if (epoch === MAX_UNFOLDED_DELTAS) main.send('g:3|g');
      main.flush.cut();
    }
    main.flush.requestStop();

    const deltas = await runShard(main, MAX_UNFOLDED_DELTAS + 1, {
      progress: createMergeProgressBuffer(1),
    });

    const held = deltas[MAX_UNFOLDED_DELTAS];
    expect(held.epoch).toBe(5);
    // Record head: id, samples, hasSet, setOrder, setValue, n.
    expect([...held.gauges.subarray(1, 6)]).toEqual([1, 1, -LINES_PER_RECORD, 3, 0]);
    expect(held.definitions.map((d) => [d.name, d.firstOrder])).toEqual([['g', -LINES_PER_RECORD]]);
  });

  it('drops a hold that reaches maxHeldEpochs, counts its records lost, skips its epochs', async () => {
    const main = createMainSide();
    const epochs = MAX_UNFOLDED_DELTAS + 3;
    for (let epoch = 0; epoch < epochs; epoch++) {
      main.send('a:1|c');
      main.flush.cut();
    }
    main.flush.requestStop();
    const buffer = createMergeProgressBuffer(1);

    const deltas = await runShard(main, MAX_UNFOLDED_DELTAS + 1, {
      progress: buffer,
      maxHeldEpochs: 2,
    });

    // Epochs 4 and 5 are held, then dropped at the bound; 6 starts a new hold, shipped at
    // stop with every series defined again (the merger never saw the dropped delta).
    expect(deltas.map((delta) => delta.epoch)).toEqual([0, 1, 2, 3, 6]);
    expect([...deltas[4].counters]).toEqual([0, 1, 1]);
    expect(deltas[4].definitions.map((definition) => definition.name)).toEqual(['a']);
    const progress = new MergeProgress(buffer);
    expect(progress.takeLostRecords()).toBe(2);
    expect(progress.heldEpochs()).toBe(3);
    expect([3, 4, 5, 6].map((epoch) => progress.isSkipped(0, epoch))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('tells main on its control port that it runs, once, beside its delta', async () => {
    const main = createMainSide();
    main.flush.cut();
    main.flush.requestStop();
    const merger = new MessageChannel();
    const control = new MessageChannel();
    openPorts.push(merger.port1, merger.port2, control.port1, control.port2);
    // Two ports: their messages reach this thread in no fixed order between them.
    const events: string[] = [];
    control.port1.on('message', (message: { kind: string }) => events.push(message.kind));
    merger.port2.on('message', (message: DeltaMessage) => events.push(`delta ${message.epoch}`));
    const shard = new Shard({
      shard: 0,
      generation: 0,
      startEpoch: 0,
      ring: main.ring,
      control: main.flush.buffer,
      mergerPort: merger.port1,
      ackPort: new MessageChannel().port1,
      histogramBuckets: [1],
      keepsGaugeOrder: true,
      controlPort: control.port2,
    });

    await shard.run();

    await waitUntil(() => events.length === 2, 'the start and the delta delivered');
    expect(events.sort()).toEqual(['delta 0', 'shard-started']);
  });

  it('on a new merger port counts its unfolded deltas lost, skips their epochs, defines every series again', async () => {
    const main = createMainSide();
    main.send('a:1|c');
    main.flush.cut();
    main.send('a:1|c');
    main.send('b:1|c');
    main.flush.cut();
    const buffer = createMergeProgressBuffer(1);
    const progress = new MergeProgress(buffer);
    const oldMerger = new MessageChannel();
    const newMerger = new MessageChannel();
    const control = new MessageChannel();
    openPorts.push(oldMerger.port2, newMerger.port2, control.port1, control.port2);
    const oldDeltas: ShardDelta[] = [];
    oldMerger.port2.on('message', (message: DeltaMessage) =>
      oldDeltas.push(packr.unpack(message.payload) as ShardDelta),
    );
    const newDeltas: ShardDelta[] = [];
    newMerger.port2.on('message', (message: DeltaMessage) =>
      newDeltas.push(packr.unpack(message.payload) as ShardDelta),
    );
    const shard = new Shard({
      shard: 0,
      generation: 0,
      startEpoch: 0,
      ring: main.ring,
      control: main.flush.buffer,
      mergerPort: oldMerger.port1,
      ackPort: new MessageChannel().port1,
      histogramBuckets: [1],
      keepsGaugeOrder: true,
      progress: buffer,
      controlPort: control.port2,
    });
    const running = shard.run();
    await waitUntil(() => oldDeltas.length === 2, 'both deltas posted to the old merger');

    // The old merger died with epoch 0 folded and epoch 1 (two records) not.
    progress.markFolded(0);
    control.port1.postMessage({ kind: 'merger-port', port: newMerger.port1 }, [newMerger.port1]);
    await waitUntil(() => progress.isSkipped(0, 1), 'the new port taken');
    main.send('a:1|c');
    main.flush.cut();
    main.flush.requestStop();
    await running;
    await waitUntil(() => newDeltas.length === 1, 'the final delta posted to the new merger');

    expect(progress.takeLostRecords()).toBe(2);
    expect([0, 1, 2].map((epoch) => progress.isSkipped(0, epoch))).toEqual([true, true, false]);
    // The new merger knows no series yet: both are defined again, though only a changed.
    expect(newDeltas[0].epoch).toBe(2);
    expect(newDeltas[0].definitions.map((definition) => definition.name).sort()).toEqual([
      'a',
      'b',
    ]);
    expect([...newDeltas[0].counters]).toEqual([0, 1, 1]);
  });
});

/** Bounded wait for a message-driven change; each turn lets the ports deliver. */
async function waitUntil(isDone: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 2000; turn++) {
    if (isDone()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`not in time: ${what}`);
}
