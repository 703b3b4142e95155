import { readFileSync, writeFileSync } from 'node:fs';
import { OPTIONS, type OptionSpec } from '../src/config/options.js';
import { envNameOf, fileKeyOf } from '../src/config/sources.js';

/**
 * The README's configuration reference, written from src/config/options.ts so the two
 * cannot drift. `node dist/scripts/config-table.js --write` updates README.md in place;
 * test/unit/scripts/config-table.test.ts fails when they differ.
 */
export const START_MARK = '<!-- config-options:start -->';
export const END_MARK = '<!-- config-options:end -->';

export function renderConfigTable(): string {
  const rows = (OPTIONS as readonly OptionSpec[]).map((spec) => {
    const flag = `\`${spec.flag} ${spec.valueName}\``;
    const key = [spec.flag, ...spec.aliases].map((f) => `\`${fileKeyOf(f)}\``).join(', ');
    const defaultText = spec.documentedDefault ?? `\`${spec.defaultText}\``;
    const meaning = spec.description.replace(/\|/g, '\\|');
    return `| ${flag} | ${key} | \`${envNameOf(spec.flag)}\` | ${defaultText} | ${meaning} |`;
  });
  return [
    '| flag | file key | environment | default | meaning |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function replaceTable(readme: string, table: string): string {
  const start = readme.indexOf(START_MARK);
  const end = readme.indexOf(END_MARK);
  if (start < 0 || end < start) throw new Error(`README.md lacks ${START_MARK} … ${END_MARK}`);
  return `${readme.slice(0, start + START_MARK.length)}\n${table}\n${readme.slice(end)}`;
}

if (process.argv.includes('--write')) {
  const path = new URL('../../README.md', import.meta.url);
  writeFileSync(path, replaceTable(readFileSync(path, 'utf8'), renderConfigTable()));
}
