import type { DaemonConfig } from './config.js';

/** One option: its flag, spellings, help text, default and parser. */
export interface OptionSpec<K extends keyof DaemonConfig = keyof DaemonConfig> {
  key: K;
  flag: string;
  /** Other spellings, e.g. statsd_exporter's; accepted, not listed first in --help. */
  aliases: string[];
  valueName: string;
  group: 'Listeners' | 'Pipeline' | 'Limits' | 'Security' | 'Operation';
  description: string;
  defaultText: string;
  /** The default as the README states it, when defaultText depends on the machine. */
  documentedDefault?: string;
  parse: (text: string) => DaemonConfig[K];
  /** Left out of --help: test machinery, not for operators. */
  isHidden?: boolean;
}

export function option<K extends keyof DaemonConfig>(spec: OptionSpec<K>): OptionSpec<K> {
  return spec;
}
