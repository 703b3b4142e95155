import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { MappingConfig } from '../protocol.js';
import { validateMappingFile } from './mapping-file.js';

export type ReloadOutcome = { isReloaded: true } | { isReloaded: false; reason: string };

export interface MappingReloadTargets {
  /** Sends the new rules to every shard and the merger. */
  apply(mapping: MappingConfig): void;
  /** Counts a reload that kept the old rules. */
  countFailure(): void;
  log: Logger;
}

/**
 * SIGHUP and POST /-/reload: re-reads the mapping file. A file that fails to load keeps the
 * rules in force; the failure is logged and counted, never fatal. Without a file there is
 * nothing to re-read and the reload succeeds doing nothing.
 */
export function createMappingReload(
  path: string | null,
  targets: MappingReloadTargets,
): () => ReloadOutcome {
  return () => {
    if (path === null) return { isReloaded: true };
    try {
      const { config, warnings } = validateMappingFile(path);
      for (const warning of warnings) targets.log.warn({ reason: warning }, 'mapping key ignored');
      targets.apply(config);
      targets.log.info({ count: config.rules.length }, 'mapping reloaded');
      return { isReloaded: true };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      targets.countFailure();
      targets.log.error({ err }, 'mapping reload failed; keeping the rules in force');
      return { isReloaded: false, reason: err.message };
    }
  };
}
