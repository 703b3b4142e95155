import type { DaemonConfig } from './config.js';
import { checkMappingConfig } from './mapping-file.js';
import { validateCombination } from './validate.js';

/**
 * Checks that run on the whole configuration once every option has parsed: at start-up and
 * under --check-config, in this order. Each throws a ConfigError naming the option, the
 * value and the expectation. A check that reads a file an option names (a mapping file,
 * say) belongs here, so --check-config covers it without starting the daemon.
 */
export type ConfigCheck = (config: DaemonConfig) => void;

export const CONFIG_CHECKS: ConfigCheck[] = [validateCombination, checkMappingConfig];
