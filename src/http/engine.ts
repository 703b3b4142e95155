import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from '../log.js';
import type { HttpEngine } from './exchange.js';
import { BodyBudget } from './body-budget.js';
import { createNodeHttpEngine, type EngineLimits } from './node-engine.js';
import { createUwsEngine, type UwsModule } from './uws-engine.js';

const require = createRequire(import.meta.url);

interface Candidate {
  packageName: string;
  /** Loads the native binding itself, or throws; never a silent JS fallback. */
  load(): UwsModule;
}

/**
 * Native uWebSockets.js bindings, in order of preference:
 *  - @btc-vision/uwebsockets.js builds for Node 20, 22, 24 and 25, but needs glibc 2.38;
 *  - the trufflesuite fork (installed as `uWebSockets.js`) builds for Node 16 to 20 on
 *    older glibc. Its entry point falls back to a slow JS server without failing, so its
 *    binary is required directly: a load error then is an error, not a silent fallback.
 * When neither loads, node:http serves, and start-up says so at warn level.
 */
const CANDIDATES: Candidate[] = [
  {
    packageName: '@btc-vision/uwebsockets.js',
    load: () => require('@btc-vision/uwebsockets.js') as UwsModule,
  },
  {
    packageName: 'uWebSockets.js',
    load: () =>
      require(
        `uWebSockets.js/binaries/uws_${process.platform}_${process.arch}_${process.versions.modules}.node`,
      ) as UwsModule,
  },
];

export function selectHttpEngine(
  preference: 'auto' | 'node',
  log: Logger,
  limits: EngineLimits,
): HttpEngine {
  // One budget for whichever engine serves: it spans both listeners.
  const budget = new BodyBudget(limits.maxInflightBodyBytes);
  const nodeHttpEngine = createNodeHttpEngine(limits, budget);
  if (preference === 'node') {
    log.info({ engine: nodeHttpEngine.name }, 'http engine chosen by --http-engine');
    return nodeHttpEngine;
  }

  const failures: Array<{ package: string; reason: string }> = [];
  for (const candidate of CANDIDATES) {
    try {
      const binding = candidate.load();
      const name = `uws-native:${candidate.packageName}@${versionOf(candidate.packageName)}`;
      log.info({ engine: name }, 'http engine loaded');
      return createUwsEngine(binding, name, budget);
    } catch (error) {
      failures.push({ package: candidate.packageName, reason: reasonOf(error) });
    }
  }

  log.warn(
    { engine: nodeHttpEngine.name, failures },
    'no native uWebSockets.js binding loads here; serving HTTP with node:http, which is slower',
  );
  return nodeHttpEngine;
}

/** Read from the package's own package.json; one of them does not export that path. */
function versionOf(packageName: string): string {
  try {
    let directory = dirname(require.resolve(packageName));
    while (directory !== dirname(directory)) {
      const manifest = join(directory, 'package.json');
      if (existsSync(manifest)) {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (parsed.name !== undefined) return parsed.version ?? 'unknown';
      }
      directory = dirname(directory);
    }
  } catch {
    // Fall through: the version is only for the logs and build_info.
  }
  return 'unknown';
}

/** The line that says why: the missing file, or the loader's last word (e.g. glibc). */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').filter((line) => line.trim() !== '');
  const isMissing = (error as { code?: string }).code === 'MODULE_NOT_FOUND';
  return (isMissing ? lines[0] : lines[lines.length - 1]) ?? message;
}
