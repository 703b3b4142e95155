import { OPTIONS, type OptionSpec } from '../src/config/options.js';
import { envNameOf, fileKeyOf } from '../src/config/sources.js';
import { writeReadmeBlock } from './readme-block.js';

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

if (process.argv.includes('--write')) {
  writeReadmeBlock({ start: START_MARK, end: END_MARK }, renderConfigTable());
}
