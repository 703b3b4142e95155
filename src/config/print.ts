import { stringify } from 'yaml';
import type { OptionSpec } from './options.js';
import { fileKeyOf } from './sources.js';

/** One option's effective text and what it parsed to. */
export interface EffectiveOption {
  spec: OptionSpec;
  text: string;
  value: unknown;
}

/**
 * The effective configuration as a YAML file --config accepts: every option under its own
 * name, numbers as numbers, bucket lists as lists, everything else as the text given.
 */
export function renderConfigYaml(options: readonly EffectiveOption[], version: string): string {
  const document: Record<string, unknown> = {};
  for (const { spec, text, value } of options)
    document[fileKeyOf(spec.flag)] = yamlValueOf(text, value);
  return `# catalyst-metrics ${version}: effective configuration\n${stringify(document)}`;
}

function yamlValueOf(text: string, value: unknown): unknown {
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'number')) return value;
  return text;
}
