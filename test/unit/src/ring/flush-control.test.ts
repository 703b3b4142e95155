import { afterEach, describe, expect, it, vi } from 'vitest';
import { IngestCounters, TRANSPORT_UDP } from '../../../../src/ingest/ingest-counters.js';
import { FlushControl } from '../../../../src/ring/flush-control.js';
import {
  CONTROL_CUT_BASE_SLOT,
  CONTROL_EPOCH_SLOT,
  CONTROL_STOP_SLOT,
  CUT_SLOTS,
  DOORBELL_SLOT,
  MIN_RING_BYTES,
  RecordKind,
  createRingBuffer,
} from '../../../../src/ring/layout.js';
import { RingDispatcher } from '../../../../src/ring/ring-dispatcher.js';

function setUp() {
  const rings = [createRingBuffer(MIN_RING_BYTES), createRingBuffer(MIN_RING_BYTES)];
  const dispatcher = new RingDispatcher(rings, new IngestCounters());
  const flush = new FlushControl(dispatcher);
  const control = new Int32Array(flush.buffer);
  const doorbells = (): number[] =>
    rings.map((ring) => Atomics.load(new Int32Array(ring), DOORBELL_SLOT));
  const dispatchRecords = (count: number): void => {
    const bytes = Buffer.from('x:1|c');
    for (let i = 0; i < count; i++) {
      dispatcher.dispatch(RecordKind.StatsdUdp, TRANSPORT_UDP, bytes, 0, bytes.length);
    }
  };
  return { flush, control, doorbells, dispatchRecords };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('FlushControl', () => {
  it('closes the epoch at the next seq to be written and rings every shard', () => {
    const { flush, control, doorbells, dispatchRecords } = setUp();
    dispatchRecords(5);

    expect(flush.cut()).toBe(0);
    expect(flush.epoch).toBe(1);
    expect(control[CONTROL_EPOCH_SLOT]).toBe(1);
    expect(control[CONTROL_CUT_BASE_SLOT + 1]).toBe(5);
    expect(doorbells()).toEqual([1, 1]);

    dispatchRecords(3);
    expect(flush.cut()).toBe(1);
    expect(control[CONTROL_EPOCH_SLOT]).toBe(2);
    expect(control[CONTROL_CUT_BASE_SLOT + 2]).toBe(8);
  });

  it('stores the cut before the epoch, so a shard that sees the epoch sees its cut', () => {
    const { flush, dispatchRecords } = setUp();
    dispatchRecords(2);
    const store = vi.spyOn(Atomics, 'store');

    flush.cut();

    const controlStores = store.mock.calls
      .filter(([array]) => array.buffer === flush.buffer)
      .map(([, slot, value]) => [slot, value]);
    expect(controlStores).toEqual([
      [CONTROL_CUT_BASE_SLOT + 1, 2],
      [CONTROL_EPOCH_SLOT, 1],
    ]);
  });

  it('reuses the cut slots after CUT_SLOTS epochs', () => {
    const { flush, control, dispatchRecords } = setUp();
    for (let epoch = 1; epoch <= CUT_SLOTS + 2; epoch++) {
      dispatchRecords(1);
      flush.cut();
    }

    expect(control[CONTROL_EPOCH_SLOT]).toBe(CUT_SLOTS + 2);
    // Epoch 65 starts at seq 65 and epoch 66 at 66; they overwrote the slots of 1 and 2.
    expect(control[CONTROL_CUT_BASE_SLOT + 1]).toBe(CUT_SLOTS + 1);
    expect(control[CONTROL_CUT_BASE_SLOT + 2]).toBe(CUT_SLOTS + 2);
    expect(control[CONTROL_CUT_BASE_SLOT + 3]).toBe(3);
    expect(control[CONTROL_CUT_BASE_SLOT + 0]).toBe(CUT_SLOTS);
  });

  it('raises STOP and rings every shard on requestStop', () => {
    const { flush, control, doorbells } = setUp();
    expect(control[CONTROL_STOP_SLOT]).toBe(0);

    flush.requestStop();

    expect(control[CONTROL_STOP_SLOT]).toBe(1);
    expect(doorbells()).toEqual([1, 1]);
    expect(flush.epoch).toBe(0);
  });
});
