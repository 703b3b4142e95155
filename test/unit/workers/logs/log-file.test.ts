import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFile } from '../../../../workers/logs/log-file.js';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'catalyst-log-file-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

function line(index: number): string {
  // 19 bytes with its newline, so three fit in a 64-byte file and a fourth does not.
  return JSON.stringify({ n: String(index).padStart(10, '0') });
}

function createFile(overrides: Partial<ConstructorParameters<typeof LogFile>[0]> = {}): {
  file: LogFile;
  errors: unknown[];
} {
  const errors: unknown[] = [];
  const file = new LogFile({
    path: join(directory, 'logs.ndjson'),
    maxBytes: 64,
    maxFiles: 2,
    maxQueuedBytes: 1024 * 1024,
    onError: (err) => errors.push(err),
    ...overrides,
  });
  return { file, errors };
}

describe('LogFile', () => {
  it('writes one NDJSON line per record', async () => {
    const { file } = createFile({ maxBytes: 1024 });
    file.append(line(1));
    file.append(line(2));
    await file.close();
    const text = await readFile(join(directory, 'logs.ndjson'), 'utf8');
    expect(text).toBe(`${line(1)}\n${line(2)}\n`);
    expect([file.written, file.dropped]).toEqual([2, 0]);
  });

  it('rotates before a write passes maxBytes and keeps maxFiles old files', async () => {
    const { file } = createFile();
    for (let i = 1; i <= 11; i++) file.append(line(i));
    await file.close();

    expect((await readdir(directory)).sort()).toEqual([
      'logs.ndjson',
      'logs.ndjson.1',
      'logs.ndjson.2',
    ]);
    const read = (name: string): Promise<string> => readFile(join(directory, name), 'utf8');
    // Lines 1-3 went to a file rotated past .2 and deleted.
    expect(await read('logs.ndjson.2')).toBe(`${line(4)}\n${line(5)}\n${line(6)}\n`);
    expect(await read('logs.ndjson.1')).toBe(`${line(7)}\n${line(8)}\n${line(9)}\n`);
    expect(await read('logs.ndjson')).toBe(`${line(10)}\n${line(11)}\n`);
    expect(file.written).toBe(11);
  });

  it('drops and counts lines past the queue bound without waiting', async () => {
    // The first line leaves the queue for the disk at once; two more fill 40 bytes.
    const { file } = createFile({ maxBytes: 1024, maxQueuedBytes: 40 });
    for (let i = 1; i <= 4; i++) file.append(line(i));
    await file.close();
    expect([file.written, file.dropped]).toEqual([3, 1]);
  });

  it('counts a failed write as dropped records and reports it, without throwing', async () => {
    const { file, errors } = createFile({ path: join(directory, 'missing', 'logs.ndjson') });
    file.append(line(1));
    file.append(line(2));
    await file.close();
    expect([file.written, file.dropped]).toEqual([0, 2]);
    // Two writes (the first line alone, then the one queued meanwhile), both refused.
    expect(errors.map((err) => (err as { code?: string }).code)).toEqual(['ENOENT', 'ENOENT']);
  });
});
