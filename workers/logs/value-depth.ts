/**
 * How deep pushed structured values may nest (objects and arrays inside attributes). JSON.parse
 * builds 100k levels without complaint, but everything after it that walks the value
 * recursively (JSON.stringify for the file and the tail, structured clone to the main
 * thread) overflows the stack on it and takes the log worker down.
 */
export const MAX_VALUE_DEPTH = 64;

/** True when `value` nests objects or arrays more than `maxDepth` levels. Never recurses. */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}
