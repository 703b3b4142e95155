/** Command-line options of `npm run bench`, parsed without side effects so tests can hold them. */

export interface BenchOptions {
  isQuick: boolean;
  isHelp: boolean;
  /** Peers run in full runs unless --no-peers; in --quick runs only with --peers. */
  isPeersEnabled: boolean | null;
  /** Substrings; a scenario runs when its name contains one. Empty: every scenario. */
  only: string[];
  senders: number;
  resultsDirectory: string;
  /** --cpu-prof: run each daemon under `node --cpu-prof` and summarise every thread's profile. */
  isCpuProfiling: boolean;
}

export const DEFAULT_SENDERS = 2;

export function parseBenchArgs(args: string[], defaultResultsDirectory: string): BenchOptions {
  const options: BenchOptions = {
    isQuick: false,
    isHelp: false,
    isPeersEnabled: null,
    only: [],
    senders: DEFAULT_SENDERS,
    resultsDirectory: defaultResultsDirectory,
    isCpuProfiling: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--quick') options.isQuick = true;
    else if (arg === '--help' || arg === '-h') options.isHelp = true;
    else if (arg === '--peers') options.isPeersEnabled = true;
    else if (arg === '--no-peers') options.isPeersEnabled = false;
    else if (arg === '--only') options.only.push(requireValue(args, ++i, arg));
    else if (arg === '--senders')
      options.senders = parsePositiveInteger(requireValue(args, ++i, arg), arg);
    else if (arg === '--results-dir') options.resultsDirectory = requireValue(args, ++i, arg);
    else if (arg === '--cpu-prof') options.isCpuProfiling = true;
    else throw new Error(`unknown option ${arg}; see --help`);
  }
  return options;
}

function requireValue(args: string[], index: number, flag: string): string {
  const value = args[index];
  if (value === undefined) throw new Error(`${flag} needs a value`);
  return value;
}

function parsePositiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${flag} must be a positive integer, got ${text}`);
  return value;
}

export function helpText(
  scenarios: Array<{ name: string; description: string; isInQuick: boolean }>,
): string {
  const width = Math.max(...scenarios.map((s) => s.name.length));
  return [
    'usage: npm run bench -- [--quick] [--only <text>]... [--[no-]peers] [--senders <n>] [--results-dir <dir>] [--cpu-prof]',
    '',
    '  --quick            fewer and shorter trials, skips scenarios not marked quick (< 60 s)',
    '  --peers            run installed peers (netdata, collectd) even with --quick',
    '  --no-peers         do not run peers (they run by default in full runs)',
    '  --only <text>      run scenarios whose name contains <text>; repeatable',
    `  --senders <n>      UDP sender processes of the blaster (default ${DEFAULT_SENDERS})`,
    '  --results-dir <d>  where <timestamp>.json and .svg go (default bench/results)',
    '  --cpu-prof         run each daemon under node --cpu-prof; every thread (main, shards,',
    '                     merger) writes a profile to <results-dir>/<timestamp>-cpuprof/<scenario>/',
    '                     and the top self-time functions go into the JSON and the printed table;',
    "                     figures measured this way carry the profiler's cost",
    '  --help             this text',
    '',
    'scenarios (q: also in --quick):',
    ...scenarios.map(
      (s) => `  ${s.isInQuick ? 'q' : ' '} ${s.name.padEnd(width)}  ${s.description}`,
    ),
  ].join('\n');
}
