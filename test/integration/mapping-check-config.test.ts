import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));
const ENVOY_MAPPING = fileURLToPath(new URL('../../mappings/envoy.yml', import.meta.url));

function checkConfig(mappingPath: string): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const run = spawnSync(
    process.execPath,
    [CLI, '--check-config', '--mapping-config', mappingPath],
    {
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('--check-config with a mapping file', () => {
  it('exits 0 for the shipped Envoy file', () => {
    const run = checkConfig(ENVOY_MAPPING);
    expect([run.status, run.stderr]).toEqual([0, '']);
  });

  it('exits 2 naming the file and the unsupported key', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cm-check-')), 'bad.yml');
    writeFileSync(path, 'mappings:\n  - match: "a.*"\n    name: "a"\n    lables: { x: "$1" }\n');
    const run = checkConfig(path);
    expect([run.status, run.stdout, run.stderr]).toEqual([
      2,
      '',
      `catalyst-metrics: --mapping-config ${path}: mappings[0].lables is not a supported key\n`,
    ]);
  });

  it('refuses to start on a bad file with the same message and exit 2', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cm-start-')), 'bad.yml');
    writeFileSync(path, 'defaults: { match_type: fuzzy }\n');
    const run = spawnSync(
      process.execPath,
      [
        CLI,
        '--statsd-udp',
        'off',
        '--statsd-tcp',
        'off',
        '--http',
        'off',
        '--mapping-config',
        path,
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect([run.status, run.stderr]).toEqual([
      2,
      `catalyst-metrics: --mapping-config ${path}: defaults.match_type must be glob or regex, got fuzzy\n`,
    ]);
  });
});
