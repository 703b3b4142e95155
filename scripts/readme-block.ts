import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Generated blocks of README.md sit between an HTML-comment start and end mark. The
 * scripts that write them (config-table.ts, self-metrics-table.ts) share this.
 */
export function replaceMarkedBlock(
  readme: string,
  marks: { start: string; end: string },
  block: string,
): string {
  const start = readme.indexOf(marks.start);
  const end = readme.indexOf(marks.end);
  if (start < 0 || end < start) throw new Error(`README.md lacks ${marks.start} … ${marks.end}`);
  return `${readme.slice(0, start + marks.start.length)}\n${block}\n${readme.slice(end)}`;
}

/** Rewrites README.md in place (two levels up from dist/scripts). */
export function writeReadmeBlock(marks: { start: string; end: string }, block: string): void {
  const path = new URL('../../README.md', import.meta.url);
  writeFileSync(path, replaceMarkedBlock(readFileSync(path, 'utf8'), marks, block));
}
