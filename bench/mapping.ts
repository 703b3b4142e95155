import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseMappingText } from '../src/config/mapping-file.js';
import type { MappingConfig } from '../src/protocol.js';
import { Mapper } from '../workers/shard/mapper.js';
import { ShardState } from '../workers/shard/shard-state.js';

/**
 * Matching speed with 500 mapping rules (400 globs, 100 regexes), in lines per second.
 *
 *   mapping/map 500 rules distinct names     Mapper.map on names never seen: the uncached cost
 *   shard/ingest 500 rules 1k names          ShardState.ingestStatsd, names repeat: the series
 *                                            table caches each outcome, as in the daemon
 *   shard/ingest no rules 1k names           the same stream without a mapping file
 *   shard/ingest 500 rules 200k names        mostly new spellings: matching on the hot path
 *
 * Run: npm run build && node dist/bench/mapping.js [--json]
 * Every case is bounded in iterations and in time.
 */

const RULES = 500;
const GLOBS = 400;
const MAX_CASE_MS = 3000;
const LINES_PER_DATAGRAM = 50;

function buildRules(): MappingConfig {
  const lines = ['mappings:'];
  for (let i = 0; i < GLOBS; i++) {
    lines.push(`  - match: "svc${i}.*.requests.*"`);
    lines.push(`    name: "svc${i}_requests"`);
    lines.push(`    labels: { route: "$1", code: "\${2}" }`);
  }
  for (let i = 0; i < RULES - GLOBS; i++) {
    lines.push(`  - match: "^app${i}\\\\.([a-z]+)\\\\.latency$"`);
    lines.push('    match_type: regex');
    lines.push(`    name: "app${i}_latency_seconds"`);
    lines.push('    labels: { op: "$1" }');
  }
  return parseMappingText(lines.join('\n')).config;
}

/** A name for case i: a glob hit, a regex hit near the end of the list, or no match. */
function nameOf(i: number, distinct: number): string {
  const n = i % distinct;
  if (n % 3 === 0) return `svc${n % GLOBS}.r${n}.requests.200`;
  if (n % 3 === 1)
    return `app${n % (RULES - GLOBS)}.op${String.fromCharCode(97 + (n % 26))}x.latency`;
  return `unmatched.metric.n${n}`;
}

interface Result {
  name: string;
  linesPerSecond: number;
  lines: number;
  ms: number;
}

function timeMap(mapper: Mapper, maxLines: number): Result {
  const started = performance.now();
  let lines = 0;
  let matched = 0;
  while (lines < maxLines && performance.now() - started < MAX_CASE_MS) {
    for (let i = 0; i < 1000; i++, lines++) {
      if (mapper.map(nameOf(lines, Number.MAX_SAFE_INTEGER), 'c') !== null) matched++;
    }
  }
  const ms = performance.now() - started;
  if (matched === 0) throw new Error('no name matched: the bench measures nothing');
  return {
    name: 'mapping/map 500 rules distinct names',
    linesPerSecond: (lines / ms) * 1000,
    lines,
    ms,
  };
}

function timeIngest(
  name: string,
  mapping: MappingConfig | undefined,
  distinct: number,
  maxLines: number,
): Result {
  const state = new ShardState({
    histogramBuckets: [0.1, 1],
    keepsGaugeOrder: false,
    mapping,
    maxSpellings: 1_000_000,
  });
  const datagrams: string[] = [];
  for (let d = 0; d < 200; d++) {
    const lines: string[] = [];
    for (let i = 0; i < LINES_PER_DATAGRAM; i++)
      lines.push(`${nameOf(d * LINES_PER_DATAGRAM + i, distinct)}:1|c`);
    datagrams.push(lines.join('\n'));
  }
  const started = performance.now();
  let lines = 0;
  let epoch = 0;
  for (let d = 0; lines < maxLines && performance.now() - started < MAX_CASE_MS; d++) {
    state.ingestStatsd(
      datagrams[d % datagrams.length].replaceAll('.n', distinct > 10_000 ? `.e${d}n` : '.n'),
      0,
      0,
    );
    lines += LINES_PER_DATAGRAM;
    if (d % 200 === 199) state.takeDelta(0, 0, epoch++);
  }
  const ms = performance.now() - started;
  return { name, linesPerSecond: (lines / ms) * 1000, lines, ms };
}

function commitOf(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const rules = buildRules();
const mapper = new Mapper(rules);
const results = [
  timeMap(mapper, 2_000_000),
  timeIngest('shard/ingest 500 rules 1k names', rules, 1000, 5_000_000),
  timeIngest('shard/ingest no rules 1k names', undefined, 1000, 5_000_000),
  timeIngest('shard/ingest 500 rules 200k names', rules, 200_000, 2_000_000),
];
const environment = {
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  commit: commitOf(),
  date: new Date().toISOString(),
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ scope: 'mapping', environment, results }, null, 2));
} else {
  console.log(`mapping bench, ${rules.rules.length} rules; ${JSON.stringify(environment)}`);
  for (const r of results) {
    console.log(
      `${r.name.padEnd(40)} ${Math.round(r.linesPerSecond).toLocaleString('en')} lines/s`,
    );
  }
}
