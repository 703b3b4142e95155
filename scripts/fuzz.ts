import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { STATSD_PROPERTIES } from './fuzz/statsd-properties.js';

/**
 * `npm run fuzz -- --seconds N` (default 60): runs the StatsD properties with fresh seeds
 * in rounds until the time is up, saves each failure's shrunk input under
 * test/fixtures/fuzz/, and exits 1 if there was any.
 */

const ROUND_RUNS = 2_000;
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/fuzz/', import.meta.url));

function secondsFromArgs(argv: readonly string[]): number {
  const at = argv.indexOf('--seconds');
  if (at < 0) return 60;
  const seconds = Number(argv[at + 1]);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) {
    throw new Error(`--seconds must be an integer from 1 to 86400, got ${argv[at + 1]}`);
  }
  return seconds;
}

function main(): number {
  const seconds = secondsFromArgs(process.argv.slice(2));
  const deadline = Date.now() + seconds * 1000;
  const runs = new Map<string, number>();
  let failures = 0;

  // Bounded by the deadline; each round is ROUND_RUNS cases of every property.
  while (Date.now() < deadline) {
    for (const property of STATSD_PROPERTIES) {
      const seed = (Math.random() * 2 ** 31) | 0;
      const result = fc.check(
        fc.property(property.input, (input) => property.check(input)),
        { numRuns: ROUND_RUNS, seed },
      );
      runs.set(property.name, (runs.get(property.name) ?? 0) + result.numRuns);
      if (!result.failed) continue;

      failures++;
      const file = `${FIXTURES}${property.name}-${seed}.json`;
      const saved = {
        property: property.name,
        seed,
        path: result.counterexamplePath,
        input: result.counterexample?.[0],
      };
      mkdirSync(FIXTURES, { recursive: true });
      writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`);
      console.error(`fuzz: ${property.name} failed (seed ${seed}); saved ${file}`);
      console.error(String(result.errorInstance ?? ''));
    }
  }

  for (const [name, count] of runs) console.log(`fuzz: ${name}: ${count} cases`);
  console.log(`fuzz: ${failures} failure(s) in ${seconds} s`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = main();
