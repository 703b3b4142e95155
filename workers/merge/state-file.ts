import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The --state-file container: a fixed header, then an opaque payload (state-snapshot.ts).
 *
 *   offset  bytes  field
 *        0      8  magic "CMSTATE\0"      a file that is not ours is refused here
 *        8      4  version, u32 LE        a layout we cannot read is refused here
 *       12      4  payload length, u32 LE
 *       16     32  SHA-256 of the payload a torn or edited file is refused here
 *       48      …  payload
 *
 * Written to `<path>.tmp`, fsynced, renamed over `<path>`, then the directory is fsynced:
 * a crash at any point leaves the previous file or the new one, never a mix.
 */
const MAGIC = Buffer.from('CMSTATE\0', 'latin1');
export const STATE_FILE_VERSION = 1;
const HEADER_BYTES = 48;

export type StateFileRead =
  { kind: 'loaded'; payload: Buffer } | { kind: 'missing' } | { kind: 'refused'; reason: string };

export function writeStateFile(path: string, payload: Uint8Array): void {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(STATE_FILE_VERSION, 8);
  header.writeUInt32LE(payload.length, 12);
  createHash('sha256').update(payload).digest().copy(header, 16);

  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, header);
    writeSync(fd, payload);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  syncDirectory(dirname(path));
}

export function readStateFile(path: string): StateFileRead {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'refused', reason: `unreadable: ${(error as Error).message}` };
  }
  return parseStateFile(bytes);
}

/** Checks the header and checksum; the payload is returned only when all of them hold. */
export function parseStateFile(bytes: Buffer): StateFileRead {
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, 8).equals(MAGIC)) {
    return { kind: 'refused', reason: 'not a catalyst-metrics state file (bad magic)' };
  }
  const version = bytes.readUInt32LE(8);
  if (version !== STATE_FILE_VERSION) {
    return { kind: 'refused', reason: `version ${version}, expected ${STATE_FILE_VERSION}` };
  }
  const length = bytes.readUInt32LE(12);
  if (bytes.length !== HEADER_BYTES + length) {
    return { kind: 'refused', reason: 'length does not match the header (truncated?)' };
  }
  const payload = bytes.subarray(HEADER_BYTES);
  const checksum = createHash('sha256').update(payload).digest();
  if (!checksum.equals(bytes.subarray(16, HEADER_BYTES))) {
    return { kind: 'refused', reason: 'checksum mismatch' };
  }
  return { kind: 'loaded', payload };
}

function syncDirectory(directory: string): void {
  // Makes the rename itself durable. Some filesystems refuse fsync on a directory; the
  // rename is still atomic there, only its durability across power loss is weaker.
  try {
    const fd = openSync(directory, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    return;
  }
}
