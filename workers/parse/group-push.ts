import type { GroupOp, GroupPushHeader } from '../../src/protocol.js';
import { RecordKind } from '../../src/ring/layout.js';
import { parsePromText } from './prom-text.js';
import { gunzipBody } from './gunzip.js';

/**
 * Decodes a Pushgateway-style push record (layout in src/ingest/group-push-record.ts):
 * the header the main thread wrote from the URL, then the body it never looked at.
 */
export type DecodedGroupPush =
  | { op: Omit<GroupOp, 'order'>; samples: number }
  | { error: string; reason: 'malformed_body' | 'bad_encoding' };

export function decodeGroupPush(kind: number, payload: Uint8Array): DecodedGroupPush {
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const headerBytes = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.toString('utf8', 4, 4 + headerBytes)) as GroupPushHeader;
  let body = bytes.subarray(4 + headerBytes);
  const op = { ...header, families: [] };
  if (header.method === 'delete') return { op, samples: 0 };

  if (kind === RecordKind.PushPromTextGzip) {
    const inflated = gunzipBody(body);
    if (inflated === null) {
      return { error: 'body is not valid gzip, or inflates past 32 MiB', reason: 'bad_encoding' };
    }
    body = inflated;
  }
  const parsed = parsePromText(body.toString('utf8'), header.group);
  if ('error' in parsed) return { error: parsed.error, reason: 'malformed_body' };
  const samples = parsed.families.reduce((sum, family) => sum + family.samples.length, 0);
  return { op: { ...header, families: parsed.families }, samples };
}
