import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { MappingConfig } from '../protocol.js';
import { validateMappingFile } from './mapping-file.js';

/**
 * What POST /-/reload answers: 200 once every thread applied the rules; 500 when the file
 * was bad (the old rules stay); 503 when some thread did not say it applied them in time
 * (they were sent, and apply when it catches up).
 */
export type ReloadOutcome =
  { isReloaded: true } | { isReloaded: false; status: 500 | 503; reason: string };

export interface MappingReloadTargets {
  /**
   * Sends the new rules to every shard and the merger; resolves with the names of those
   * that had not applied them at the deadline (none when all did).
   */
  apply(mapping: MappingConfig): Promise<string[]>;
  /** Counts a reload that kept the old rules. */
  countFailure(): void;
  log: Logger;
  /** How long `apply` waits; named in the 503 answer. */
  ackTimeoutMs: number;
}

/**
 * SIGHUP and POST /-/reload: re-reads the mapping file. A file that fails to load keeps the
 * rules in force; the failure is logged and counted, never fatal. Without a file there is
 * nothing to re-read and the reload succeeds doing nothing.
 */
export function createMappingReload(
  path: string | null,
  targets: MappingReloadTargets,
): () => Promise<ReloadOutcome> {
  return async () => {
    if (path === null) return { isReloaded: true };
    let config: MappingConfig;
    try {
      const loaded = validateMappingFile(path);
      for (const warning of loaded.warnings) {
        targets.log.warn({ reason: warning }, 'mapping key ignored');
      }
      config = loaded.config;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      targets.countFailure();
      targets.log.error({ err }, 'mapping reload failed; keeping the rules in force');
      return { isReloaded: false, status: 500, reason: err.message };
    }

    const missing = await targets.apply(config);
    if (missing.length > 0) {
      const reason = `${missing.join(', ')} did not apply the new rules within ${targets.ackTimeoutMs} ms; they apply them when they catch up`;
      targets.log.warn({ reason }, 'mapping reload not acknowledged');
      return { isReloaded: false, status: 503, reason };
    }
    targets.log.info({ count: config.rules.length }, 'mapping reloaded');
    return { isReloaded: true };
  };
}
