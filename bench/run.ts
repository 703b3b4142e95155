/**
 * `npm run bench`: runs the scenarios in order, one progress line at a time, then writes
 * bench/results/<timestamp>.json and .svg, prints the table and the change against the
 * previous results file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeSenders } from './load/blaster.js';
import { helpText, parseBenchArgs } from './options.js';
import { renderChartSvg } from './report/chart-svg.js';
import { readCpuProfiles } from './report/cpu-profile.js';
import { compareResults } from './report/compare.js';
import {
  describeEnvironment,
  readPreviousResults,
  resultsBaseName,
  writeResults,
} from './report/result-file.js';
import { renderChanges, renderProfiles, renderTable } from './report/table.js';
import { SCENARIOS } from './scenarios/index.js';
import type { BenchContext, ScenarioResult } from './scenarios/scenario.js';

// dist/bench/run.js → the repository's bench/results, not one under dist/.
const DEFAULT_RESULTS_DIRECTORY = fileURLToPath(new URL('../../bench/results', import.meta.url));

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2), DEFAULT_RESULTS_DIRECTORY);
  if (options.isHelp) {
    console.log(helpText(SCENARIOS));
    return;
  }
  const selected = SCENARIOS.filter((s) =>
    options.only.length > 0
      ? options.only.some((text) => s.name.includes(text))
      : !options.isQuick || s.isInQuick,
  );
  const started = new Date();
  const baseName = resultsBaseName(started);
  const context: BenchContext = {
    isQuick: options.isQuick,
    senders: options.senders,
    isPeersEnabled: options.isPeersEnabled ?? !options.isQuick,
    progress: (text) => writeProgress(`[${elapsed(started)}] ${text}`),
    ceilings: new Map(),
    cpuProfileDirectory: null,
  };

  const results: ScenarioResult[] = [];
  for (const [i, scenario] of selected.entries()) {
    context.progress(`${i + 1}/${selected.length} ${scenario.name}`);
    const cpuProfileDirectory = options.isCpuProfiling
      ? path.join(options.resultsDirectory, `${baseName}-cpuprof`, fileNameOf(scenario.name))
      : null;
    if (cpuProfileDirectory !== null) mkdirSync(cpuProfileDirectory, { recursive: true });
    const scenarioStarted = Date.now();
    try {
      const result = await scenario.run({ ...context, cpuProfileDirectory });
      result.durationSec = Math.round((Date.now() - scenarioStarted) / 1000);
      // Read after the scenario: every thread writes its profile as the daemon exits.
      if (cpuProfileDirectory !== null) result.profiles = readCpuProfiles(cpuProfileDirectory);
      results.push(result);
    } catch (err) {
      // One failing scenario must not lose the figures of the others.
      results.push({
        name: scenario.name,
        losslessLinesPerSec: null,
        ceilingRatio: null,
        figures: { error: String(err) },
      });
    }
  }
  writeProgress('');
  closeSenders();

  const run = { environment: describeEnvironment(options.isQuick, started), scenarios: results };
  const previous = readPreviousResults(options.resultsDirectory, baseName);
  const file = writeResults(options.resultsDirectory, baseName, run);
  const chart = path.join(options.resultsDirectory, `${baseName}.svg`);
  writeFileSync(chart, renderChartSvg(results));

  console.log(renderTable(results));
  if (options.isCpuProfiling) console.log(`\n${renderProfiles(results)}`);
  console.log(
    `\nload average at start: ${run.environment.loadAverage.join(' ')}; took ${elapsed(started)}`,
  );
  console.log(`results: ${file}\nchart:   ${chart}`);
  if (previous !== null)
    console.log(`\n${renderChanges(compareResults(previous.results, run), previous.file)}`);
}

function writeProgress(text: string): void {
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[K${text}`);
  else if (text !== '') console.log(text);
}

/** `udp/packed 1k counters` → `udp-packed-1k-counters`. */
function fileNameOf(scenarioName: string): string {
  return scenarioName.replace(/[^a-zA-Z0-9]+/g, '-');
}

function elapsed(since: Date): string {
  return `${Math.round((Date.now() - since.getTime()) / 1000)} s`;
}

await main();
