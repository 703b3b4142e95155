import type { GroupPushHeader } from '../protocol.js';

/**
 * The payload of a Pushgateway-style push record (RecordKind.PushPromText*):
 *
 *   +------------------+-----------------------------------+-----------------------------+
 *   | u32 LE headerLen | header: JSON GroupPushHeader       | body: Prometheus text,      |
 *   |                  | (method, grouping key, push time)  | gzip for the Gzip kind      |
 *   +------------------+-----------------------------------+-----------------------------+
 *
 * The main thread writes the header from the URL, which it reads to route anyway; the body
 * goes in untouched and a shard decodes both (workers/parse/group-push.ts).
 */
export function encodeGroupPush(header: GroupPushHeader, body: Uint8Array): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(header));
  const out = Buffer.allocUnsafe(4 + headerBytes.length + body.length);
  out.writeUInt32LE(headerBytes.length, 0);
  headerBytes.copy(out, 4);
  out.set(body, 4 + headerBytes.length);
  return out;
}
