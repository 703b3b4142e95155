import { gunzipSync } from 'node:zlib';

/**
 * A push body inflates at most to this: 8× the default 4 MiB body limit. A gzip bomb past
 * it is refused as bad_encoding instead of taking the worker's memory.
 */
export const MAX_INFLATED_BYTES = 32 * 1024 * 1024;

/** The inflated body, or null when it is not gzip or inflates past MAX_INFLATED_BYTES. */
export function gunzipBody(bytes: Uint8Array): Buffer | null {
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch {
    return null;
  }
}
