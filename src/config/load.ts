import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../errors.js';
import type { DaemonConfig } from './config.js';
import { OPTIONS, type OptionSpec } from './options.js';
import { validateCombination } from './validate.js';

export type CommandLineOutcome =
  { kind: 'run'; config: DaemonConfig } | { kind: 'exit'; exitCode: number };

export interface CommandLineIo {
  writeOut: (text: string) => void;
  writeErr: (text: string) => void;
}

/**
 * Reads the command line into a validated DaemonConfig. --help and --version print and
 * ask to exit 0; an unknown option or a bad value prints a message naming the option, the
 * value and what is expected, and asks to exit 2.
 */
export function loadCommandLine(
  argv: readonly string[],
  version: string,
  io: CommandLineIo,
): CommandLineOutcome {
  const program = buildProgram(version, io);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return { kind: 'exit', exitCode: error.exitCode === 0 ? 0 : 2 };
    }
    throw error;
  }
  try {
    return { kind: 'run', config: toConfig(program) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.writeErr(`catalyst-metrics: ${error.message}\n`);
    return { kind: 'exit', exitCode: 2 };
  }
}

function buildProgram(version: string, io: CommandLineIo): Command {
  const program = new Command('catalyst-metrics')
    .description(
      'Node-local metric sink: StatsD, DogStatsD and pushes in; one merged Prometheus /metrics out.',
    )
    .version(version, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit')
    .exitOverride()
    .allowExcessArguments(false)
    .configureOutput({
      writeOut: io.writeOut,
      writeErr: io.writeErr,
      outputError: (text, write) => write(`catalyst-metrics: ${text.replace(/^error: /, '')}`),
    });

  for (const spec of OPTIONS as readonly OptionSpec[]) {
    // Validate while commander still knows the option, so its message names it; keep the
    // text (commander treats a parsed null, as `off` gives, like a missing value).
    const validate = (text: string): string => {
      try {
        spec.parse(text);
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
      return text;
    };
    program.addOption(
      new Option(`${spec.flag} <${spec.valueName}>`, spec.description)
        .helpGroup(`${spec.group}:`)
        .default(spec.defaultText)
        .argParser(validate)
        .hideHelp(spec.isHidden === true),
    );
    for (const alias of spec.aliases) {
      program.addOption(
        new Option(`${alias} <${spec.valueName}>`, `same as ${spec.flag}`)
          .helpGroup('Aliases (statsd_exporter):')
          .argParser(validate),
      );
    }
  }
  return program;
}

/** Option values by key; an alias given on the command line wins over the default. */
function toConfig(program: Command): DaemonConfig {
  const values = program.opts<Record<string, string>>();
  const config: Record<string, unknown> = {};
  for (const spec of OPTIONS as readonly OptionSpec[]) {
    const attribute = attributeOf(spec.flag);
    let text = values[attribute];
    for (const alias of spec.aliases) {
      const aliasAttribute = attributeOf(alias);
      if (program.getOptionValueSource(aliasAttribute) !== 'cli') continue;
      if (program.getOptionValueSource(attribute) === 'cli') {
        throw new ConfigError(`${alias} and ${spec.flag} are the same option; give only one`);
      }
      text = values[aliasAttribute];
    }
    config[spec.key] = spec.parse(text);
  }
  validateCombination(config as unknown as DaemonConfig);
  return config as unknown as DaemonConfig;
}

/** Commander's attribute name for a flag: `--statsd.listen-udp` → `statsd.listenUdp`. */
function attributeOf(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
