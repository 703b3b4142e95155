import { describe, expect, it } from 'vitest';
import { BodyBudget } from '../../../../src/http/body-budget.js';

describe('BodyBudget', () => {
  it('takes bytes up to its limit exactly, refuses the chunk that would pass it, and takes again once given back', () => {
    const budget = new BodyBudget(100);
    expect(budget.tryTake(60)).toBe(true);
    expect(budget.tryTake(40)).toBe(true);
    expect(budget.tryTake(1)).toBe(false);
    expect(budget.heldBytes).toBe(100);

    budget.give(60);
    expect(budget.heldBytes).toBe(40);
    expect(budget.tryTake(60)).toBe(true);
    expect(budget.tryTake(1)).toBe(false);
  });
});
