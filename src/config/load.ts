import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../errors.js';
import { CONFIG_CHECKS } from './checks.js';
import type { DaemonConfig } from './config.js';
import { OPTIONS, type OptionSpec } from './options.js';
import { renderConfigYaml, type EffectiveOption } from './print.js';
import {
  CONFIG_FILE_ENV,
  readConfigFile,
  readEnvironment,
  type Environment,
  type SourcedText,
} from './sources.js';

export type CommandLineOutcome =
  { kind: 'run'; config: DaemonConfig } | { kind: 'exit'; exitCode: number };

export interface CommandLineIo {
  writeOut: (text: string) => void;
  writeErr: (text: string) => void;
  /** CATALYST_* variables are read from here; process.env when absent. */
  env?: Environment;
}

/**
 * Reads the command line, the environment and the --config file into a validated
 * DaemonConfig. --help, --version, --print-config and a passing --check-config print and
 * ask to exit 0; an unknown option or a bad value prints a message naming the option, where
 * it came from, the value and what is expected, and asks to exit 2.
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
  const flags = program.opts<{ config?: string; checkConfig?: boolean; printConfig?: boolean }>();
  const env = io.env ?? process.env;
  let effective: EffectiveOption[];
  let config: DaemonConfig;
  try {
    const configPath = flags.config ?? env[CONFIG_FILE_ENV];
    const file = configPath === undefined ? new Map() : readConfigFile(configPath);
    effective = resolveOptions(program, readEnvironment(env), file);
    config = Object.fromEntries(
      effective.map((o) => [o.spec.key, o.value]),
    ) as unknown as DaemonConfig;
    for (const check of CONFIG_CHECKS) check(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.writeErr(`catalyst-metrics: ${error.message}\n`);
    return { kind: 'exit', exitCode: 2 };
  }

  if (flags.printConfig === true) {
    io.writeOut(renderConfigYaml(effective, version));
    return { kind: 'exit', exitCode: 0 };
  }
  if (flags.checkConfig === true) {
    io.writeOut('catalyst-metrics: configuration is valid\n');
    return { kind: 'exit', exitCode: 0 };
  }
  return { kind: 'run', config };
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
    })
    .addHelpText('after', CONFIGURATION_HELP);

  program.addOption(
    new Option('--config <FILE>', `YAML file of options (also ${CONFIG_FILE_ENV})`).helpGroup(
      'Configuration:',
    ),
  );
  program.addOption(
    new Option('--check-config', 'validate the configuration, then exit 0 or 2').helpGroup(
      'Configuration:',
    ),
  );
  program.addOption(
    new Option('--print-config', 'print the effective configuration as YAML, then exit').helpGroup(
      'Configuration:',
    ),
  );

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

/**
 * Each option's text from the highest layer that sets it (flag, environment, file, default),
 * parsed. An alias on the command line counts as the flag; giving both is refused.
 */
function resolveOptions(
  program: Command,
  env: ReadonlyMap<string, SourcedText>,
  file: ReadonlyMap<string, SourcedText>,
): EffectiveOption[] {
  const values = program.opts<Record<string, string>>();
  return (OPTIONS as readonly OptionSpec[]).map((spec) => {
    const attribute = attributeOf(spec.flag);
    let flagText =
      program.getOptionValueSource(attribute) === 'cli' ? values[attribute] : undefined;
    for (const alias of spec.aliases) {
      const aliasAttribute = attributeOf(alias);
      if (program.getOptionValueSource(aliasAttribute) !== 'cli') continue;
      if (flagText !== undefined) {
        throw new ConfigError(`${alias} and ${spec.flag} are the same option; give only one`);
      }
      flagText = values[aliasAttribute];
    }

    // Flag texts were validated by commander already; the other layers are checked here.
    const sourced = env.get(spec.key) ?? file.get(spec.key);
    const text = flagText ?? sourced?.text ?? spec.defaultText;
    try {
      return { spec, text, value: spec.parse(text) };
    } catch (error) {
      const origin = sourced?.origin ?? `the default of ${spec.flag}`;
      throw new ConfigError(`${origin} has '${text}'; ${(error as Error).message}`);
    }
  });
}

const CONFIGURATION_HELP = `
Every option can also be set in the --config YAML file, under its name without "--"
(flush-interval-ms: 1000), or in the environment as CATALYST_<NAME>
(CATALYST_FLUSH_INTERVAL_MS=1000). Precedence: flag > environment > file > default.
`;

/** Commander's attribute name for a flag: `--statsd.listen-udp` → `statsd.listenUdp`. */
function attributeOf(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
