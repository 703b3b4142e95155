import { ConfigError } from '../errors.js';

/** Shape checks shared by the mapping-file readers; each error names where it looked. */
export function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${where} must be a mapping of keys to values`);
  }
  return value as Record<string, unknown>;
}

export function checkKeys(
  section: Record<string, unknown>,
  known: readonly string[],
  prefix: string,
): void {
  for (const key of Object.keys(section)) {
    if (!known.includes(key)) throw new ConfigError(`${prefix}${key} is not a supported key`);
  }
}
