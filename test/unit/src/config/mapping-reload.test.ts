import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMappingReload } from '../../../../src/config/mapping-reload.js';
import type { Logger } from '../../../../src/log.js';
import type { MappingConfig } from '../../../../src/protocol.js';

function mappingFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cm-reload-unit-')), 'mapping.yml');
  writeFileSync(path, text);
  return path;
}

/** A reload whose threads answer with `missing`, recording what it did. */
function reloadWith(path: string, missing: string[]) {
  const seen = { applied: [] as MappingConfig[], failures: 0, messages: [] as string[] };
  const log = {
    info: (_: unknown, msg: string) => seen.messages.push(msg),
    warn: (_: unknown, msg: string) => seen.messages.push(msg),
    error: (_: unknown, msg: string) => seen.messages.push(msg),
  };
  const reload = createMappingReload(path, {
    apply: (mapping) => {
      seen.applied.push(mapping);
      return Promise.resolve(missing);
    },
    countFailure: () => seen.failures++,
    log: log as unknown as Logger,
    ackTimeoutMs: 7000,
  });
  return { reload, seen };
}

const RULES = 'mappings: [{ match: "a.*", name: "a" }]\n';

describe('createMappingReload', () => {
  it('answers reloaded once every thread applied the rules', async () => {
    const { reload, seen } = reloadWith(mappingFile(RULES), []);
    expect(await reload()).toEqual({ isReloaded: true });
    expect(seen.applied.map((mapping) => mapping.rules.length)).toEqual([1]);
    expect(seen.messages).toEqual(['mapping reloaded']);
  });

  it('answers 503 naming the threads that did not apply the rules in time', async () => {
    const { reload, seen } = reloadWith(mappingFile(RULES), ['shard 1']);
    expect(await reload()).toEqual({
      isReloaded: false,
      status: 503,
      reason:
        'shard 1 did not apply the new rules within 7000 ms; they apply them when they catch up',
    });
    expect(seen.messages).toEqual(['mapping reload not acknowledged']);
  });

  it('answers 500 and sends nothing when the file is bad', async () => {
    const path = mappingFile('mappings: [{ match: "a.*", nmae: "a" }]\n');
    const { reload, seen } = reloadWith(path, []);
    expect(await reload()).toEqual({
      isReloaded: false,
      status: 500,
      reason: `--mapping-config ${path}: mappings[0].nmae is not a supported key`,
    });
    expect([seen.applied, seen.failures]).toEqual([[], 1]);
  });
});
