import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';
import { OPTIONS, type OptionSpec } from './options.js';

/**
 * Where an option's text comes from, besides the command line: the --config YAML file and
 * CATALYST_<OPTION> environment variables. Precedence, highest first: flag, environment,
 * file, default. Both layers are derived from the OPTIONS table, so an option added there
 * works in the file and the environment without further code.
 */

/** The environment variable that names the config file, for containers without flags. */
export const CONFIG_FILE_ENV = 'CATALYST_CONFIG';
const ENV_PREFIX = 'CATALYST_';

/** An option's text and a description of where it came from, for error messages. */
export interface SourcedText {
  text: string;
  origin: string;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** `--flush-interval-ms` → `flush-interval-ms`, the option's key in the YAML file. */
export function fileKeyOf(flag: string): string {
  return flag.replace(/^--/, '');
}

/** `--flush-interval-ms` → `CATALYST_FLUSH_INTERVAL_MS`. */
export function envNameOf(flag: string): string {
  return ENV_PREFIX + fileKeyOf(flag).replace(/[-.]/g, '_').toUpperCase();
}

/** Options set in the environment, by key. Refuses a CATALYST_ variable no option owns. */
export function readEnvironment(env: Environment): Map<string, SourcedText> {
  const byName = new Map<string, OptionSpec>();
  for (const spec of OPTIONS as readonly OptionSpec[]) byName.set(envNameOf(spec.flag), spec);

  const found = new Map<string, SourcedText>();
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || name === CONFIG_FILE_ENV || text === undefined) continue;
    const spec = byName.get(name);
    if (spec === undefined) {
      throw new ConfigError(
        `environment variable ${name} is not an option; expected one of ${CONFIG_FILE_ENV}, ` +
          [...byName.keys()].join(', '),
      );
    }
    found.set(spec.key, { text, origin: `environment variable ${name}` });
  }
  return found;
}

/**
 * Options set in a YAML file, by key. Keys are the option names without `--`, or the
 * statsd_exporter spellings; numbers and lists are turned back into option text.
 */
export function readConfigFile(path: string): Map<string, SourcedText> {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`--config ${path} cannot be read: ${(error as Error).message}`);
  }
  if (document === null || document === undefined) return new Map();
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new ConfigError(`--config ${path} must be a YAML mapping of option names to values`);
  }

  const byKey = new Map<string, OptionSpec>();
  for (const spec of OPTIONS as readonly OptionSpec[]) {
    for (const flag of [spec.flag, ...spec.aliases]) byKey.set(fileKeyOf(flag), spec);
  }
  const found = new Map<string, SourcedText>();
  for (const [key, value] of Object.entries(document)) {
    const spec = byKey.get(key);
    if (spec === undefined) {
      throw new ConfigError(
        `unknown key '${key}' in ${path}; expected one of ${[...byKey.keys()].join(', ')}`,
      );
    }
    const origin = `key '${key}' in ${path}`;
    if (found.has(spec.key)) {
      throw new ConfigError(`${origin} sets ${spec.flag} a second time; give only one spelling`);
    }
    found.set(spec.key, { text: textOf(value, origin), origin });
  }
  return found;
}

/** A YAML scalar or list of scalars as the option text the command line would carry. */
function textOf(value: unknown, origin: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'number')) {
    return value.join(',');
  }
  throw new ConfigError(
    `${origin} has ${JSON.stringify(value)}; expected a string, a number or a list of numbers`,
  );
}
