import { describe, expect, it } from 'vitest';
import { MAX_VALUE_DEPTH, nestsDeeperThan } from '../../../../workers/logs/value-depth.js';

const nestedObjects = (depth: number): unknown =>
  JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
const nestedArrays = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

describe('nestsDeeperThan', () => {
  const rows = [
    { case: 'a number', value: 1, expected: false },
    { case: 'null', value: null, expected: false },
    {
      case: 'objects exactly at the limit',
      value: nestedObjects(MAX_VALUE_DEPTH),
      expected: false,
    },
    {
      case: 'objects one past the limit',
      value: nestedObjects(MAX_VALUE_DEPTH + 1),
      expected: true,
    },
    { case: 'arrays one past the limit', value: nestedArrays(MAX_VALUE_DEPTH + 1), expected: true },
    { case: 'a wide, shallow object', value: { a: [1, 2], b: { c: 'd' } }, expected: false },
    // Walking it recursively would overflow the stack; the check must not.
    { case: '100k levels of arrays', value: nestedArrays(100_000), expected: true },
  ];
  for (const row of rows) {
    it(`says ${row.expected} for ${row.case}`, () => {
      expect(nestsDeeperThan(row.value, MAX_VALUE_DEPTH)).toBe(row.expected);
    });
  }
});
