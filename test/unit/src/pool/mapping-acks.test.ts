import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MappingAcks } from '../../../../src/pool/mapping-acks.js';

describe('MappingAcks', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resolves with no one missing as soon as the last participant applied the version', async () => {
    const acks = new MappingAcks(['merger', 'shard 0', 'shard 1']);
    const version = acks.nextVersion();
    const answer = acks.waitFor(version, 1000);
    acks.acknowledge(0, version);
    acks.acknowledge(2, version);
    acks.acknowledge(1, version);
    expect(await answer).toEqual([]);
  });

  it('names who had not applied the version when the wait runs out', async () => {
    const acks = new MappingAcks(['merger', 'shard 0', 'shard 1']);
    const version = acks.nextVersion();
    const answer = acks.waitFor(version, 1000);
    acks.acknowledge(0, version);

    vi.advanceTimersByTime(999);
    acks.acknowledge(2, version);
    vi.advanceTimersByTime(1);
    expect(await answer).toEqual(['shard 0']);
  });

  it('takes a later version as applying the earlier ones too', async () => {
    const acks = new MappingAcks(['merger', 'shard 0']);
    const first = acks.nextVersion();
    const second = acks.nextVersion();
    const answer = acks.waitFor(first, 1000);
    acks.acknowledge(0, second);
    acks.acknowledge(1, second);
    expect(await answer).toEqual([]);
    expect(await acks.waitFor(second, 1000)).toEqual([]);
  });

  it('does not count an older acknowledgement for a newer version', async () => {
    const acks = new MappingAcks(['shard 0']);
    const first = acks.nextVersion();
    const second = acks.nextVersion();
    acks.acknowledge(0, first);
    const answer = acks.waitFor(second, 10);
    vi.advanceTimersByTime(10);
    expect(await answer).toEqual(['shard 0']);
  });
});
