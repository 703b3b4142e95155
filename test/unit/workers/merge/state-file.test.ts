import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  parseStateFile,
  readStateFile,
  writeStateFile,
} from '../../../../workers/merge/state-file.js';

const directory = mkdtempSync(join(tmpdir(), 'catalyst-state-file-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const PAYLOAD = Buffer.from('payload bytes');

function written(): Buffer {
  const path = join(directory, `written-${Math.random()}`);
  writeStateFile(path, PAYLOAD);
  return readFileSync(path);
}

describe('state file', () => {
  it('reads back what it wrote, leaving no temporary file behind', () => {
    const path = join(directory, 'round-trip');
    writeStateFile(path, PAYLOAD);

    expect(readStateFile(path)).toEqual({ kind: 'loaded', payload: PAYLOAD });
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces an older file whole', () => {
    const path = join(directory, 'replaced');
    writeStateFile(path, Buffer.from('a much longer first payload'));
    writeStateFile(path, PAYLOAD);

    expect(readStateFile(path)).toEqual({ kind: 'loaded', payload: PAYLOAD });
  });

  it('reports a missing file as missing, not refused', () => {
    expect(readStateFile(join(directory, 'absent'))).toEqual({ kind: 'missing' });
  });

  const REFUSALS: Record<string, { bytes: () => Buffer; reason: string }> = {
    'an empty file': {
      bytes: () => Buffer.alloc(0),
      reason: 'not a catalyst-metrics state file (bad magic)',
    },
    'a foreign file': {
      bytes: () => Buffer.from('{"counters":{}}'.padEnd(64, ' ')),
      reason: 'not a catalyst-metrics state file (bad magic)',
    },
    'another version': {
      bytes: () => {
        const bytes = written();
        bytes.writeUInt32LE(2, 8);
        return bytes;
      },
      reason: 'version 2, expected 1',
    },
    'a truncated file': {
      bytes: () => written().subarray(0, -1),
      reason: 'length does not match the header (truncated?)',
    },
    'a flipped payload bit': {
      bytes: () => {
        const bytes = written();
        bytes[bytes.length - 1] ^= 1;
        return bytes;
      },
      reason: 'checksum mismatch',
    },
  };

  for (const [name, { bytes, reason }] of Object.entries(REFUSALS)) {
    it(`refuses ${name}: ${reason}`, () => {
      expect(parseStateFile(bytes())).toEqual({ kind: 'refused', reason });
    });
  }

  it('refuses through readStateFile too', () => {
    const path = join(directory, 'foreign');
    writeFileSync(path, 'hello');
    expect(readStateFile(path).kind).toBe('refused');
  });
});
