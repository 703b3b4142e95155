import { describe, expect, it } from 'vitest';
import { helpText, parseBenchArgs } from '../../../bench/options.js';

describe('parseBenchArgs', () => {
  it('defaults to the full run with two senders and peers decided by the mode', () => {
    expect(parseBenchArgs([], '/r')).toEqual({
      isQuick: false,
      isHelp: false,
      isPeersEnabled: null,
      only: [],
      senders: 2,
      resultsDirectory: '/r',
      isCpuProfiling: false,
    });
  });

  it('reads every option', () => {
    const args = [
      '--quick',
      '--peers',
      '--only',
      'udp/',
      '--only',
      'fresh',
      '--senders',
      '3',
      '--results-dir',
      '/x',
      '--cpu-prof',
    ];

    expect(parseBenchArgs(args, '/r')).toEqual({
      isQuick: true,
      isHelp: false,
      isPeersEnabled: true,
      only: ['udp/', 'fresh'],
      senders: 3,
      resultsDirectory: '/x',
      isCpuProfiling: true,
    });
  });

  it.each([
    { name: 'an unknown option', args: ['--fast'], message: 'unknown option --fast; see --help' },
    { name: 'a missing value', args: ['--only'], message: '--only needs a value' },
    {
      name: 'zero senders',
      args: ['--senders', '0'],
      message: '--senders must be a positive integer, got 0',
    },
  ])('refuses $name', ({ args, message }) => {
    expect(() => parseBenchArgs(args, '/r')).toThrow(message);
  });
});

describe('helpText', () => {
  it('lists each scenario with its quick mark and description', () => {
    const text = helpText([
      { name: 'udp/a', description: 'first', isInQuick: true },
      { name: 'udp/long b', description: 'second', isInQuick: false },
    ]);

    expect(text).toContain('  q udp/a       first\n');
    expect(text.endsWith('    udp/long b  second')).toBe(true);
  });
});
