import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STATSD_PROPERTIES } from '../../scripts/fuzz/statsd-properties.js';

/**
 * The StatsD parser's properties (scripts/fuzz/statsd-properties.ts) over generated input,
 * briefly; fast-check prints the seed and the shrunk input on failure. `npm run fuzz` runs
 * them for longer and saves failures under test/fixtures/fuzz/, replayed here.
 */

const RUNS = 1_000;
const FIXTURES = new URL('../fixtures/fuzz/', import.meta.url);

interface SavedFailure {
  property: string;
  input: unknown;
}

describe('StatsD parser properties', () => {
  for (const property of STATSD_PROPERTIES) {
    it(`holds: ${property.name}`, () => {
      fc.assert(
        fc.property(property.input, (input) => property.check(input)),
        { numRuns: RUNS },
      );
    });
  }
});

describe('saved fuzz failures', () => {
  const saved = readdirSync(FIXTURES).filter((file) => file.endsWith('.json'));
  for (const file of saved) {
    it(`no longer fails: ${file}`, () => {
      const failure = JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as SavedFailure;
      const property = STATSD_PROPERTIES.find((p) => p.name === failure.property);
      expect(property, failure.property).toBeDefined();
      expect(() => property!.check(failure.input)).not.toThrow();
    });
  }

  it('has a folder for them, kept in git', () => {
    expect(readdirSync(FIXTURES)).toContain('README.md');
  });
});
