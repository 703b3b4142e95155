import { describe, expect, it } from 'vitest';
import { SetStore } from '../../../../workers/shard/set.js';

describe('SetStore', () => {
  it('drains each set series with its sample count and distinct members', () => {
    const sets = new SetStore();
    sets.add(3, 'alice');
    sets.add(7, 'x');
    sets.add(3, 'bob');
    sets.add(3, 'alice');

    expect(sets.drain()).toEqual([
      [3, 3, ['alice', 'bob']],
      [7, 1, ['x']],
    ]);
    expect(sets.drain()).toEqual([]);
  });
});
