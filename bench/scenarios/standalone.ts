import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Scenario, ScenarioResult } from './scenario.js';

/**
 * A benchmark that also runs on its own (`node dist/bench/<file>.js`) and prints a JSON
 * report with a `results` array of rows named by `name` or `case`: the suite runs it as a child process and
 * flattens its rows into figures, `<row name>/<figure>`.
 */
export function standaloneScenario(options: {
  name: string;
  description: string;
  script: string;
  args: (isQuick: boolean) => string[];
  isInQuick: boolean;
}): Scenario {
  return {
    name: options.name,
    description: options.description,
    isInQuick: options.isInQuick,
    async run(context): Promise<ScenarioResult> {
      const script = fileURLToPath(new URL(`../${options.script}`, import.meta.url));
      const stdout = await runNode(script, options.args(context.isQuick));
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
        results: Array<Record<string, unknown>>;
      };
      const figures: ScenarioResult['figures'] = {};
      for (const row of report.results) {
        // push.js names its rows `case`, other scripts `name`.
        const rowName = String(row.name ?? row.case);
        for (const [key, value] of Object.entries(row)) {
          if (key === 'name' || key === 'case') continue;
          if (
            typeof value === 'number' ||
            typeof value === 'string' ||
            typeof value === 'boolean'
          ) {
            figures[`${rowName}/${key}`] = value;
          }
        }
      }
      return { name: options.name, losslessLinesPerSec: null, ceilingRatio: null, figures };
    },
  };
}

function runNode(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    // Bounded: a hung benchmark must not hang the suite.
    execFile(
      process.execPath,
      [script, ...args],
      { timeout: 180_000, maxBuffer: 1 << 24 },
      (err, out) => (err ? reject(err) : resolve(out)),
    );
  });
}
